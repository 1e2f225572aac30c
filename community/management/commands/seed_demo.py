"""`manage.py seed_demo`: a believable community to look at, built through the services.

Idempotent: when the `demo` account exists it does nothing (`make run` calls it every time).
`--reset` deletes the demo accounts (and everything they made) and builds them again.
"""

import time

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from community.demo.mall import mall_demo_reset
from community.demo.seeder import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    DemoSeeder,
    SeedReport,
)
from notes import services as note_services
from notes.models import NoteImage, NoteVideo
from users import services as user_services
from users.models import User

MINIMUM_USERS = 5
MINIMUM_NOTES = 10


class Command(BaseCommand):
    help = (
        "Load the demo community (people, notes with photos, interactions, the mall). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=60, help="accounts to create (60)")
        parser.add_argument("--notes", type=int, default=400, help="notes to write (400)")
        parser.add_argument("--seed", type=int, default=2024, help="random seed (2024)")
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo accounts first, then reseed"
        )

    def handle(self, *args: object, **options: object) -> None:
        users, notes = options["users"], options["notes"]
        if users < MINIMUM_USERS or notes < MINIMUM_NOTES:
            raise CommandError(f"Use at least --users {MINIMUM_USERS} and --notes {MINIMUM_NOTES}.")
        started = time.perf_counter()
        if options["reset"]:
            self._reset()
        elif User.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(
                f"Demo data already present (log in as {DEMO_USERNAME} / {DEMO_PASSWORD}); "
                "nothing created. Use --reset to rebuild it."
            )
            return
        self.stdout.write(
            f"Seeding demo data: {users} accounts, {notes} notes, seed {options['seed']}…"
        )
        with transaction.atomic():
            report = DemoSeeder(seed=options["seed"], users=users, notes=notes).run()
        self._print(report, seconds=time.perf_counter() - started)

    def _reset(self) -> None:
        """Delete every account with a demo e-mail; their files go once the deletion commits."""
        accounts = User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        user_ids = list(accounts.values_list("pk", flat=True))
        files = [
            *accounts.exclude(avatar="").values_list("avatar", flat=True),
            *NoteImage.objects.filter(note__author_id__in=user_ids).values_list("image", flat=True),
            *NoteVideo.objects.filter(note__author_id__in=user_ids).values_list("file", flat=True),
        ]
        with transaction.atomic():
            mall_demo_reset(user_ids=user_ids)
            deleted = user_services.user_accounts_delete(user_ids=user_ids)
            note_services.note_counters_recount()
            transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
        self.stdout.write(f"Reset: deleted {deleted} demo accounts and {len(files)} files.")

    def _print(self, report: SeedReport, *, seconds: float) -> None:
        counts, timings = report.counts, report.timings
        captions = "Chinese captions (Noto Sans CJK)" if report.cjk_captions else "Latin captions"
        lines = [
            f"  pictures   {counts['pictures drawn']} drawn with {captions} "
            f"in {timings['draw_pictures']:.1f} s",
            f"  accounts   {counts['accounts']}: demo, brands {counts['brands']} "
            f"(verified {counts['verified brands']}), creators {counts['creators']}"
            + (f"; staff account {ADMIN_USERNAME}" if counts["staff"] else ""),
            f"  notes      {counts['notes']}: drafts {counts['drafts']}, "
            f"held for review {counts['held for review']}, "
            f"sponsored {counts['sponsored notes']}, "
            f"with a place {counts['notes with a place']}, photos {counts['photos']} "
            f"({timings['create_notes']:.1f} s)",
            f"  follows    {counts['follows']}, "
            f"of which from a note {counts['follows from notes']}",
            f"  boards     {counts['boards']}, of which private {counts['private boards']}",
            f"  activity   likes {counts['likes']}, bookmarks {counts['bookmarks']}, "
            f"comments {counts['comments']} (replies {counts['replies']}), "
            f"comment likes {counts['comment likes']}, reposts {counts['reposts']} "
            f"({timings['engage']:.1f} s)",
            f"  mall       products {counts['products']} (new {counts['products made']}), "
            f"on notes {counts['product links']}, demo orders {counts['orders']}, "
            f"flash sales {counts['flash sales']}, coupons {counts['coupons']} "
            f"({timings['create_mall']:.1f} s)",
            f"  growth     sign-ins {counts['sign-ins']}, veteran levels "
            f"{counts['veteran levels']}; levels by account: {report.levels}",
            f"  discovery  impressions {counts['impressions']}; notes by pool: {report.pools} "
            f"({timings['show']:.1f} s)",
            f"  counters   recounted from the rows: {report.drifted} notes drifted, "
            f"{report.growth_drifted} accounts' level progress drifted",
        ]
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {seconds:.1f} s. Log in as {DEMO_USERNAME} / {DEMO_PASSWORD}; "
                f"staff: {ADMIN_USERNAME} / {ADMIN_PASSWORD} at /admin/."
            )
        )
