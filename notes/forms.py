"""Page forms of notes: they check the shape of the input; notes.services decides the rest.

Field names match the keys of the ValidationError dicts the services raise, so a service error
lands on the field it is about (`form.add_error(None, error)`).
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from notes.models import (
    BOARD_DESCRIPTION_MAX_LENGTH,
    BOARD_NAME_MAX_LENGTH,
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    REPORT_DETAIL_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Note,
    Report,
)
from notes.services import NoteChanges, NoteContent

TAG_SEPARATORS = re.compile(r"[\s,，、#]+")
PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"
VIDEO_TYPES = "video/mp4,video/quicktime,video/webm,.mp4,.mov,.webm"


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Any number of files in one input; the service inspects each one and names bad files."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": PHOTO_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        clean_one = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        return [clean_one(upload, initial) for upload in uploads if upload]


class TagsField(forms.CharField):
    """Tags typed in one line, split at commas, spaces or #: the page and the admin alike."""

    def to_python(self, value: object) -> list[str]:
        return [tag for tag in TAG_SEPARATORS.split(super().to_python(value)) if tag]

    def prepare_value(self, value: object) -> object:
        return ", ".join(value) if isinstance(value, list | tuple) else value


class NoteForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("A catchy title"), "autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": _("Share what you found… add #hashtags")}
        ),
    )
    tags = TagsField(
        label=_("More tags"),
        required=False,
        help_text=_("Separated by commas or spaces. #hashtags in the text count too."),
        widget=forms.TextInput(attrs={"placeholder": _("travel, coffee"), "autocomplete": "off"}),
    )
    # The place picker (templates/notes/note_form.html, static/js/places.js): a name typed or
    # chosen from the gazetteer's cities (the hidden city id), or the author's location (the
    # hidden coordinates). Nobody types a latitude; notes.services.note_place does the rest.
    place_name = forms.CharField(label=_("Place"), max_length=80, required=False)
    place = forms.IntegerField(required=False, widget=forms.HiddenInput)
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    sponsor = forms.CharField(
        label=_("Paid partnership"),
        required=False,
        max_length=150,
        help_text=_(
            "A brand paid you or gave you what this note is about? Name its account, e.g. "
            "@brand: the note says so, as the law and our readers ask."
        ),
        widget=forms.TextInput(
            attrs={
                "placeholder": _("@brand"),
                "autocomplete": "off",
                "aria-describedby": "sponsor-help",
            }
        ),
    )
    images = MultiplePhotoField(label=_("Photos"), required=False)
    video = forms.FileField(
        label=_("Video"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": VIDEO_TYPES}),
    )

    def content(self) -> NoteContent:
        return NoteContent.from_data(self.cleaned_data)


class NoteEditForm(NoteForm):
    """The publish form plus one position input and one remove box per existing photo."""

    remove_video = forms.BooleanField(label=_("Remove the video"), required=False)

    def __init__(self, *args: object, note: Note, **kwargs: object) -> None:
        self.note = note
        self.pictures = list(note.images.all())
        kwargs.setdefault("initial", self.initial_for(note, self.pictures))
        super().__init__(*args, **kwargs)
        self.fields["images"].label = _("Add photos")
        for picture in self.pictures:
            self.fields[f"order_{picture.pk}"] = forms.IntegerField(
                label=_("Position"),
                required=False,
                min_value=1,
                max_value=99,
                widget=forms.NumberInput(attrs={"class": "photo-order__position"}),
            )
            self.fields[f"remove_{picture.pk}"] = forms.BooleanField(
                label=_("Remove"), required=False
            )

    @staticmethod
    def initial_for(note: Note, pictures: list) -> dict:
        initial = {
            "title": note.title,
            "body": note.body,
            "tags": note.chosen_tags,
            "place_name": note.place_name,
            "latitude": note.latitude,
            "longitude": note.longitude,
            "sponsor": f"@{note.sponsor.username}" if note.sponsor_id else "",
        }
        for position, picture in enumerate(pictures, start=1):
            initial[f"order_{picture.pk}"] = position
        return initial

    def changes(self) -> NoteChanges:
        return NoteChanges.from_data(self.cleaned_data)

    def photo_rows(self) -> list[dict]:
        """Each existing photo with its two bound fields, in the order the author chose."""
        rows = [
            {
                "picture": picture,
                "order": self[f"order_{picture.pk}"],
                "remove": self[f"remove_{picture.pk}"],
            }
            for picture in self.pictures
        ]
        if self.is_bound:
            rows.sort(key=lambda row: self._position(row["picture"]))
        return rows

    def _position(self, picture: object) -> tuple[int, int]:
        value = self.data.get(f"order_{picture.pk}", "")
        try:
            chosen = int(value)
        except (TypeError, ValueError):
            chosen = 10_000
        return chosen, picture.position

    def image_order(self) -> list[int]:
        """Kept photo ids, cover first; ties keep their current order."""
        data = self.cleaned_data

        def position(picture: object) -> tuple[int, int]:
            chosen = data.get(f"order_{picture.pk}")
            return (chosen if chosen is not None else 10_000), picture.position

        return [picture.pk for picture in sorted(self.pictures, key=position)]

    def remove_image_ids(self) -> list[int]:
        return [p.pk for p in self.pictures if self.cleaned_data.get(f"remove_{p.pk}")]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        error_messages={"required": _("Write something first.")},
        widget=forms.Textarea(attrs={"rows": 1, "placeholder": _("Say something…")}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    """The shape of a report; what makes one acceptable is notes.services.report_file's, so
    both fields are optional here and the service's messages land on them."""

    reason = forms.CharField(
        label=_("What is wrong with it?"),
        required=False,
        widget=forms.RadioSelect(choices=Report.Reason.choices),
    )
    detail = forms.CharField(
        label=_("Anything our moderators should know (optional)"),
        required=False,
        strip=True,
        widget=forms.Textarea(
            attrs={"rows": 3, "maxlength": REPORT_DETAIL_MAX_LENGTH}  # a hint, not the rule
        ),
    )


class BoardForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=BOARD_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Weekend trips")}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=BOARD_DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("What goes in this board?")}),
    )
    is_private = forms.BooleanField(label=_("Private: only I can see this board"), required=False)


class PlaceSearchForm(forms.Form):
    """What the place picker sends: the name typed so far, or a point to name."""

    q = forms.CharField(label=_("Place"), max_length=80, required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180)

    def has_point(self) -> bool:
        data = self.cleaned_data
        return data.get("lat") is not None and data.get("lng") is not None
