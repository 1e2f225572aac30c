"""Reports (举报): readers flag a note or a comment for the moderators.

Reports never act by themselves: a note stays up until a moderator decides
(notes.services.moderation: report_uphold, report_dismiss), so a group of readers cannot take
down what they merely dislike.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from notes.models import REPORT_DETAIL_MAX_LENGTH, Comment, Note, Report
from notes.selectors import comments_visible
from notes.services.access import note_get_published
from notes.services.interactions import create_once
from users.models import User


def report_target(
    *, actor: User, note_id: int | None = None, comment_id: int | None = None
) -> tuple[Note, Comment | None]:
    """What `actor` may report: a visible, published note, or a visible comment on one (404
    else), written by someone else (a ValidationError for one's own, or a draft). The form
    asks this before it is shown; report_file again before it files."""
    comment = None
    if comment_id is not None:
        comment = comments_visible().filter(pk=comment_id).first()
        if comment is None:
            raise Http404
        note_id = comment.note_id
    if note_id is None:
        raise ValueError("A report names a note or a comment.")
    note = note_get_published(actor=actor, note_id=note_id)
    if (comment.author_id if comment else note.author_id) == actor.pk:
        raise ValidationError(_("You cannot report what you wrote."))
    return note, comment


def report_file(
    *,
    actor: User,
    reason: str,
    detail: str = "",
    note_id: int | None = None,
    comment_id: int | None = None,
) -> tuple[Report, bool]:
    """File a reader's report of a note, or of a comment (`comment_id`); returns the report
    and whether it is new. Reporting again what one reported and is still open is the first
    report, unchanged."""
    note, comment = report_target(actor=actor, note_id=note_id, comment_id=comment_id)
    errors: dict[str, list] = {}
    if reason not in Report.Reason.values:
        errors["reason"] = [_("Choose what is wrong with it.")]
    detail = detail.strip()
    if len(detail) > REPORT_DETAIL_MAX_LENGTH:
        errors["detail"] = [
            _("Keep it within %(max)s characters.") % {"max": REPORT_DETAIL_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    kind = Report.Kind.COMMENT if comment else Report.Kind.NOTE
    open_report = Report.objects.filter(
        reporter=actor, kind=kind, note=note, comment=comment, outcome=Report.Outcome.OPEN
    )
    # One open report per reader and thing is a unique constraint: a second one is not made.
    created = create_once(
        Report,
        reporter=actor,
        kind=kind,
        note=note,
        comment=comment,
        reason=reason,
        detail=detail,
        excerpt=(comment.body if comment else note.title)[:200],
    )
    return open_report.get(), created


def reports_target_gone(*, note_id: int | None = None, comment_ids: Sequence[int] = ()) -> None:
    """Close the open reports of a note (and of its comments) or of comments about to be
    deleted by their author or the note's: nothing is left for a moderator to decide."""
    gone = Report.objects.filter(outcome=Report.Outcome.OPEN)
    if note_id is not None:
        gone.filter(note_id=note_id).update(outcome=Report.Outcome.GONE)
    if comment_ids:
        gone.filter(comment_id__in=comment_ids).update(outcome=Report.Outcome.GONE)
