"""`manage.py bench`: the numbers of the site on a large community (see bench/ and `make bench`).

Seeds the dataset of `--scale` when it is missing, measures every entry of bench.registry
in-process (and over HTTP with gunicorn and wrk), and writes bench/results/<name>.json and .md.
It reports and never asserts a time. The nightly recount is measured by bench.jobs.ces_job.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench import dataset, runner


class Command(BaseCommand):
    help = "Measure pages, API lists and jobs on the bench dataset; write bench/results/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="dataset scale (1)")
        defaults = runner.Options()
        parser.add_argument(
            "--requests",
            type=int,
            default=defaults.requests,
            help=f"timed requests per in-process row ({defaults.requests})",
        )
        parser.add_argument(
            "--seconds",
            type=int,
            default=defaults.seconds,
            help=f"load per HTTP URL ({defaults.seconds})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=defaults.workers,
            help=f"gunicorn workers ({defaults.workers})",
        )
        parser.add_argument(
            "--no-http", action="store_true", help="in-process measurements and jobs only"
        )
        parser.add_argument("--no-seed", action="store_true", help="measure whatever data is there")
        parser.add_argument("--only", default="", help="comma-separated result names")
        parser.add_argument(
            "--name", default="", help="results file name (latest; latest-small below scale 1)"
        )

    def handle(self, *args: object, **options: object) -> None:
        scale = options["scale"]
        if not 0 < scale <= 10 or options["requests"] < 1 or options["seconds"] < 1:
            raise CommandError("Use a scale above 0, at least one request and one second.")
        only = frozenset(name.strip() for name in options["only"].split(",") if name.strip())
        name = options["name"] or ("latest" if scale >= 1 else "latest-small")
        bench_options = runner.Options(
            scale=scale,
            requests=options["requests"],
            http=not options["no_http"],
            seconds=options["seconds"],
            workers=options["workers"],
            only=only or None,
            name=name,
            seed=not options["no_seed"],
        )
        try:
            runner.run(bench_options, log=self.stdout.write)
        except dataset.DatasetError as error:
            raise CommandError(str(error)) from None
