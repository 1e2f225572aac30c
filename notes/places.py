"""Places as readers meet them: the gazetteer's cities (core.places) in the reader's language.

Shared by the place picker, the place search API and the Nearby page's city picker.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from core import places
from core.places import City

SUGGESTIONS_MAX = 8
PREFERRED_COUNT = 24  # the cities offered before any typing (and without JavaScript)
WORLD_COUNT = 12


@dataclass(frozen=True)
class PlaceChoice:
    id: int
    label: str  # the name in the reader's language
    detail: str  # what tells it from another city of that name: its country, or its other name
    latitude: float
    longitude: float


def _choice(city: City, language: str) -> PlaceChoice:
    label = city.label(language)
    other = city.name if label != city.name else city.name_zh
    if city.country_code in settings.PLACES_PREFERRED_COUNTRIES:
        detail = other
    else:
        detail = " · ".join(part for part in (other, city.country) if part)
    return PlaceChoice(
        id=city.id,
        label=label,
        detail=detail,
        latitude=city.latitude,
        longitude=city.longitude,
    )


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def places_search(*, query: str, limit: int = SUGGESTIONS_MAX) -> list[PlaceChoice]:
    """Cities whose name (Chinese, English or pinyin) starts with what the reader typed."""
    language = _language()
    return [_choice(city, language) for city in places.cities_search(query, limit=limit)]


def place_near(*, latitude: float, longitude: float) -> PlaceChoice | None:
    """The city a point is in, if it is within settings.PLACE_CITY_RADIUS_KM of one."""
    city = places.city_nearest(latitude, longitude, within_km=settings.PLACE_CITY_RADIUS_KM)
    return _choice(city, _language()) if city else None


def place_get(*, place_id: int) -> PlaceChoice | None:
    city = places.city_get(place_id)
    return _choice(city, _language()) if city else None


def place_named(*, name: str) -> PlaceChoice | None:
    """The city a place name is in ("上海·武康路" is in 上海), or None."""
    city = places.city_named(name)
    return _choice(city, _language()) if city else None


def places_offered() -> list[PlaceChoice]:
    """The cities offered before any typing: the biggest of the preferred countries, then the
    world's biggest others."""
    language = _language()
    preferred = settings.PLACES_PREFERRED_COUNTRIES
    home = places.cities_biggest(country_codes=preferred, limit=PREFERRED_COUNT)
    world = [
        city
        for city in places.cities_biggest(country_codes=None, limit=PREFERRED_COUNT + WORLD_COUNT)
        if city.country_code not in preferred
    ][:WORLD_COUNT]
    return [_choice(city, language) for city in [*home, *world]]
