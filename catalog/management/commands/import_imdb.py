"""manage.py import_imdb FOLDER: IMDb's six dataset files into the catalogue."""

import logging
import sys
import time

from django.core.management import BaseCommand, CommandError
from django.db import transaction

from catalog.imdb import files
from catalog.imdb.importer import Importer, Options

logger = logging.getLogger(__name__)


class PlainProgress:
    """Without a terminal: a log line every `every` seconds per file."""

    def __init__(self, write, every=10.0):
        self.write = write
        self.every = every

    def __call__(self, rows, name):
        started = last = time.monotonic()
        n = 0
        for n, row in enumerate(rows, start=1):
            yield row
            # The clock is read every 1,024 lines, not every line.
            if n & 1023 == 0 and (now := time.monotonic()) - last >= self.every:
                last = now
                self.write(f"{name}: {n:,} lines, {n / (now - started):,.0f} lines/s")
        elapsed = time.monotonic() - started
        self.write(f"{name}: {n:,} lines read in {elapsed:,.1f} s")


class BarProgress:
    """On a terminal: a tqdm bar per file with lines per second."""

    def __call__(self, rows, name):
        from tqdm import tqdm

        yield from tqdm(
            rows, desc=name, unit=" lines", unit_scale=True, mininterval=0.5, leave=False
        )


class Command(BaseCommand):
    help = (
        "Import IMDb's non-commercial datasets (title.basics, title.akas, name.basics, "
        "title.principals, title.crew, title.ratings as .tsv.gz) from FOLDER. Safe to run "
        "again: unchanged batches are skipped, an interrupted run resumes, staff edits are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--title-types",
            default="movie,tvMovie",
            help="IMDb title types to import, comma-separated (default: movie,tvMovie).",
        )
        parser.add_argument(
            "--min-votes", type=int, default=0, help="Only titles with this many votes."
        )
        parser.add_argument("--limit", type=int, default=None, help="At most this many titles.")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per transaction.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, write nothing."
        )
        parser.add_argument(
            "--recheck",
            action="store_true",
            help="Compare batch by batch even when the files are those of the last complete run.",
        )

    def handle(
        self, *args, folder, title_types, min_votes, limit, batch_size, dry_run, recheck, **options
    ):
        types = frozenset(t.strip() for t in title_types.split(",") if t.strip())
        if not types:
            raise CommandError("--title-types names no type.")
        if min_votes < 0 or (limit is not None and limit < 1) or not 1 <= batch_size <= 50_000:
            raise CommandError("--min-votes ≥ 0, --limit ≥ 1 and --batch-size 1–50,000, please.")
        write = self.stdout.write
        progress = (
            BarProgress()
            if sys.stderr.isatty() and options["verbosity"] > 0
            else PlainProgress(write)
        )
        bad = files.BadLines(write=self.stderr.write)
        importer = Importer(
            folder,
            Options(
                title_types=types,
                min_votes=min_votes,
                limit=limit,
                batch_size=batch_size,
                dry_run=dry_run,
                recheck=recheck,
            ),
            log=write if options["verbosity"] > 0 else (lambda message: None),
            progress=progress,
            bad_lines=bad,
        )
        try:
            if dry_run:
                with transaction.atomic():
                    importer.run()
                    transaction.set_rollback(True)
            else:
                importer.run()
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(str(error)) from None
        except KeyboardInterrupt:
            self.stderr.write(
                f"\nInterrupted. {importer.batches:,} batch(es) were written in full and nothing"
                " half-written is left; run the same command again to carry on."
            )
            sys.exit(130)
        self.summary(importer, bad, dry_run)

    def summary(self, importer, bad, dry_run):
        write = self.stdout.write
        counts = importer.counts
        if dry_run:
            write("Dry run, nothing written. What a real run would have done:")
        if importer.unchanged_files:
            write(
                "Nothing changed: these are the files of the last complete import, and none of"
                " its batches was undone (--recheck compares them batch by batch anyway)."
            )
            return
        if counts.changed == 0:
            write("Nothing changed: the catalogue already holds what these files say.")
        for name, n in sorted(counts.values.items()):
            write(f"  {name}: {n:,}")
        write(
            f"{importer.batches:,} batch(es) written, {importer.skipped_batches:,} unchanged"
            f" skipped, in {importer.seconds:,.1f} s."
        )
        if importer.ambiguous:
            write(
                f"{len(importer.ambiguous):,} ambiguous match(es), left for staff (listed above)."
            )
        if bad.total:
            write(f"{bad.total:,} bad line(s) skipped:")
            for reason, n in sorted(bad.counts.items()):
                write(f"  {reason}: {n:,}")
        else:
            write("No bad lines.")
