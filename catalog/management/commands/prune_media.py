import posixpath
from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from catalog.images import RENDITION_FOLDER, files_in_use, image_fields


def walk(storage, folder):
    """Every file name under `folder` in storage, recursively."""
    folders, files = storage.listdir(folder)
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from walk(storage, posixpath.join(folder, sub))


class Command(BaseCommand):
    help = (
        "Delete stored images no row points at any more: replaced or cleared posters, "
        "photos and stills, their renditions, and files left by a save whose database "
        "transaction was rolled back. Lists them without --delete."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete instead of listing.")
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Leave younger files alone: their upload may not be committed yet.",
        )

    def handle(self, *args, **options):
        storage = default_storage
        folders = {RENDITION_FOLDER}
        for _model, field in image_fields():
            folders.add(str(field.upload_to).strip("/"))
        in_use = files_in_use()
        cutoff = timezone.now() - timedelta(minutes=options["min_age_minutes"])
        unused = []
        for folder in sorted(folders):
            if not storage.exists(folder):
                continue
            for name in walk(storage, folder):
                if name not in in_use and storage.get_modified_time(name) < cutoff:
                    unused.append(name)
        for name in unused:
            if options["delete"]:
                storage.delete(name)
            self.stdout.write(name)
        verb = "Deleted" if options["delete"] else "Found"
        self.stdout.write(f"{verb} {len(unused)} unused file(s).")
