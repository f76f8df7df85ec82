"""`manage.py import_catalogue_dump FOLDER`: load an open data dump into an empty site."""

from django.core.management.base import BaseCommand, CommandError

from opendata.load import DumpError, load


class Command(BaseCommand):
    help = (
        "Load a dump written by export_catalogue (a folder holding datapackage.json and "
        "the .jsonl.gz files) into this site, which must have no films or people yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            counts = load(folder)
        except (DumpError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Loaded " + ", ".join(f"{rows} {table}" for table, rows in counts.items()) + "."
        )
