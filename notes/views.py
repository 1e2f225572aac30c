"""Note pages: publish and edit, the note with its interactions and comments, tags, boards.

Thin callers: forms check the input's shape, notes.services writes and checks permissions,
notes.selectors reads. Every action is a plain POST that redirects back; with htmx the same
view answers with the partial the page includes (one fragment, two uses).
"""

from collections.abc import Callable
from contextlib import suppress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap, retarget

from core.forms import PageForm
from core.http import login_required_for_action, safe_next
from core.pagination import Page
from notes import places, selectors, services
from notes.forms import (
    PHOTO_TYPES,
    VIDEO_TYPES,
    BoardForm,
    CommentForm,
    NoteEditForm,
    NoteForm,
    PlaceSearchForm,
)
from notes.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Board, Comment, Note
from notes.readers import reader_of, remember_reader
from users.models import User
from users.selectors import user_is_following, usernames_mentioned

MORE_FROM_AUTHOR = 6


# --- Helpers shared by the views below.


def _redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    return redirect(safe_next(request, fallback))


def _whole_number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _reader(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Publishing and editing.


def _editor_context(form: NoteForm, request: HttpRequest, **extra: object) -> dict:
    return {
        "form": form,
        "files_were_sent": bool(request.FILES),
        "photo_types": PHOTO_TYPES,
        "video_types": VIDEO_TYPES,
        # The author's own limits, by red-potato level (users.levels); the services enforce them.
        "photo_limit": request.user.level.photos_per_note,
        "photo_room": request.user.level.photos_per_note - len(getattr(form, "pictures", ())),
        "video_minutes": request.user.level.video_minutes,
        "title_limit": TITLE_MAX_LENGTH,
        "body_limit": BODY_MAX_LENGTH,
        "offered_places": places.places_offered(),
        **extra,
    }


def _publish_requested(request: HttpRequest) -> bool:
    """The form has two submit buttons; Enter in a text field presses the first, Publish."""
    return request.POST.get("action") != "draft"


def _saved(request: HttpRequest, note: Note, *, edited: bool = False) -> None:
    """Say what the save did; a note held for review is a warning, and its page says why."""
    if note.status == Note.Status.UNDER_REVIEW:
        messages.warning(
            request,
            _("Saved, but not on the site yet: something in it sends readers elsewhere."),
        )
    else:
        messages.success(request, _saved_message(note, edited=edited))


def _saved_message(note: Note, *, edited: bool = False) -> str:
    if note.status == Note.Status.DRAFT:
        return _("Saved to your drafts. Only you can see it.")
    if edited:
        return _("Your changes are saved.")
    return _("Your note is published.")


# The note page's query that says "you have just published this": the page may then offer what
# follows publishing (the mall's link-products sheet, through its own template tag).
JUST_PUBLISHED = "published"


def _saved_redirect(note: Note, *, was_published: bool) -> HttpResponse:
    """To the note's page, saying so when this save published it."""
    if note.is_published and not was_published:
        return redirect(f"{note.get_absolute_url()}?{JUST_PUBLISHED}=1")
    return redirect(note)


@login_required
def note_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NoteForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                note = services.note_create(
                    author=request.user,
                    content=form.content(),
                    publish=_publish_requested(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _saved(request, note)
                return _saved_redirect(note, was_published=False)
    else:
        form = NoteForm()
    context = _editor_context(form, request, is_edit=False)
    return TemplateResponse(request, "notes/note_form.html", context)


@login_required
def note_edit(request: HttpRequest, note_id: int) -> HttpResponse:
    note = services.note_get_for_editing(actor=request.user, note_id=note_id)
    video = getattr(note, "video", None)
    was_published = note.is_published
    if request.method == "POST":
        form = NoteEditForm(request.POST, request.FILES, note=note)
        if form.is_valid():
            try:
                note = services.note_update(
                    actor=request.user,
                    note_id=note.pk,
                    changes=form.changes(),
                    publish=_publish_requested(request),
                    image_order=form.image_order(),
                    remove_image_ids=form.remove_image_ids(),
                    remove_video=form.cleaned_data["remove_video"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _saved(request, note, edited=True)
                return _saved_redirect(note, was_published=was_published)
    else:
        form = NoteEditForm(note=note)
    context = _editor_context(form, request, is_edit=True, note=note, video=video)
    return TemplateResponse(request, "notes/note_form.html", context)


@login_required
def note_delete(request: HttpRequest, note_id: int) -> HttpResponse:
    note = services.note_get_for_editor(actor=request.user, note_id=note_id)
    if request.method == "POST":
        services.note_delete(actor=request.user, note_id=note.pk)
        messages.success(request, _("Your note is deleted."))
        return redirect(request.user.get_absolute_url())
    return TemplateResponse(request, "notes/note_confirm_delete.html", {"note": note})


# --- The note page.


def _comments_shown(threads: Page) -> list[Comment]:
    """A page of threads' comments as shown: each thread, then its first replies."""
    return [c for thread in threads.items for c in [thread, *thread.shown_replies]]


def _comments_context(
    request: HttpRequest,
    note: Note,
    *,
    shown_comment_id: int | None,
    also_texts: tuple[str, ...] = (),
    with_likes: bool = True,
) -> dict:
    """The first (or `?cursor=`) page of threads; `shown_comment_id`'s thread leads it.

    `mentioned`: the @names of these comments (and of `also_texts`, the note's body on its
    page) that are real accounts, looked up together so no mention costs a query of its own.
    `with_likes=False` leaves `liked_comment_ids` to the caller (the note page reads them with
    the rest of the reader's state).
    """
    paging = PageForm(request.GET)
    threads = selectors.comment_threads(
        note=note, shown_comment_id=shown_comment_id, **paging.page_args()
    )
    comments = _comments_shown(threads)
    keep = {"comment": str(shown_comment_id)} if shown_comment_id else {}
    context = {
        "mentioned": usernames_mentioned(texts=[*also_texts, *(c.body for c in comments)]),
        "note": note,
        "threads": threads,
        "threads_next_query": paging.next_query(threads, keep),
        "is_later_page": bool(paging.page_args()["cursor"]),
    }
    if with_likes:
        context["liked_comment_ids"] = selectors.comment_liked_ids(
            actor=request.user, comment_ids=[c.pk for c in comments]
        )
    return context


def _note_page(
    request: HttpRequest, note: Note, *, comment_form: CommentForm | None = None
) -> HttpResponse:
    reader = _reader(request)
    is_author = reader is not None and reader.pk == note.author_id
    reply_to = selectors.comment_visible_on(
        note=note,
        comment_id=_whole_number(comment_form.data.get("parent") if comment_form else None)
        or _whole_number(request.GET.get("reply_to")),
    )
    shown_comment_id = _whole_number(request.GET.get("comment")) or (reply_to and reply_to.pk)
    context = _comments_context(
        request, note, shown_comment_id=shown_comment_id, also_texts=(note.body,), with_likes=False
    )
    if comment_form is None:
        comment_form = CommentForm(initial={"parent": reply_to.pk if reply_to else None})
    # The reader's like, bookmark and repost of the note, their likes of the comments shown
    # and whether they follow the author: one query.
    state = selectors.reader_state(
        actor=reader,
        note_ids=[note.pk],
        kinds=("liked", "bookmarked", "reposted"),
        comment_ids=[c.pk for c in _comments_shown(context["threads"])],
        author_ids=[note.author_id],
    )
    pictures = list(note.images.all())
    context.update(
        {
            "pictures": pictures,
            "video": getattr(note, "video", None),
            "tags": list(note.tags.all()),
            "is_author": is_author,
            "reach": selectors.note_reach(note=note) if is_author and note.is_published else None,
            "long_read_seconds": settings.READER_LONG_READ_SECONDS,
            "is_following": note.author_id in state.following,
            "follow_url": reverse("notes:follow_author", args=[note.pk]),
            "is_liked": note.pk in state.liked,
            "is_bookmarked": note.pk in state.bookmarked,
            "is_reposted": note.pk in state.reposted,
            **_save_toast(request, note, is_bookmarked=note.pk in state.bookmarked),
            "comment_form": comment_form,
            "reply_to": reply_to,
            "liked_comment_ids": state.comments_liked,
        }
    )
    return TemplateResponse(request, "notes/note_detail.html", context)


@require_safe
def note_detail(request: HttpRequest, note_id: int) -> HttpResponse:
    """The note page; with htmx, the next page of its comment threads ("More comments")."""
    reader = _reader(request)
    if request.htmx:
        note = services.note_get_for_reader(actor=reader, note_id=note_id, with_media=False)
        shown_comment_id = _whole_number(request.GET.get("comment"))
        context = _comments_context(request, note, shown_comment_id=shown_comment_id)
        return TemplateResponse(request, "notes/comment_threads_response.html", context)
    note = services.note_get_for_reader(actor=reader, note_id=note_id)
    services.note_read(actor=reader, note=note)
    return _note_page(request, note)


@require_safe
def note_more_from_author(request: HttpRequest, note_id: int) -> HttpResponse:
    """The author's latest other notes, under the note page: fetched once the reader scrolls
    down to them, so the page itself does not wait for a list most readers never reach."""
    reader = _reader(request)
    note = services.note_get_for_reader(actor=reader, note_id=note_id, with_media=False)
    latest = selectors.notes_by_author(
        author=note.author, actor=None, cursor=None, size=MORE_FROM_AUTHOR + 1
    )
    more_notes = [other for other in latest.items if other.pk != note.pk][:MORE_FROM_AUTHOR]
    state = selectors.reader_state(
        actor=reader, note_ids=[other.pk for other in more_notes], kinds=("liked",)
    )
    context = {"note": note, "more_notes": more_notes, "liked_ids": state.liked}
    return TemplateResponse(request, "notes/more_from_author.html", context)


# --- Likes, bookmarks, reposts, follows: POST, then the partial (htmx) or back to the page.


# The button each interaction redraws, by the reader state it shows: one query, not three, a tap.
BUTTONS = {
    "liked": "partials/like_button.html",
    "bookmarked": "partials/bookmark_button.html",
    "reposted": "partials/repost_button.html",
}


def _action_response(request: HttpRequest, note_id: int, shows: str) -> HttpResponse:
    if not request.htmx:
        return _redirect_back(request, reverse("notes:detail", args=[note_id]))
    note = services.note_get_for_reader(actor=request.user, note_id=note_id, with_media=False)
    state = selectors.reader_state(actor=request.user, note_ids=[note.pk], kinds=(shows,))
    context = {
        "note": note,
        "is_liked": note.pk in state.liked,
        "is_bookmarked": note.pk in state.bookmarked,
        "is_reposted": note.pk in state.reposted,
        # The heart on a note card answers with the card's small heart, not the note page's.
        "variant": "card" if request.POST.get("variant") == "card" else "",
    }
    return TemplateResponse(request, BUTTONS[shows], context)


def _note_action(verb: Callable, *, shows: str) -> Callable:
    """A view that calls one interaction service for the logged-in reader."""

    @login_required_for_action
    @require_POST
    def view(request: HttpRequest, note_id: int) -> HttpResponse:
        try:
            verb(actor=request.user, note_id=note_id)
        except ValidationError as error:
            messages.error(request, _error_message(error))
        return _action_response(request, note_id, shows)

    view.__name__ = verb.__name__
    return view


note_like = _note_action(services.note_like, shows="liked")
note_unlike = _note_action(services.note_unlike, shows="liked")
note_unbookmark = _note_action(services.note_unbookmark, shows="bookmarked")
note_repost = _note_action(services.note_repost, shows="reposted")
note_unrepost = _note_action(services.note_unrepost, shows="reposted")


def _bookmark_into(request: HttpRequest, note_id: int, board_id: int | None) -> Board | None:
    """Save the note (into `board_id`, if given); the board, for the toast that names it."""
    services.note_bookmark(actor=request.user, note_id=note_id, board_id=board_id)
    if board_id is None:
        return None
    return services.board_get_for_owner(owner=request.user, board_id=board_id)


@login_required_for_action
@require_POST
def note_bookmark(request: HttpRequest, note_id: int) -> HttpResponse:
    """The star: save in one tap, outside any board (or into `board`, if one is posted)."""
    try:
        board = _bookmark_into(request, note_id, _whole_number(request.POST.get("board")))
    except ValidationError as error:
        messages.error(request, _error_message(error))
        return _action_response(request, note_id, "bookmarked")
    return _saved_response(request, note_id, board=board)


# --- Saving into a board: the board sheet (a page without JavaScript).


def _saved_response(
    request: HttpRequest, note_id: int, *, board: Board | None, from_sheet: bool = False
) -> HttpResponse:
    """After a save, say where it went: "Saved · choose board" or "Saved to <board>".

    htmx gets the star with that toast (out of band when the sheet asked, the sheet giving
    way to a marker that hands focus back to the star). Without JavaScript the reader goes
    back to the note, whose `?saved=1` shows the same toast.
    """
    note = services.note_get_for_reader(actor=request.user, note_id=note_id, with_media=False)
    if not request.htmx:
        return redirect(f"{note.get_absolute_url()}?saved=1")
    context = {"note": note, "is_bookmarked": True, "save_toast": True, "saved_board": board}
    if not from_sheet:
        return TemplateResponse(request, "partials/bookmark_button.html", context)
    response = TemplateResponse(request, "notes/save_done_response.html", context)
    return reswap(retarget(response, f"#save-sheet-{note.pk}"), "outerHTML")


def _save_toast(request: HttpRequest, note: Note, *, is_bookmarked: bool) -> dict:
    """The note page's toast after a save without JavaScript (`?saved=1`): where the note is
    saved now, so a reload or an old link never names a board it has left."""
    if not is_bookmarked or request.GET.get("saved") != "1":
        return {}
    board_id = selectors.bookmark_board_id(actor=request.user, note_id=note.pk)
    if board_id is None:
        return {"save_toast": True}
    board = services.board_get_for_owner(owner=request.user, board_id=board_id)
    return {"save_toast": True, "saved_board": board}


def _save_sheet_context(
    request: HttpRequest,
    note: Note,
    *,
    name: str = "",
    errors: list[str] | None = None,
    name_errors: list[str] | None = None,
) -> dict:
    paging = PageForm(request.GET)
    boards = selectors.boards_of_owner_page(owner=request.user, **paging.page_args())
    return {
        "note": note,
        "boards": boards,
        "boards_next_query": paging.next_query(boards),
        "current_board_id": selectors.bookmark_board_id(actor=request.user, note_id=note.pk),
        "new_board_name": name,
        "new_board_name_max": Board._meta.get_field("name").max_length,
        "errors": errors or [],
        "name_errors": name_errors or [],
        "in_sheet": bool(request.htmx),
    }


@login_required_for_action
def note_save(request: HttpRequest, note_id: int) -> HttpResponse:
    """The board sheet: move the save into one of the reader's boards, or into a new one.

    GET: with htmx the sheet (a dialog; `?cursor=` gives the next boards alone), without it
    the same as a page. POST `board`: save into it. POST `name`: create that board and save
    into it in one step; the board rules live in notes.services, and their errors come back
    in the sheet with what was typed.
    """
    try:
        note = services.note_get_published(actor=request.user, note_id=note_id)
    except ValidationError as error:
        messages.error(request, _error_message(error))
        return redirect("notes:detail", note_id=note_id)
    name = request.POST.get("name", "")
    if request.method == "POST":
        try:
            if "name" in request.POST:
                board = services.board_create_and_save(
                    owner=request.user, note_id=note.pk, name=name
                )
            else:
                board = _bookmark_into(request, note.pk, _whole_number(request.POST.get("board")))
        except ValidationError as error:
            if "name" in request.POST:
                context = _save_sheet_context(request, note, name=name, name_errors=error.messages)
            else:
                context = _save_sheet_context(request, note, errors=error.messages)
        else:
            return _saved_response(request, note.pk, board=board, from_sheet=True)
    else:
        context = _save_sheet_context(request, note)
    if not request.htmx:
        return TemplateResponse(request, "notes/note_save.html", context)
    if request.method == "POST":
        return TemplateResponse(request, "notes/save_boards.html", context)
    if request.GET.get("cursor"):
        return TemplateResponse(request, "notes/save_board_rows.html", context)
    return TemplateResponse(request, "notes/save_sheet.html", context)


@login_required_for_action
@require_POST
def note_author_follow(request: HttpRequest, note_id: int) -> HttpResponse:
    try:
        services.note_author_follow(actor=request.user, note_id=note_id)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    if not request.htmx:
        return _redirect_back(request, reverse("notes:detail", args=[note_id]))
    note = services.note_get_for_reader(actor=request.user, note_id=note_id)
    context = {
        "person": note.author,
        "is_following": user_is_following(actor=request.user, followee=note.author),
        "follow_url": reverse("notes:follow_author", args=[note.pk]),
    }
    return TemplateResponse(request, "partials/follow_button.html", context)


@login_required_for_action
@require_POST
def note_read(request: HttpRequest, note_id: int) -> HttpResponse:
    """The note page asks this once the reader has stayed a while (htmx, no answer needed): a
    long read, which teaches Discover what they like."""
    with suppress(ValidationError):  # the author's own draft: nothing to learn
        services.note_read_record(actor=request.user, note_id=note_id)
    if request.htmx:
        return HttpResponse(status=204)
    return _redirect_back(request, reverse("notes:detail", args=[note_id]))


# --- Comments.


def _comment_posted_response(request: HttpRequest, note: Note, comment: Comment) -> HttpResponse:
    """htmx: the new comment atop the threads (a reply: after its thread's shown replies).

    Out of band: the counts and an emptied comment box.
    """
    note.refresh_from_db(fields=["comments_count"])
    context = {
        "note": note,
        "comment": comment,
        "liked_comment_ids": set(),
        "mentioned": usernames_mentioned(texts=[comment.body]),
        "comment_form": CommentForm(),
        "reply_to": None,
        "is_new": True,
    }
    response = TemplateResponse(request, "notes/comments_response.html", context)
    if comment.parent_id:
        return reswap(retarget(response, f"#replies-{comment.parent_id}"), "beforeend")
    return reswap(retarget(response, "#comment-threads"), "afterbegin")


@login_required_for_action
@require_POST
def comment_create(request: HttpRequest, note_id: int) -> HttpResponse:
    """Without JavaScript, back to the note page showing the new comment (its thread first)."""
    note = services.note_get_for_reader(actor=request.user, note_id=note_id, with_media=False)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(
                author=request.user,
                note_id=note.pk,
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return _comment_posted_response(request, note, comment)
            messages.success(request, _("Comment posted."))
            return redirect(f"{note.get_absolute_url()}?comment={comment.pk}#comment-{comment.pk}")
    if request.htmx:
        context = {
            "note": note,
            "comment_form": form,
            "reply_to": selectors.comment_visible_on(
                note=note, comment_id=_whole_number(form.data.get("parent"))
            ),
        }
        return TemplateResponse(request, "partials/comment_form.html", context)
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    note = services.note_get_for_reader(actor=request.user, note_id=note_id)
    return _note_page(request, note, comment_form=form)


@login_required_for_action
@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """htmx: nothing in the comment's place; out of band the counts."""
    comment = selectors.comment_get(comment_id=comment_id)
    services.comment_delete(actor=request.user, comment_id=comment.pk)
    if request.htmx:
        note = services.note_get_for_reader(
            actor=request.user, note_id=comment.note_id, with_media=False
        )
        return TemplateResponse(request, "notes/comment_deleted_response.html", {"note": note})
    messages.success(request, _("Comment deleted."))
    return redirect(f"{comment.note.get_absolute_url()}#comments")


@require_safe
def comment_replies(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A page of a thread's replies after `?cursor=`.

    With htmx they are appended under the thread ("More replies"); without, a page of the thread.
    """
    thread = selectors.comment_thread_get(comment_id=comment_id)
    note = services.note_get_for_reader(
        actor=_reader(request), note_id=thread.note_id, with_media=False
    )
    paging = PageForm(request.GET)
    replies = selectors.comment_replies(thread=thread, **paging.page_args())
    shown = [thread.pk] + [reply.pk for reply in replies.items]
    context = {
        "note": note,
        "thread": thread,
        "replies_page": replies,
        "is_later_page": bool(paging.page_args()["cursor"]),
        "liked_comment_ids": selectors.comment_liked_ids(actor=request.user, comment_ids=shown),
        "mentioned": usernames_mentioned(
            texts=[thread.body, *(reply.body for reply in replies.items)]
        ),
    }
    if request.htmx:
        return TemplateResponse(request, "notes/comment_replies_response.html", context)
    return TemplateResponse(request, "notes/comment_thread.html", context)


def _comment_action(verb: Callable) -> Callable:
    @login_required_for_action
    @require_POST
    def view(request: HttpRequest, comment_id: int) -> HttpResponse:
        try:
            verb(actor=request.user, comment_id=comment_id)
        except ValidationError as error:
            messages.error(request, _error_message(error))
        comment = selectors.comment_get(comment_id=comment_id)
        if not request.htmx:
            fallback = f"{comment.note.get_absolute_url()}#comment-{comment.pk}"
            return _redirect_back(request, fallback)
        liked = selectors.comment_liked_ids(actor=request.user, comment_ids=[comment.pk])
        context = {
            "comment": comment,
            "note": comment.note,
            "comment_is_liked": comment.pk in liked,
        }
        return TemplateResponse(request, "partials/comment_like_button.html", context)

    view.__name__ = verb.__name__
    return view


comment_like = _comment_action(services.comment_like)
comment_unlike = _comment_action(services.comment_unlike)


# --- Tags.


@require_safe
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = selectors.tag_get_by_slug(slug=slug)
    paging = PageForm(request.GET)
    page = selectors.notes_tagged(tag=tag, **paging.page_args())
    note_ids = [note.pk for note in page.items]
    reader = reader_of(request)
    services.impressions_record(reader_key=reader.key, note_ids=note_ids, unseen=reader.is_new)
    state = selectors.reader_state(actor=_reader(request), note_ids=note_ids)
    context = {
        "tag": tag,
        "page": page,
        "next_query": paging.next_query(page),
        "liked_ids": state.liked,
    }
    if request.htmx:
        response = TemplateResponse(request, "partials/waterfall_page.html", context)
    else:
        context["notes_count"] = selectors.notes_tagged_count(tag=tag)
        response = TemplateResponse(request, "notes/tag_detail.html", context)
    return remember_reader(request, response)


# --- Boards (收藏专辑).


@login_required
def board_create(request: HttpRequest) -> HttpResponse:
    form = BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Board “%(name)s” created.") % {"name": board.name})
            return _redirect_back(request, board.get_absolute_url())
    context = {"form": form, "next": safe_next(request, ""), "board": None}
    return TemplateResponse(request, "notes/board_form.html", context)


@require_safe
def board_detail(request: HttpRequest, board_id: int) -> HttpResponse:
    reader = _reader(request)
    board = services.board_get_for_viewer(actor=reader, board_id=board_id)
    paging = PageForm(request.GET)
    page = selectors.notes_bookmarked_by(
        user=board.owner, actor=reader, board=board, **paging.page_args()
    )
    state = selectors.reader_state(actor=reader, note_ids=[note.pk for note in page.items])
    context = {
        "board": board,
        "page": page,
        "next_query": paging.next_query(page),
        "liked_ids": state.liked,
        "is_owner": reader is not None and reader.pk == board.owner_id,
    }
    if request.htmx:
        return TemplateResponse(request, "partials/waterfall_page.html", context)
    return TemplateResponse(request, "notes/board_detail.html", context)


@login_required
def board_edit(request: HttpRequest, board_id: int) -> HttpResponse:
    board = services.board_get_for_owner(owner=request.user, board_id=board_id)
    initial = {"name": board.name, "description": board.description, "is_private": board.is_private}
    form = BoardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_update(
                owner=request.user, board_id=board.pk, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Board saved."))
            return redirect(board)
    context = {"form": form, "next": "", "board": board}
    return TemplateResponse(request, "notes/board_form.html", context)


@login_required
def board_delete(request: HttpRequest, board_id: int) -> HttpResponse:
    board = services.board_get_for_owner(owner=request.user, board_id=board_id)
    if request.method == "POST":
        services.board_delete(owner=request.user, board_id=board.pk)
        messages.success(request, _("Board deleted. Its notes stay in your collection."))
        return redirect(request.user.get_absolute_url())
    return TemplateResponse(request, "notes/board_confirm_delete.html", {"board": board})


# --- Places.


@require_safe
def place_search(request: HttpRequest) -> HttpResponse:
    """Cities whose name starts with `q`, or the city a point (`lat`, `lng`) is in.

    With htmx: the place picker's suggestions (buttons that fill the form). Without: a page of
    the cities, each linked to its Nearby feed.
    """
    form = PlaceSearchForm(request.GET)
    choices = []
    if form.is_valid():
        if form.has_point():
            near = places.place_near(
                latitude=form.cleaned_data["lat"], longitude=form.cleaned_data["lng"]
            )
            choices = [near] if near else []
        elif form.cleaned_data["q"].strip():
            choices = places.places_search(query=form.cleaned_data["q"])
    context = {
        "form": form,
        "choices": choices,
        "query": form.data.get("q", ""),
        "from_point": form.is_valid() and form.has_point(),
    }
    if request.htmx:
        return TemplateResponse(request, "notes/place_options.html", context)
    return TemplateResponse(request, "notes/place_search.html", context)
