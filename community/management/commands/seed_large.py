"""`manage.py seed_large`: the large generated community the bench runs on (bench.dataset).

Idempotent: a dataset of the asked size is left as it is; one of another size is replaced.
Writes its timing to .bench/ so `manage.py bench` can report `seed_large` later.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench import dataset, report


class Command(BaseCommand):
    help = "Seed the large bench community in bulk (COPY), unless it is there already."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 is 20,000 accounts and 200,000 notes; 0.02 is the small bench (1)",
        )
        parser.add_argument("--seed", type=int, default=8, help="random seed (8)")

    def handle(self, *args: object, **options: object) -> None:
        scale = options["scale"]
        if not 0 < scale <= 10:
            raise CommandError("--scale takes a number above 0 and at most 10.")
        try:
            result = dataset.seed(scale=scale, seed=options["seed"], log=self.stdout.write)
        except dataset.DatasetError as error:
            raise CommandError(str(error)) from None
        if result.seeded:
            report.remember_seeding(scale=scale, seconds=result.seconds, rows=result.rows)
            self.stdout.write(self.style.SUCCESS(f"Seeded in {result.seconds:.0f} s."))
