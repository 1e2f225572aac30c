"""Validation of what people type into the account pages; users.services does the writing."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from users.models import User
from users.services import SELF_CHOSEN_KINDS


class LoginForm(AuthenticationForm):
    """Django's log-in form with one message for all failures: it never says who has an account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Check both and try again."),
        # An inactive account gets the same answer as a wrong password: no account probing.
        "inactive": _("Wrong username or password. Check both and try again."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )


class SignupForm(UserCreationForm):
    """Username, display name, e-mail and a password checked by AUTH_PASSWORD_VALIDATORS.

    It only validates: the view creates the account through users.services.user_signup.
    """

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")
        labels = {"display_name": _("Display name"), "email": _("E-mail")}
        help_texts = {
            "username": _("Letters, digits and @ . + - _ only. It appears in your profile link."),
            "display_name": _("What others see on your notes. You can change it later."),
            "email": _("Only used to reset your password; never shown."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["display_name"].widget.attrs.update({"autocomplete": "nickname"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["password2"].help_text = ""


class ProfileForm(forms.Form):
    """The public profile. The avatar's content is judged by users.services.user_profile_update."""

    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("JPEG, PNG, WebP, GIF or HEIC, up to 5 MB."),
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    bio = forms.CharField(
        label=_("Bio"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 200 characters."),
    )
    city = forms.CharField(label=_("City"), max_length=40, required=False)
    kind = forms.ChoiceField(
        label=_("Account kind"),
        choices=[(kind.value, kind.label) for kind in SELF_CHOSEN_KINDS],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "display_name": user.display_name,
                "bio": user.bio,
                "city": user.city,
                "kind": user.kind,
            },
        )
        super().__init__(*args, **kwargs)
        if user.is_brand:
            # Brand accounts are set by staff; their kind is shown, never edited here.
            del self.fields["kind"]


HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class DigestSettingsForm(forms.Form):
    """E-mail digests of unread messages; users.services.user_digest_settings_update decides."""

    by_email = forms.BooleanField(
        label=_("E-mail me a digest of unread messages"),
        required=False,
        help_text=_("At most once a day, only when something new is waiting."),
    )
    tabs = forms.MultipleChoiceField(
        label=_("Kinds of messages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("likes", _("Likes & saves")),
            ("follows", _("New followers")),
            ("comments", _("Comments & @")),
            ("system", _("System")),
        ],
    )
    quiet_start = forms.TypedChoiceField(
        label=_("Quiet from"), choices=HOURS, coerce=int, help_text=_("China time.")
    )
    quiet_end = forms.TypedChoiceField(label=_("Quiet until"), choices=HOURS, coerce=int)

    @classmethod
    def for_account(cls, user: User, data: object = None) -> "DigestSettingsForm":
        initial = {
            "by_email": user.digest_by_email,
            "tabs": user.digest_tabs,
            "quiet_start": user.quiet_hours_start,
            "quiet_end": user.quiet_hours_end,
        }
        return cls(data, initial=initial)
