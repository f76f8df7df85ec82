from django.core.management import BaseCommand, call_command

from catalog.models import Film

SEED_FIXTURES = ["children-of-heaven"]
SEED_FILM_SLUG = "children-of-heaven-1997"


class Command(BaseCommand):
    help = (
        "Load the seed fixtures once. Safe to run on every start: when the seed "
        "film is already there it leaves the data (and staff's edits) alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the fixtures again, overwriting the seed rows with the fixture's values.",
        )

    def handle(self, *args, force=False, **options):
        if not force and Film.objects.filter(slug=SEED_FILM_SLUG).exists():
            self.stdout.write("Seed catalogue already loaded; nothing to do.")
            return
        call_command("loaddata", *SEED_FIXTURES, verbosity=options["verbosity"])
