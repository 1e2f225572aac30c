"""Reviews as notes: after delivery the buyer is invited to write a note about what they bought,
linked to the product and marked "bought on Hongshu" (a verified purchase).

A review is an ordinary published note (notes.services.note_create: photos and all) whose
product link names the order line; that link is unique per line, so a line is reviewed once even
when the form is sent twice at the same moment. Writing one pays settings.MALL_REVIEW_REWARD_POINTS
through the ledger, once per line.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from mall.models import NoteProduct, Order, OrderLine
from notes import services as note_services
from notes.models import Note
from notes.services import NoteContent
from users import services as user_services
from users.models import Notification, PointsEntry, User
from users.services.notifications import notification_add
from users.services.points import points_grant

REVIEWABLE = (Order.Status.DELIVERED, Order.Status.COMPLETED)


def review_invite(*, order: Order) -> None:
    """Invite the buyer to review a delivered order, in their message centre (once per order:
    the message centre keeps one row per order and verb)."""
    titles = ", ".join(line.title for line in order.lines.all())
    notification_add(
        recipient_id=order.buyer_id,
        verb=Notification.Verb.REVIEW_INVITE,
        target=order,
        text=titles,
    )


def review_line_get(*, actor: User, number: str, line_id: int) -> OrderLine:
    """The buyer's own order line that may be reviewed now; anyone else's is a 404, a line not
    yet delivered or already reviewed a ValidationError saying so."""
    line = (
        OrderLine.objects.select_related("order", "product")
        .filter(pk=line_id, order__number=number, order__buyer=actor)
        .first()
    )
    if line is None:
        raise Http404
    if line.order.status not in REVIEWABLE:
        raise ValidationError(
            _("You can review this once the order has been delivered."), code="not_delivered"
        )
    if NoteProduct.objects.filter(order_line=line).exists():
        raise ValidationError(_("You have already reviewed this."), code="already_reviewed")
    return line


def review_publish(*, actor: User, number: str, line_id: int, content: NoteContent) -> Note:
    """Publish the buyer's review of an order line as a note linked to its product."""
    line = review_line_get(actor=actor, number=number, line_id=line_id)
    try:
        with transaction.atomic():
            note = note_services.note_create(author=actor, content=content, publish=True)
            NoteProduct.objects.create(note=note, product_id=line.product_id, order_line=line)
            note_services.note_products_count_set(note_id=note.pk, count=1)
            user_services.growth_record(actor=actor, action="review_published")
            if settings.MALL_REVIEW_REWARD_POINTS:
                points_grant(
                    actor=actor,
                    amount=settings.MALL_REVIEW_REWARD_POINTS,
                    reason=PointsEntry.Reason.PRODUCT_REVIEW,
                    idempotency_key=f"mall-review-{line.pk}",
                    cause=note,
                    note=line.order.number,
                )
    except IntegrityError:
        raise ValidationError(
            _("You have already reviewed this."), code="already_reviewed"
        ) from None
    return note
