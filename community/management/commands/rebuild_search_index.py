"""Rebuild every search index (notes, topics, creators, products) from the tables, with a
progress bar: after adding dictionary words, after a restore, or to fix an index by hand."""

from collections.abc import Callable

from django.core.management.base import BaseCommand

from mall import services as mall_services
from notes import services as notes_services
from users import services as users_services

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the search indexes of notes and topics, creators and products."

    def _progress(self, label: str) -> Callable[[int, int], None]:
        def show(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stdout.write(f"\r{label:<9} [{bar}] {done}/{total}", ending="")
            self.stdout.flush()

        return show

    def handle(self, *args: object, **options: object) -> None:
        for label, rebuild in (
            ("notes", notes_services.notes_search_rebuild),
            ("creators", users_services.creators_search_rebuild),
            ("products", mall_services.products_search_rebuild),
        ):
            count = rebuild(progress=self._progress(label))
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"{label}: {count} indexed"))
