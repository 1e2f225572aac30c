"""What the mall tells users about growth: the level tasks "a mall order completed" and "a
product review published", counted from the mall's rows for the nightly recount
(users.services.growth_counters_recount), as notes.growth does for notes."""

from django.db.models import Expression

from mall.models import NoteProduct, Order
from notes.growth import per_account
from notes.models import Note


def progress_sources() -> dict[str, Expression]:
    """Orders completed by the buyer, and reviews (notes linked to an order line they bought)
    still published."""
    return {
        "orders_completed": per_account(
            Order.objects.filter(status=Order.Status.COMPLETED), by="buyer"
        ),
        "reviews_published": per_account(
            NoteProduct.objects.filter(
                order_line__isnull=False, note__status=Note.Status.PUBLISHED
            ),
            by="note__author",
        ),
    }
