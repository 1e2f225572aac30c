"""Home feeds (Discover, Follow, Nearby) and profile pages.

Thin callers of the feed selectors. Every list is a cursor-paginated waterfall: a plain "Next page"
link without JavaScript, infinite scroll with htmx (which gets the next cards and a new footer).
"""

from collections.abc import Callable
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from community import selectors
from community.forms import InterestsForm, NearbyForm
from core.forms import PageForm
from core.http import login_required_for_action, safe_next
from core.pagination import Page
from notes import services
from notes.readers import reader_of, remember_reader
from notes.selectors import (
    boards_with_counts,
    card_rows_liked,
    note_card_rows,
    notes_bookmarked_by,
    notes_by_author,
    notes_liked_by,
    reader_state,
)
from users.models import User
from users.selectors import user_get_by_username, user_is_following

WATERFALL_PAGE = "partials/waterfall_page.html"
HOT_STRIP_TOPICS = 6
PROFILE_TABS = ("notes", "bookmarks", "likes")


def _reader(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None


def _waterfall_context(
    request: HttpRequest,
    page: Page,
    paging: PageForm,
    keep: dict[str, str] | None = None,
    *,
    liked_ids: set[int] | None = None,
) -> dict:
    """The waterfall's page; `liked_ids` when the page's cards were read with them."""
    if liked_ids is None:
        note_ids = [note.pk for note in page.items]
        liked_ids = reader_state(actor=_reader(request), note_ids=note_ids).liked
    return {"page": page, "next_query": paging.next_query(page, keep), "liked_ids": liked_ids}


def _wants_cards_only(request: HttpRequest) -> bool:
    """Infinite scroll: htmx asks for the next cards, to append them to the waterfall."""
    return bool(request.htmx) and not request.htmx.boosted


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The whole page, or only the next cards and their footer (one fragment, two uses)."""
    if _wants_cards_only(request):
        return TemplateResponse(request, WATERFALL_PAGE, context)
    return TemplateResponse(request, template, context)


def _shown(request: HttpRequest, page: Page, *, unseen: bool = False) -> None:
    """Record the page's cards as shown to this reader: one write for the page, never per card.

    Call after the page is chosen and before it is rendered; the response then gets the
    signed-out reader's cookie through `_with_reader`.
    """
    _shown_ids(request, [note.pk for note in page.items], unseen=unseen)


def _shown_ids(request: HttpRequest, note_ids: list[int], *, unseen: bool = False) -> None:
    reader = reader_of(request)
    services.impressions_record(
        reader_key=reader.key, note_ids=note_ids, unseen=unseen or reader.is_new
    )


def _with_reader(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    return remember_reader(request, response)


# --- Discover's first page for signed-out readers: the same page for all of them (the first
# cards of the shared anonymous list) in each language, so it is rendered once per list and
# language and kept a few seconds in the shared cache. The cached body holds nothing of a
# reader's own: the CSRF token is a placeholder filled in per request, the reader's cookie and
# impressions are still done per request, and a reader with a message to show, an htmx request
# or any query string gets the page rendered as usual.

ANONYMOUS_DISCOVER_KEY = "discover:anonymous-page:{token}:{language}"
# Letters and digits only, so it comes out of every escaping (HTML, JSON in hx-headers) unchanged.
CSRF_PLACEHOLDER = "csrftokenplaceholder7b1e0c93d4a6f52"


def _anonymous_discover_shared(request: HttpRequest) -> bool:
    """Whether this request is for the page every signed-out reader shares."""
    return not (
        request.method != "GET"
        or request.user.is_authenticated
        or request.GET
        or request.htmx
        or len(messages.get_messages(request))  # counts without marking them shown
    )


def _anonymous_discover_key() -> str | None:
    """The cache key of the shared page of the current shared list, if there is one."""
    token = cache.get(selectors.DISCOVER_ANONYMOUS_KEY)
    if token is None:
        return None
    return ANONYMOUS_DISCOVER_KEY.format(token=token, language=get_language())


def _anonymous_discover_cached(request: HttpRequest) -> HttpResponse | None:
    key = _anonymous_discover_key()
    cached = cache.get(key) if key is not None else None
    if cached is None:
        return None
    body, note_ids = cached
    _shown_ids(request, note_ids)
    response = HttpResponse(body.replace(CSRF_PLACEHOLDER, get_token(request)))
    return _with_reader(request, response)


def _anonymous_discover_store(
    request: HttpRequest, note_ids: list[int]
) -> Callable[[HttpResponse], None]:
    """The render callback that keeps the page (placeholder and all), then fills in the token."""

    def store(response: HttpResponse) -> None:
        body = response.content.decode()
        key = _anonymous_discover_key()
        if key is not None:
            cache.set(key, (body, note_ids), settings.DISCOVER_ANONYMOUS_PAGE_SECONDS)
        response.content = body.replace(CSRF_PLACEHOLDER, get_token(request))

    return store


@require_safe
def home_discover(request: HttpRequest) -> HttpResponse:
    shared = _anonymous_discover_shared(request)
    if shared and (cached := _anonymous_discover_cached(request)) is not None:
        return cached
    paging = PageForm(request.GET)
    reader = _reader(request)
    page = selectors.feed_discover(
        actor=reader,
        reader_key=reader_of(request).key,
        cards=partial(note_card_rows, reader=reader),
        **paging.page_args(),
    )
    _shown(request, page, unseen=page.unseen)
    context = {
        "tab": "discover",
        "nav": "home",
        "offers_not_interested": request.user.is_authenticated,
        "needs_onboarding": page.needs_onboarding,
        **_waterfall_context(request, page, paging, liked_ids=card_rows_liked(page.items)),
    }
    if shared:
        context["csrf_token"] = CSRF_PLACEHOLDER  # over the context processor's
    response = _render(request, "community/home.html", context)
    if shared:
        note_ids = [note.pk for note in page.items]
        response.add_post_render_callback(_anonymous_discover_store(request, note_ids))
    return _with_reader(request, response)


@login_required_for_action
@require_POST
def discover_not_interested(request: HttpRequest, note_id: int) -> HttpResponse:
    """The "not interested" of a Discover card: htmx takes the card away (an empty answer);
    without JavaScript, back to Discover with a word that it was heard."""
    try:
        services.note_not_interested(actor=request.user, note_id=note_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(safe_next(request, reverse("community:home")))
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Got it: you will see fewer notes like that one."))
    return redirect(safe_next(request, reverse("community:home")))


@require_safe
def home_follow(request: HttpRequest) -> HttpResponse:
    context = {"tab": "follow", "nav": "home"}
    if not request.user.is_authenticated:
        return TemplateResponse(request, "community/home.html", {**context, "needs_login": True})
    paging = PageForm(request.GET)
    page = selectors.feed_follow(actor=request.user, **paging.page_args())
    _shown(request, page)
    context.update(_waterfall_context(request, page, paging))
    return _render(request, "community/home.html", context)


@require_safe
def home_nearby(request: HttpRequest) -> HttpResponse:
    reader = _reader(request)
    form = NearbyForm(request.GET, profile_city=reader.city if reader else "")
    place = form.place()
    context = {"tab": "nearby", "nav": "home", "form": form, "place": place}
    if place is not None:
        paging = PageForm(request.GET)
        page = selectors.feed_nearby(
            latitude=place.latitude,
            longitude=place.longitude,
            radius_km=form.radius_km,
            cards=partial(note_card_rows, reader=reader),
            **paging.page_args(),
        )
        _shown(request, page)
        keep = {**place.query, "radius": str(form.radius_km)}
        context.update(
            _waterfall_context(request, page, paging, keep, liked_ids=card_rows_liked(page.items)),
            radius_km=form.radius_km,
        )
        if not page.items and form.wider_radius_km:
            context["wider_query"] = urlencode({**place.query, "radius": form.wider_radius_km})
    return _with_reader(request, _render(request, "community/nearby.html", context))


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    person = user_get_by_username(username=username)
    viewer = _reader(request)
    is_self = viewer is not None and viewer.pk == person.pk
    tab = request.GET.get("tab")
    tab = tab if tab in PROFILE_TABS else "notes"
    paging = PageForm(request.GET)
    if tab == "bookmarks":
        page = notes_bookmarked_by(user=person, actor=viewer, **paging.page_args())
    elif tab == "likes":
        page = notes_liked_by(user=person, **paging.page_args())
    else:
        page = notes_by_author(author=person, actor=viewer, **paging.page_args())
    keep = {"tab": tab} if tab != "notes" else {}
    context = {
        "person": person,
        "is_self": is_self,
        "tab": tab,
        "nav": "me" if is_self else "",
        **_waterfall_context(request, page, paging, keep),
    }
    if not _wants_cards_only(request):
        context["is_following"] = user_is_following(actor=viewer, followee=person)
        if tab == "bookmarks":
            context["boards"] = list(boards_with_counts(owner=person, actor=viewer))
    return _render(request, "community/profile.html", context)


# --- Onboarding after sign-up: pick interests, then creators worth following. Skippable.


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    topics = selectors.onboarding_topics()
    form = InterestsForm(request.POST if request.method == "POST" else None, topics=topics)
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["interests"]
        try:
            services.onboarding_interests_choose(actor=request.user, tag_slugs=chosen)
        except ValidationError as error:
            form.add_error("interests", error)
        else:
            query = urlencode({"topic": chosen}, doseq=True)
            return redirect(f"{reverse('community:onboarding_creators')}?{query}")
    context = {"form": form, "topics": topics, "minimum": settings.ONBOARDING_MIN_INTERESTS}
    return TemplateResponse(request, "community/onboarding.html", context)


@login_required_for_action
@require_POST
def onboarding_skip(request: HttpRequest) -> HttpResponse:
    services.onboarding_skip(actor=request.user)
    return redirect("community:home")


@require_safe
@login_required
def onboarding_creators(request: HttpRequest) -> HttpResponse:
    """Creators in the topics just picked (or the reader's strongest interests)."""
    topics = [slug for slug in request.GET.getlist("topic") if slug][: selectors.ONBOARDING_TOPICS]
    if not topics:
        topics = selectors.reader_top_interests(reader=request.user)
    creators = selectors.creators_suggested(actor=request.user, tag_slugs=topics)
    context = {"rows": [(person, False) for person in creators]}
    return TemplateResponse(request, "community/onboarding_creators.html", context)


# --- The hot list (热榜): its own page, and the strip atop Discover (fetched by htmx).


@require_safe
def hot(request: HttpRequest) -> HttpResponse:
    context = {"hot": selectors.hot_list(), "nav": "home"}
    return TemplateResponse(request, "community/hot.html", context)


@require_safe
def hot_strip(request: HttpRequest) -> HttpResponse:
    """The first topics of the hot list, for the strip atop Discover."""
    context = {"topics": selectors.hot_list().topics[:HOT_STRIP_TOPICS]}
    return TemplateResponse(request, "community/hot_strip.html", context)
