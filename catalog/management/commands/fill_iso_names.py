"""Name every country and language after its ISO code (catalog/iso.py).

    manage.py fill_iso_names            # rename, and say what changed
    manage.py fill_iso_names --dry-run  # only say what would change

Slugs stay as they are: a published URL never changes. A code ISO does not
know, or a name another row already has, is reported and left alone.
"""

from collections import Counter

from django.core.management import BaseCommand
from django.db import transaction

from catalog.models import Country, Language
from core.page_cache import invalidation


class Command(BaseCommand):
    help = "Set country and language names from their ISO codes (pycountry)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Change nothing.")

    def handle(self, *args, dry_run=False, **options):
        changed = 0
        with transaction.atomic():
            for model in (Country, Language):
                changed += self.fill(model, dry_run)
            if changed and not dry_run:
                invalidation.invalidate_everything()
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{changed} name{'s' if changed != 1 else ''} {verb}.")

    def fill(self, model, dry_run):
        rows = list(model.objects.order_by("code"))
        kind = model._meta.verbose_name
        final = {}
        for row in rows:
            final[row.pk] = model.iso_name(row.code)
            if final[row.pk] is None:
                self.stdout.write(f"{kind} {row.code!r} ({row.name}): not an ISO code, left alone")
                final[row.pk] = row.name
        # Names must stay unique: a row whose ISO name another row ends up
        # with too keeps its own (which may free or take a name in turn).
        while True:
            holders = Counter(final.values())
            clash = next(
                (row for row in rows if final[row.pk] != row.name and holders[final[row.pk]] > 1),
                None,
            )
            if clash is None:
                break
            self.stdout.write(
                f"{kind} {clash.code!r}: {final[clash.pk]!r} is another row's name, "
                f"left as {clash.name!r}"
            )
            final[clash.pk] = clash.name
        renamed = [row for row in rows if final[row.pk] != row.name]
        for row in renamed:
            self.stdout.write(f"{kind} {row.code}: {row.name!r} → {final[row.pk]!r}")
        if not dry_run:
            # Two passes, so that swapping two names never breaks uniqueness
            # half-way: first out of the way, then the final names.
            for row in renamed:
                row.name = f"(renaming {row.pk})"
            model.objects.bulk_update(renamed, ["name"])
            for row in renamed:
                row.name = final[row.pk]
            model.objects.bulk_update(renamed, ["name"])
        return len(renamed)
