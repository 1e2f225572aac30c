"""`{% comment_item comment %}`: a comment rendered once per state and then served from memory.

A note page of thirty comments spent more time rendering them than everything else together
(per comment: an avatar, a level badge, two dates, a like form, mention links, translations).
A comment is the same for every reader but for whether they liked it, whether they may delete
it and their CSRF token; so, as with note cards (notes.templatetags.note_cards), it is rendered
once per state from partials/comment_item.html with a placeholder for the token, kept in each
process's memory keyed by everything it shows, and filled in per request (core.fragments).
A thread's replies (partials/comment_thread_replies.html, each reply a comment_item itself) go
in their slot. A thread with no reply to show and none to offer (most of them) always has the
same empty list there, so that is kept with it; a thread with replies is kept whole under a key
of its own and its replies' keys. Only a page of a thread's replies is put together each time.
"""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import (
    CSRF_SLOT,
    FRAGMENT_SECONDS,
    csrf_filled,
    fragment_key,
    fragment_render,
    store,
)
from notes.models import Comment, Note
from notes.services import comment_deletable_by
from users.services.notifications import MENTION_PATTERN
from users.templatetags.relative_time import relative_time

register = template.Library()

ITEM_TEMPLATE = "partials/comment_item.html"
REPLIES_TEMPLATE = "partials/comment_thread_replies.html"
REPLIES_SLOT = "\x1fcomment-replies\x1f"  # a slot (core.fragments), like CSRF_SLOT
# Bump when comment_item.html (or what it includes) shows something new that comment_key() lacks.
ITEM_VERSION = 1


def comment_key(
    comment: Comment,
    note: Note,
    *,
    liked: bool,
    signed_in: bool,
    may_delete: bool,
    is_new: bool,
    mentioned: frozenset[str] | set[str],
    language: str,
    replies_kept: bool = False,
) -> str:
    """Everything a comment shows, hashed: keep in step with partials/comment_item.html."""
    author = comment.author
    # Only the mentions in this comment that are accounts: they become links.
    linked = sorted({name for name in MENTION_PATTERN.findall(comment.body) if name in mentioned})
    shown = (
        ITEM_VERSION,
        comment.pk,
        comment.parent_id,
        comment.body,
        comment.likes_count,
        comment.created_at.isoformat(),
        relative_time(comment.created_at),  # "3 minutes ago" changes with the clock
        timezone.get_current_timezone_name(),
        author.pk,
        author.username,
        author.name,
        author.avatar.name if author.avatar else "",
        author.red_potato_level,
        note.pk,
        note.author_id,
        note.is_published,
        tuple(linked),
        liked,
        signed_in,
        may_delete,
        is_new,
        language,
        replies_kept,
    )
    return fragment_key("comment", shown)


def _without_replies(context: template.Context, comment: Comment) -> bool:
    """A thread showing no reply and offering none: its replies part never changes."""
    return (
        comment.parent_id is None
        and not context.get("replies_page")
        and not getattr(comment, "shown_replies", None)
        and not getattr(comment, "replies_cursor", None)
    )


def _item(context: template.Context, comment: Comment) -> tuple[str, bool, bool]:
    """(key, whether the reader may delete it, whether its replies part is kept with it)."""
    note = context["note"]
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    liked = bool(context.get("comment_is_liked")) or comment.pk in (
        context.get("liked_comment_ids") or ()
    )
    may_delete = comment_deletable_by(
        actor=user if signed_in else None, comment=comment, note_author_id=note.author_id
    )
    replies_kept = _without_replies(context, comment)
    key = comment_key(
        comment,
        note,
        liked=liked,
        signed_in=signed_in,
        may_delete=may_delete,
        is_new=bool(context.get("is_new")),
        mentioned=context.get("mentioned") or frozenset(),
        language=get_language() or "",
        replies_kept=replies_kept,
    )
    return key, may_delete, replies_kept


def _thread_key(context: template.Context, thread: Comment, key: str) -> str | None:
    """The key of a thread kept whole with its first replies and its "Show more replies":
    everything its replies part shows, over its own key. None for a page of a thread's replies
    (`replies_page`), which is rendered each time."""
    if context.get("replies_page"):
        return None
    replies = tuple(_item(context, reply)[0] for reply in thread.shown_replies)
    shown = (key, replies, thread.replies_more, thread.replies_cursor, bool(context.get("oob")))
    return fragment_key("thread", shown)


@register.simple_tag(takes_context=True)
def comment_item(context: template.Context, comment: Comment) -> SafeString:
    """The comment (from the cache, else rendered and kept), then for a thread its replies.

    A thread with replies to show is kept whole: on a note with long threads, rendering the
    replies' templates cost more than the rest of the page.
    """
    key, may_delete, replies_kept = _item(context, comment)
    is_thread = comment.parent_id is None
    thread_key = None
    if is_thread and not replies_kept:
        thread_key = _thread_key(context, comment, key)
        kept = store().get(thread_key) if thread_key else None
        if kept is not None:
            return mark_safe(csrf_filled(context, kept))  # noqa: S308 (as below)

    def with_replies(html: str) -> str:
        # The replies keep their slots too (they are kept with the thread, for every reader).
        with context.push(csrf_token=CSRF_SLOT):
            replies = context.template.engine.get_template(REPLIES_TEMPLATE).render(context)
        return html.replace(REPLIES_SLOT, str(replies))

    with context.push(comment=comment):
        html = fragment_render(
            context,
            ITEM_TEMPLATE,
            key=key,
            finish=with_replies if replies_kept else None,
            csrf_token=CSRF_SLOT,
            may_delete=may_delete,
            comment_replies_slot=REPLIES_SLOT if is_thread else "",
        )
        if is_thread and not replies_kept:
            html = with_replies(html)
    if thread_key is not None:
        store().set(thread_key, html, FRAGMENT_SECONDS)
    html = csrf_filled(context, html)
    return mark_safe(html)  # noqa: S308 (rendered by the comment templates, slots escaped)
