"""Account pages: sign-up, log-in, passwords, profile settings, follows and follower lists.

Thin callers: Django's auth views and forms where they fit, users.services for every other write.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from core.forms import PageForm
from core.http import (
    completes_after_login,
    login_first,
    login_required_for_action,
    pending_action_complete,
    safe_next,
)
from core.pagination import Page
from users import selectors, services
from users.forms import DigestSettingsForm, LoginForm, ProfileForm, SignupForm
from users.models import User
from users.rate_limits import account_key


def rate_limited(request: HttpRequest, exception: Ratelimited) -> HttpResponse:
    """RATELIMIT_VIEW: the clear "too many attempts" page instead of a bare 403.

    An error handler, like core.errors: it renders at once rather than returning a
    TemplateResponse, since it also answers from middleware.
    """
    return render(request, "429.html", status=429)


# Rates are read on each request so that settings (and tests) can change them.
def _login_rate_per_ip(group: str, request: HttpRequest) -> str:
    return settings.RATE_LIMIT_LOGIN_PER_IP


def _login_rate_per_account(group: str, request: HttpRequest) -> str:
    return settings.RATE_LIMIT_LOGIN_PER_ACCOUNT


def _signup_rate_per_ip(group: str, request: HttpRequest) -> str:
    return settings.RATE_LIMIT_SIGNUP_PER_IP


def _password_reset_rate_per_ip(group: str, request: HttpRequest) -> str:
    return settings.RATE_LIMIT_PASSWORD_RESET_PER_IP


def _password_reset_rate_per_account(group: str, request: HttpRequest) -> str:
    return settings.RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT


def _posted_username(group: str, request: HttpRequest) -> str:
    """Guessing one account's password from many addresses still meets this limit."""
    return account_key(request.POST.get("username", ""))


def _posted_email(group: str, request: HttpRequest) -> str:
    """Asking many reset e-mails for one address from many addresses meets this limit."""
    return account_key(request.POST.get("email", ""))


# --- Sign-up, log-in, log-out


@ratelimit(group="users:signup:ip", key="ip", rate=_signup_rate_per_ip, method="POST")
def signup(request: HttpRequest) -> HttpResponse:
    home = reverse(settings.LOGIN_REDIRECT_URL)
    if request.user.is_authenticated:
        return redirect(home)
    form = SignupForm(request.POST) if request.method == "POST" else SignupForm()
    if form.is_bound and form.is_valid():
        try:
            user = services.user_signup(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
            )
        except IntegrityError:
            # Someone took the name between validation and saving.
            form.add_error("username", _("A user with that username already exists."))
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Hongshu, %(name)s!") % {"name": user.name})
            back = safe_next(request, reverse(settings.SIGNUP_REDIRECT_URL))
            finished = pending_action_complete(request, back=back)
            return finished if finished is not None else redirect(back)
    return TemplateResponse(
        request,
        "users/signup.html",
        {"form": form, "next": safe_next(request, "")},
    )


@method_decorator(
    ratelimit(group="users:login:ip", key="ip", rate=_login_rate_per_ip, method="POST"),
    name="dispatch",
)
@method_decorator(
    ratelimit(
        group="users:login:account",
        key=_posted_username,
        rate=_login_rate_per_account,
        method="POST",
    ),
    name="dispatch",
)
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        """Logs in, then finishes what the reader started while logged out, if anything."""
        response = super().form_valid(form)
        messages.success(
            self.request, _("Welcome back, %(name)s.") % {"name": form.get_user().name}
        )
        finished = pending_action_complete(self.request, back=self.get_success_url())
        return finished if finished is not None else response


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET with 405): a link or an image cannot log anyone out."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out. See you soon!"))
        return response


# --- Passwords


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "users/password_change.html"
    success_url = reverse_lazy("users:profile_edit")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@method_decorator(
    ratelimit(
        group="users:password_reset:ip", key="ip", rate=_password_reset_rate_per_ip, method="POST"
    ),
    name="dispatch",
)
@method_decorator(
    ratelimit(
        group="users:password_reset:account",
        key=_posted_email,
        rate=_password_reset_rate_per_account,
        method="POST",
    ),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Sends the link only to an active account's address, and says the same either way."""

    template_name = "users/password_reset.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("users:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "users/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "users/password_reset_confirm.html"
    success_url = reverse_lazy("users:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "users/password_reset_complete.html"


login = LoginView.as_view()
logout = LogoutView.as_view()
password_change = PasswordChangeView.as_view()
password_reset = PasswordResetView.as_view()
password_reset_done = PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = PasswordResetCompleteView.as_view()


# --- Profile settings


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, user=user)
    else:
        form = ProfileForm(user=user)
    if form.is_bound and form.is_valid():
        try:
            services.user_profile_update(
                user=user,
                display_name=form.cleaned_data["display_name"],
                bio=form.cleaned_data["bio"],
                city=form.cleaned_data["city"],
                avatar=form.cleaned_data["avatar"] or None,
                kind=form.cleaned_data.get("kind"),
            )
        except ValidationError as error:
            field = "kind" if error.code == "kind" and "kind" in form.fields else "avatar"
            form.add_error(field, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("users:profile_edit")
    return TemplateResponse(request, "users/profile_edit.html", {"form": form, "nav": "me"})


# --- Follows


def _follow_response(request: HttpRequest, *, person: User, is_following: bool) -> HttpResponse:
    if request.htmx:
        return TemplateResponse(
            request,
            "partials/follow_button.html",
            {"person": person, "is_following": is_following},
        )
    return HttpResponseRedirect(safe_next(request, person.get_absolute_url()))


@completes_after_login
@require_POST
def follow(request: HttpRequest, username: str) -> HttpResponse:
    person = selectors.user_get_by_username(username=username)
    if not request.user.is_authenticated:
        return login_first(request, fallback=person.get_absolute_url())
    try:
        created = services.user_follow(actor=request.user, followee=person)
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(error.messages[0], status=400)
        messages.error(request, error.messages[0])
        return HttpResponseRedirect(safe_next(request, person.get_absolute_url()))
    if created and not request.htmx:
        messages.success(request, _("You are now following %(name)s.") % {"name": person.name})
    return _follow_response(request, person=person, is_following=True)


@require_POST
def unfollow(request: HttpRequest, username: str) -> HttpResponse:
    person = selectors.user_get_by_username(username=username)
    if not request.user.is_authenticated:
        return login_first(request, fallback=person.get_absolute_url())
    removed = services.user_unfollow(actor=request.user, followee=person)
    if removed and not request.htmx:
        messages.info(request, _("You no longer follow %(name)s.") % {"name": person.name})
    return _follow_response(request, person=person, is_following=False)


def _people_page(
    request: HttpRequest, *, person: User, list_kind: str, paging: PageForm, page: Page
) -> TemplateResponse:
    """One page of followers or followings, a "more" link below; htmx gets the rows alone."""
    following_ids = selectors.user_following_ids(
        actor=request.user, among=[someone.pk for someone in page.items]
    )
    is_own = request.user.is_authenticated and request.user.pk == person.pk
    template = "users/follow_list.html"
    if request.htmx:
        template = "users/partials/people_rows.html"
    return TemplateResponse(
        request,
        template,
        {
            "person": person,
            "page": page,
            "rows": [(someone, someone.pk in following_ids) for someone in page.items],
            "next_query": paging.next_query(page),
            "list_kind": list_kind,
            "is_own": is_own,
            "nav": "me" if is_own else "",
        },
    )


@require_safe
def followers(request: HttpRequest, username: str) -> TemplateResponse:
    person = selectors.user_get_by_username(username=username)
    paging = PageForm(request.GET)
    page = selectors.user_followers(user=person, **paging.page_args())
    return _people_page(request, person=person, list_kind="followers", paging=paging, page=page)


@require_safe
def following(request: HttpRequest, username: str) -> TemplateResponse:
    person = selectors.user_get_by_username(username=username)
    paging = PageForm(request.GET)
    page = selectors.user_following(user=person, **paging.page_args())
    return _people_page(request, person=person, list_kind="following", paging=paging, page=page)


# --- Growth


@require_safe
@login_required
def growth(request: HttpRequest) -> TemplateResponse:
    """The reader's level and the next level's tasks, today's sign-in with the streak and this
    month's calendar, and all ten levels."""
    context = {
        "overview": selectors.growth_overview(actor=request.user),
        "sign_in": selectors.sign_in_state(actor=request.user),
        "nav": "me",
    }
    return TemplateResponse(request, "users/growth.html", context)


@login_required_for_action
@require_POST
def sign_in(request: HttpRequest) -> HttpResponse:
    """Today's sign-in (idempotent). htmx gets the sign-in card (or the home page's strip)
    redrawn; without JavaScript, back to the page with a message."""
    signed_in, created = services.sign_in_today(actor=request.user)
    if request.htmx:
        if request.POST.get("variant") == "strip":
            context = {"show": True, "just": signed_in}
            return TemplateResponse(request, "users/partials/sign_in_strip.html", context)
        context = {"sign_in": selectors.sign_in_state(actor=request.user), "just": signed_in}
        return TemplateResponse(request, "users/partials/sign_in_card.html", context)
    if created:
        messages.success(
            request,
            _("Signed in: +%(points)d points, day %(days)d of your streak.")
            % {"points": signed_in.points, "days": signed_in.streak},
        )
    else:
        messages.info(request, _("You have already signed in today."))
    return redirect(safe_next(request, reverse("me:growth")))


@require_safe
@login_required
def points(request: HttpRequest) -> TemplateResponse:
    """The points balance and the ledger, newest first; htmx gets the next rows."""
    paging = PageForm(request.GET)
    page = selectors.points_ledger(actor=request.user, **paging.page_args())
    context = {"page": page, "next_query": paging.next_query(page), "nav": "me"}
    template = "users/partials/points_rows.html" if request.htmx else "users/points.html"
    return TemplateResponse(request, template, context)


# --- The message centre


def _messages_tab(request: HttpRequest) -> str:
    tab = request.GET.get("tab")
    return tab if tab in services.TABS else next(iter(services.TABS))


@require_safe
@login_required
def messages_page(request: HttpRequest) -> TemplateResponse:
    """One tab of the reader's messages; htmx gets the next rows."""
    tab = _messages_tab(request)
    paging = PageForm(request.GET)
    page = selectors.notifications_page(actor=request.user, tab=tab, **paging.page_args())
    context = {
        "tab": tab,
        "page": page,
        "next_query": paging.next_query(page, {"tab": tab}),
        "following_ids": set(),
        "nav": "messages",
    }
    if tab == "follows":
        context["following_ids"] = selectors.user_following_ids(
            actor=request.user, among=[row.latest_actor_id for row in page.items]
        )
    if request.htmx:
        return TemplateResponse(request, "users/partials/message_rows.html", context)
    context["unread_by_tab"] = selectors.notifications_unread_by_tab(actor=request.user)
    return TemplateResponse(request, "users/messages.html", context)


@login_required_for_action
@require_POST
def messages_read(request: HttpRequest) -> HttpResponse:
    """Mark all messages read, or one tab's (`tab`); back to the tab named `back`."""
    tab = request.POST.get("tab")
    services.notifications_mark_read(actor=request.user, tab=tab if tab in services.TABS else None)
    back = request.POST.get("back")
    back = back if back in services.TABS else next(iter(services.TABS))
    return redirect(f"{reverse('me:messages')}?tab={back}")


# What a message says when what it is about was deleted since, by the target's model.
GONE_TARGET_MESSAGES = {
    "note": gettext_lazy("This note was removed."),
    "comment": gettext_lazy("This comment was removed."),
    "user": gettext_lazy("This account no longer exists."),
    None: gettext_lazy("This is no longer on Hongshu."),
}


@login_required
def message_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """A message's link: marks it read and goes to what it is about."""
    row = services.notification_open(actor=request.user, notification_id=notification_id)
    if not selectors.notification_target_exists(row=row):
        # Deleted since (a note, its comments, an account): say so rather than lead to a 404.
        kind = ContentType.objects.get_for_id(row.target_type_id).model
        messages.info(request, GONE_TARGET_MESSAGES.get(kind, GONE_TARGET_MESSAGES[None]))
        tab = next(tab for tab, verbs in services.TABS.items() if row.verb in verbs)
        return redirect(f"{reverse('me:messages')}?tab={tab}")
    inside = url_has_allowed_host_and_scheme(row.target_url, allowed_hosts={request.get_host()})
    return redirect(row.target_url if row.target_url and inside else reverse("me:messages"))


@login_required
def message_settings(request: HttpRequest) -> HttpResponse:
    """Whether to get e-mail digests of unread messages, of which kinds, and quiet hours."""
    form = DigestSettingsForm.for_account(
        request.user, request.POST if request.method == "POST" else None
    )
    if form.is_bound and form.is_valid():
        try:
            services.user_digest_settings_update(
                actor=request.user,
                by_email=form.cleaned_data["by_email"],
                tabs=form.cleaned_data["tabs"],
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message settings are saved."))
            return redirect("me:message_settings")
    return TemplateResponse(
        request, "users/message_settings.html", {"form": form, "nav": "messages"}
    )
