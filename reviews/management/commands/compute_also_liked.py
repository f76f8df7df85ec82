"""Recompute every film's "Fans who liked this also liked" list (run nightly)."""

import time

from django.core.management import BaseCommand

from reviews import also_liked


class Command(BaseCommand):
    help = (
        "Recompute 'Fans who liked this also liked' for every film from fans' likes "
        f"(ratings of {also_liked.LIKED_POINTS}+ points and registered like sources): "
        f"the top {also_liked.TOP_N} films per film with at least "
        f"{also_liked.MIN_FANS_IN_COMMON} fans in common. Computed in the database; "
        "the command's memory does not grow with the data."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = also_liked.compute()
        self.stdout.write(
            f"{rows:,} 'also liked' rows stored in {time.monotonic() - started:.1f} s."
        )
