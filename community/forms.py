"""Validation of what readers put in the community pages: the Nearby place, onboarding picks."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RADIUS_CHOICES_KM = (1, 3, 5, 10, 20, 50)
# Coordinates travel in page URLs, so they are rounded to about 100 m before they are shown again.
COORDINATE_DECIMALS = 3


@dataclass(frozen=True)
class Place:
    """Where the Nearby feed looks, and how the page names it."""

    latitude: float
    longitude: float
    label: str
    query: dict[str, str]
    source: str  # "coordinates", "city" or "profile"


def default_radius_km() -> int:
    return min(settings.NEARBY_DEFAULT_RADIUS_KM, settings.NEARBY_MAX_RADIUS_KM)


def radius_choices() -> list[tuple[int, str]]:
    allowed = {km for km in RADIUS_CHOICES_KM if km <= settings.NEARBY_MAX_RADIUS_KM}
    allowed.add(default_radius_km())
    return [(km, _("%(km)s km") % {"km": km}) for km in sorted(allowed)]


def city_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a city")), *((slug, name) for slug, name, _lat, _lng in _cities())]


def _cities() -> list[tuple]:
    return list(settings.NEARBY_CITIES)


def city_for_profile(city: str) -> tuple | None:
    """The picker city a profile's free-text city names, by slug or by name in any language."""
    wanted = city.strip().casefold().removesuffix("市").strip()
    if not wanted:
        return None
    for entry in _cities():
        slug, name = entry[0], entry[1]
        names = {slug.casefold(), str(name).casefold()}
        for code, _language in settings.LANGUAGES:
            with translation.override(code):
                names.add(str(name).casefold())
        if wanted in names:
            return entry
    return None


# Text, not number: a mistyped value stays on screen beside its error, for the reader to fix.
COORDINATE_INPUT = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class NearbyForm(forms.Form):
    """A place given as coordinates (typed, or filled by the browser) or as a picked city.

    Coordinates win over the city: the page's script clears them when the reader picks a city.
    """

    lat = forms.FloatField(
        label=gettext_lazy("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        error_messages={
            "invalid": gettext_lazy("Enter the latitude as a number, e.g. 31.23."),
            "min_value": gettext_lazy("Latitude runs from -90 to 90."),
            "max_value": gettext_lazy("Latitude runs from -90 to 90."),
        },
        widget=COORDINATE_INPUT,
    )
    lng = forms.FloatField(
        label=gettext_lazy("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        error_messages={
            "invalid": gettext_lazy("Enter the longitude as a number, e.g. 121.47."),
            "min_value": gettext_lazy("Longitude runs from -180 to 180."),
            "max_value": gettext_lazy("Longitude runs from -180 to 180."),
        },
        widget=COORDINATE_INPUT,
    )
    city = forms.ChoiceField(label=gettext_lazy("City"), required=False)
    radius = forms.TypedChoiceField(
        label=gettext_lazy("Within"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data=None, *, profile_city: str = "", **kwargs) -> None:
        """With no place in `data`, the profile city is used when the picker knows it."""
        self.city_from_profile = False
        if data is not None:
            data = data.copy()
            if not data.get("radius"):
                data["radius"] = str(default_radius_km())
            if not (data.get("lat") or data.get("lng") or data.get("city")):
                entry = city_for_profile(profile_city)
                if entry is not None:
                    data["city"] = entry[0]
                    self.city_from_profile = True
        super().__init__(data, **kwargs)
        self.fields["city"].choices = city_choices()
        self.fields["radius"].choices = radius_choices()
        self.fields["radius"].initial = default_radius_km()

    def clean(self) -> dict:
        cleaned = super().clean()
        latitude, longitude = cleaned.get("lat"), cleaned.get("lng")
        if (latitude is None) != (longitude is None) and not self.errors:
            raise forms.ValidationError(
                _("Give both latitude and longitude, or pick a city instead."), code="half_place"
            )
        return cleaned

    @property
    def radius_km(self) -> int:
        radius = self.cleaned_data.get("radius") if self.is_valid() else None
        return radius or default_radius_km()

    @property
    def wider_radius_km(self) -> int | None:
        """The next radius up, offered when nothing is close enough."""
        wider = [km for km, _label in radius_choices() if km > self.radius_km]
        return wider[0] if wider else None

    def place(self) -> Place | None:
        """The coordinates asked for, else the city (picked, or taken from the profile)."""
        if not self.is_valid():
            return None
        latitude, longitude = self.cleaned_data.get("lat"), self.cleaned_data.get("lng")
        if latitude is not None and longitude is not None:
            latitude = round(latitude, COORDINATE_DECIMALS)
            longitude = round(longitude, COORDINATE_DECIMALS)
            return Place(
                latitude=latitude,
                longitude=longitude,
                label=_("your location"),
                query={"lat": f"{latitude:g}", "lng": f"{longitude:g}"},
                source="coordinates",
            )
        slug = self.cleaned_data.get("city")
        entry = next((city for city in _cities() if city[0] == slug), None)
        if entry is None:
            return None
        slug, name, latitude, longitude = entry
        return Place(
            latitude=latitude,
            longitude=longitude,
            label=str(name),
            query={"city": slug},
            source="profile" if self.city_from_profile else "city",
        )


class InterestsForm(forms.Form):
    """Onboarding: the topics a new reader likes. How many they must pick is the service's
    rule (notes.services.onboarding_interests_choose), so the form checks only the choices."""

    interests = forms.MultipleChoiceField(
        label=gettext_lazy("What do you like?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, *, topics: list, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["interests"].choices = [(tag.slug, f"#{tag.name}") for tag in topics]
