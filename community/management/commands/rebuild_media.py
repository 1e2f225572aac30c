"""Rebuild every picture's variants (after a change of the widths in settings), with progress.

Notes' photos and video posters, product photos and avatars, through the same services the
upload path uses; each item commits on its own, so an interrupted run keeps what it did.
"""

import sys
from collections.abc import Callable, Iterable

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q

from mall import services as mall_services
from mall.models import ProductImage
from notes import services as note_services
from notes.models import Note
from users import services as user_services
from users.models import User

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the image variants of every note, product photo and avatar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            choices=["notes", "products", "avatars"],
            help="Rebuild one kind of picture only.",
        )

    def handle(self, *args: object, **options: object) -> None:
        only = options.get("only")
        if only in (None, "notes"):
            notes = Note.objects.filter(Q(images__isnull=False) | Q(video__isnull=False))
            self._run(
                "notes",
                notes.distinct().order_by("pk").values_list("pk", flat=True),
                lambda pk: note_services.note_media_process(note_id=pk, rebuild=True),
            )
        if only in (None, "products"):
            self._run(
                "product photos",
                ProductImage.objects.order_by("pk").values_list("pk", flat=True),
                lambda pk: mall_services.product_image_variants_make(image_id=pk),
            )
        if only in (None, "avatars"):
            self._run(
                "avatars",
                User.objects.exclude(avatar="").order_by("pk").values_list("pk", flat=True),
                lambda pk: user_services.user_avatar_variants_make(user_id=pk),
            )

    def _run(self, label: str, ids: Iterable[int], rebuild: Callable[[int], object]) -> None:
        ids = list(ids)
        total = len(ids)
        for done, pk in enumerate(ids, start=1):
            rebuild(pk)
            self._progress(label, done, total)
        if not total:
            self.stdout.write(f"{label}: nothing to rebuild")

    def _progress(self, label: str, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        line = f"{label:15} [{bar}] {done}/{total}"
        if sys.stdout.isatty():
            self.stdout.write("\r" + line, ending="\n" if done == total else "")
            self.stdout.flush()
        elif done == total or done % max(1, total // 10) == 0:
            self.stdout.write(line)
