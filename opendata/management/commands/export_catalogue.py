"""`manage.py export_catalogue`: the open data dump."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opendata import dump


class Command(BaseCommand):
    help = (
        "Write the public catalogue as gzipped JSON Lines and CSV (a file pair a table), "
        "with datapackage.json and the licence, into the media storage's opendata/ "
        "folder; the download page (/data/) links the newest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.OPEN_DATA_KEEP,
            help="How many dumps to keep, this one included (default: DJANGO_OPEN_DATA_KEEP).",
        )

    def handle(self, *args, keep, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1: the dump just made is kept.")
        result = dump.export(keep=keep)
        total = sum(entry["bytes"] for entry in result.files.values())
        counts = ", ".join(f"{rows} {table}" for table, rows in result.row_counts.items())
        self.stdout.write(f"Wrote {result.name} ({total:,} bytes): {counts}.")
