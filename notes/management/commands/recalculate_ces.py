"""`manage.py recalculate_ces`: the nightly CES recalculation, run by hand in the foreground.

The same service as the nightly task (notes.services.recalculation), so it takes the same lock
and leaves the same summary row in the admin; a progress bar follows the notes recounted.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from notes.models import CesRun, Note
from notes.services.recalculation import ces_recalculate


class Command(BaseCommand):
    help = (
        "Recount every note's counters and CES and every account's, then rebuild impressions "
        "and re-evaluate the traffic pools; records the run for the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar (logs, cron mail)"
        )

    def handle(self, *args: object, **options: object) -> None:
        bar = tqdm(
            total=Note.objects.count(),
            unit="notes",
            file=self.stderr,
            disable=bool(options["no_progress"]),
        )
        with bar:
            run = ces_recalculate(
                trigger=CesRun.Trigger.COMMAND,
                on_batch=lambda notes, _drifted: bar.update(notes),
            )
        if run is None:
            raise CommandError("Another recalculation is running (the nightly task?): try later.")
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {seconds:.1f} s: {run.notes_changed} notes corrected (largest CES "
                f"drift {run.largest_drift}), {run.accounts_changed} accounts corrected, "
                f"{run.impressions_changed} notes' impressions rebuilt, {run.promoted} promoted, "
                f"{run.settled} settled."
            )
        )
