"""What a note knows of the mall: how many products it links, for the chip on its card.

The mall owns the links (notes never import it) and calls this in the same transaction as the
change, so the count cannot drift from the link rows.
"""

from django.db import transaction

from notes.models import Note


@transaction.atomic
def note_products_count_set(*, note_id: int, count: int) -> None:
    Note.objects.filter(pk=note_id).update(products_count=count)
