"""Validation of what readers put in the community pages: the Nearby place, onboarding picks."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notes.places import PlaceChoice, place_get, place_named, place_near, places_offered

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


def city_for_profile(city: str) -> PlaceChoice | None:
    """The gazetteer city a profile's free-text city names, in any language ("上海市")."""
    return place_named(name=city) if city.strip() else None


def _city(value: str) -> PlaceChoice | None:
    """A city given by its gazetteer id (the picker's links) or by a name typed or chosen."""
    value = value.strip()
    if value.isdigit():
        return place_get(place_id=int(value))
    return place_named(name=value)


# Text, not number: a mistyped value stays on screen beside its error, for the reader to fix.
COORDINATE_INPUT = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class NearbyForm(forms.Form):
    """A place given as coordinates (typed, or filled by the browser) or as a picked city.

    A city typed or picked wins over coordinates left in the form ("use my location" clears the
    city, and the city field is empty when the page shows a place by its coordinates).
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
    # A name typed or chosen in the city picker (community/nearby.html), or a gazetteer id.
    city = forms.CharField(label=gettext_lazy("City"), required=False, max_length=80)
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
                choice = city_for_profile(profile_city)
                if choice is not None:
                    data["city"] = str(choice.id)
                    self.city_from_profile = True
        super().__init__(data, **kwargs)
        self.fields["radius"].choices = radius_choices()
        self.fields["radius"].initial = default_radius_km()

    def clean_city(self) -> PlaceChoice | None:
        value = self.cleaned_data["city"]
        if not value.strip():
            return None
        choice = _city(value)
        if choice is None:
            raise forms.ValidationError(
                _("We do not know a city called “%(name)s”. Try its Chinese or English name.")
                % {"name": value.strip()},
                code="unknown_city",
            )
        return choice

    def clean(self) -> dict:
        cleaned = super().clean()
        latitude, longitude = cleaned.get("lat"), cleaned.get("lng")
        if (latitude is None) != (longitude is None) and not self.errors:
            raise forms.ValidationError(
                _("Give both latitude and longitude, or pick a city instead."), code="half_place"
            )
        return cleaned

    def offered_cities(self) -> list[PlaceChoice]:
        """The cities the picker lists before any typing (and without JavaScript)."""
        return places_offered()

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
        """The city asked for (picked, or taken from the profile), else the coordinates."""
        if not self.is_valid():
            return None
        city = self.cleaned_data.get("city")
        if city is not None:
            return Place(
                latitude=city.latitude,
                longitude=city.longitude,
                label=city.label,
                query={"city": str(city.id)},
                source="profile" if self.city_from_profile else "city",
            )
        latitude, longitude = self.cleaned_data.get("lat"), self.cleaned_data.get("lng")
        if latitude is None or longitude is None:
            return None
        latitude = round(latitude, COORDINATE_DECIMALS)
        longitude = round(longitude, COORDINATE_DECIMALS)
        near = place_near(latitude=latitude, longitude=longitude)
        return Place(
            latitude=latitude,
            longitude=longitude,
            label=near.label if near else _("this spot"),
            query={"lat": f"{latitude:g}", "lng": f"{longitude:g}"},
            source="coordinates",
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


class AccountCloseForm(forms.Form):
    """Closing one's own account: the password, and a tick that says it cannot be undone.
    Whether the password is right is the service's to say (community.services.account_close),
    for the page and the API alike."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label=gettext_lazy("I understand that my account and my notes cannot be brought back."),
        error_messages={"required": gettext_lazy("Tick the box to say you understand.")},
    )
