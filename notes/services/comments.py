"""Comments and their one level of replies."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from core.screening import contact_findings
from notes.models import (
    COMMENT_MAX_LENGTH,
    Comment,
    CommentLike,
    Note,
)
from notes.scoring import counter_change, is_counted
from notes.services.access import note_get_published
from notes.services.interactions import create_once, note_counter_move
from notes.services.reports import reports_target_gone
from users import services as user_services
from users.models import User


@transaction.atomic
def comment_create(
    *, author: User, note_id: int, body: str, parent_id: int | None = None
) -> Comment:
    """Comment on a note, or reply to a comment; a reply to a reply joins the same thread."""
    note = note_get_published(actor=author, note_id=note_id)
    body = body.strip()
    if not body:
        raise ValidationError({"body": [_("Write something first.")]})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": [_("Keep comments within %(max)s characters.") % {"max": COMMENT_MAX_LENGTH}]}
        )
    _screen(body)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, note=note).first()
        if parent is None:
            raise ValidationError({"parent": [_("That comment is gone.")]})
        if parent.parent_id is not None:
            parent = parent.parent
    comment = Comment.objects.create(note=note, author=author, parent=parent, body=body)
    note_counter_move(note=note, actor=author, counter="comments_count", delta=1)
    user_services.growth_record(actor=author, action="comment_written")
    told = parent.author_id if parent else note.author_id
    url = f"{note.get_absolute_url()}?comment={comment.pk}#comment-{comment.pk}"
    verb = "replied" if parent else "commented"
    user_services.notification_add(
        recipient_id=told, verb=verb, target=comment, actor=author, text=body, url=url
    )
    user_services.notification_mentions(
        actor=author, text=body, target=comment, url=url, excluding=[told]
    )
    return comment


def _screen(body: str) -> None:
    """A comment that sends readers off the site (core.screening) is refused, saying what was
    found, so the writer can take it out: unlike a note, no moderator looks at comments first,
    and a phone number under a popular note is what smugglers of traffic come for."""
    findings = contact_findings(body, own_hosts=settings.SCREENING_OWN_HOSTS)
    if findings:
        found = "; ".join(f"{finding.label} ({finding.text})" for finding in findings)
        raise ValidationError(
            {
                "body": [
                    _(
                        "Comments cannot send readers elsewhere, and this one has %(found)s. "
                        "Take it out and post again."
                    )
                    % {"found": found}
                ]
            }
        )


def comment_deletable_by(*, actor: User | None, comment: Comment, note_author_id: int) -> bool:
    """Whether a reader may delete the comment: its author, the note's author, or staff
    (moderation). The one rule: comment_delete enforces it, pages and the API offer it."""
    if actor is None or not actor.is_authenticated:
        return False
    return actor.is_staff or actor.pk in (comment.author_id, note_author_id)


@transaction.atomic
def comment_delete(*, actor: User, comment_id: int) -> int:
    """Delete a comment; its replies go with it.

    Its author, the note's author and staff (moderation) may. CES loses only what counted in
    it: the comments of people other than the note's author.
    """
    comment = Comment.objects.select_related("note").filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    note = comment.note
    if not comment_deletable_by(actor=actor, comment=comment, note_author_id=note.author_id):
        raise PermissionDenied(_("You can only delete your own comments."))
    replies = list(comment.replies.values_list("pk", "author_id"))
    reply_authors = [author_id for _pk, author_id in replies]
    removed = 1 + len(reply_authors)
    counted = sum(
        is_counted(actor_id=writer, author_id=note.author_id)
        for writer in (comment.author_id, *reply_authors)
    )
    reports_target_gone(comment_ids=[comment.pk, *(pk for pk, _author in replies)])
    comment.delete()
    Note.objects.filter(pk=note.pk).update(
        **counter_change("comments_count", -removed, counted=-counted)
    )
    user_services.growth_counters_decrease(
        account_ids=[comment.author_id, *reply_authors], action="comment_written"
    )
    return removed


@transaction.atomic
def comment_like(*, actor: User, comment_id: int) -> bool:
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    note_get_published(actor=actor, note_id=comment.note_id)
    if not create_once(CommentLike, comment=comment, user=actor):
        return False
    Comment.objects.filter(pk=comment.pk).update(likes_count=F("likes_count") + 1)
    return True


@transaction.atomic
def comment_unlike(*, actor: User, comment_id: int) -> bool:
    deleted, _detail = CommentLike.objects.filter(comment_id=comment_id, user=actor).delete()
    if not deleted:
        return False
    Comment.objects.filter(pk=comment_id).update(likes_count=F("likes_count") - 1)
    return True
