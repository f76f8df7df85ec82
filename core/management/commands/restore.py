"""`manage.py restore`: bring a backup back into the configured database."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import backup
from core.page_cache import invalidation


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and "
        "media storage. Every file is checked against the manifest first; a damaged "
        "backup, or one of another database engine, is refused before anything changes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "name", nargs="?", help="The backup's name, or 'latest'; leave out to list them."
        )
        parser.add_argument(
            "--from",
            dest="source",
            metavar="FOLDER",
            help="A local folder to read from, instead of the 'backups' storage of settings.",
        )
        parser.add_argument("--no-media", action="store_true", help="Restore the database only.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, name=None, source=None, no_media=False, interactive=True, **options):
        storage = backup.backup_storage(source)
        if not name:
            names = backup.list_backups(storage)
            self.stdout.write("\n".join(names) if names else "No backups.")
            return
        try:
            self.restore(storage, name, not no_media, interactive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error

    def restore(self, storage, name, with_media, interactive):
        name, manifest = backup.read_manifest(storage, name)
        backup.check_engine(manifest)
        database = settings.DATABASES["default"]["NAME"]
        if interactive:
            answer = input(
                f"This replaces everything in the database {database} with {name}"
                f"{' and its media files' if with_media else ''}. Type 'yes' to go on: "
            )
            if answer.strip() != "yes":
                raise CommandError("Nothing was restored.")
        with tempfile.TemporaryDirectory(
            prefix="restore-", dir=settings.BACKUP_STAGING_DIR or None
        ) as folder:
            staging = Path(folder)
            backup.fetch_and_verify(storage, name, manifest, staging, with_media)
            self.stdout.write(f"Checked {len(manifest['files'])} files against the manifest.")
            backup.restore_database(staging, manifest)
            media = backup.restore_media(staging, manifest) if with_media else 0
        # Every cached page shows the database as it was before.
        invalidation.invalidate_everything()
        problems = backup.compare_tables(manifest["tables"], backup.table_checksums())
        if problems:
            raise CommandError(
                "The restored database differs from the backup's manifest (was it restored "
                "into a database holding other tables?):\n  " + "\n  ".join(problems)
            )
        self.stdout.write(
            f"Restored {name}: {len(manifest['tables'])} tables match the manifest's row "
            f"counts and checksums; {media} media files."
        )
        missing = backup.migrations_not_in_backup(manifest)
        if missing:
            self.stdout.write(
                f"This release has {len(missing)} migrations the backup predates: "
                "run `manage.py migrate`."
            )
