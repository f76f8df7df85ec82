"""`manage.py backup`: a consistent copy of the database and media files."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup API, or pg_dump -Fc) and the media "
        "files, with a manifest of SHA-256 checksums, while the site keeps serving; then "
        "keep only the newest backups (BACKUP_KEEP)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            metavar="FOLDER",
            help="A local folder to write to, instead of the 'backups' storage of settings.",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="How many backups to keep, this one included (default: DJANGO_BACKUP_KEEP).",
        )
        parser.add_argument("--no-media", action="store_true", help="Leave the media files out.")

    def handle(self, *args, to=None, keep=None, no_media=False, **options):
        keep = settings.BACKUP_KEEP if keep is None else keep
        if keep < 1:
            raise CommandError("--keep must be at least 1: the backup just taken is kept.")
        storage = backup.backup_storage(to)
        try:
            name, manifest = backup.create_backup(storage, keep=keep, with_media=not no_media)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        size = sum(entry["bytes"] for entry in manifest["files"].values())
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {name}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files']) - 1} media files, {size:,} bytes."
        )
