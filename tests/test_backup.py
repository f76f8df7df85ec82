"""Backups that restore: a backup taken while fans keep rating comes back
identical, table by table, in a fresh database; a damaged backup or one of
the other engine is refused before anything changes."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase, TransactionTestCase

from catalog.models import Film
from catalog.tests.helpers import make_film
from core import backup
from reviews import services
from reviews.tests.helpers import make_user

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 3


def fresh_database_url(tmp_path):
    """A URL of an empty database of the configured engine, and a function
    that drops it afterwards."""
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    name = f"{database['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    url = (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{name}"
    )
    return url, drop


def manage(env, *arguments):
    """manage.py in a process of its own, configured by `env` alone."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    base.update(
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_HTTPS="0",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_LOG_FORMAT="text",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=300,
    )


def counted_ratings_disagree(cursor):
    """Films whose rating counters do not match their rating rows: a backup
    that caught a rating's row without its film's counters (or the other
    way round) would show some."""
    cursor.execute(
        "SELECT f.id FROM catalog_film f LEFT JOIN "
        "(SELECT film_id, COUNT(*) AS n, SUM(points) AS s FROM reviews_rating GROUP BY film_id) r "
        "ON r.film_id = f.id WHERE f.rating_count != COALESCE(r.n, 0) "
        "OR f.rating_sum != COALESCE(r.s, 0)"
    )
    return cursor.fetchall()


class BackupUnderLoadTests(TransactionTestCase):
    def setUp(self):
        self.folder = Path(self.enterContext(_temporary_folder()))
        call_command("loaddata", "children-of-heaven", verbosity=0)
        self.films = [make_film(title=f"Film {n}") for n in range(4)]
        self.fans = [make_user() for _ in range(12)]
        default_storage.save("posters/poster.jpg", ContentFile(b"\xff\xd8 not really a jpeg"))
        # Made again from the database by export_catalogue: not backed up.
        default_storage.save("opendata/catalogue-x/films.csv.gz", ContentFile(b"dump"))
        default_storage.save(
            "stills/ünïcode still.png", ContentFile(b"\x89PNG" + bytes(range(256)))
        )

    def rate_until(self, stop, written, errors, offset):
        try:
            n = offset
            while not stop.is_set():
                fan = self.fans[n % len(self.fans)]
                film = self.films[(n // len(self.fans)) % len(self.films)]
                services.set_rating(fan, film, 1 + n % 10)
                if n % 7 == 0:
                    services.clear_rating(fan, self.films[n % len(self.films)])
                written.append(n)
                n += WRITERS
        except Exception as error:  # Reported to the test, not lost in the thread.
            errors.append(error)
        finally:
            connection.close()

    def back_up_while_rating(self):
        stop, written, errors = threading.Event(), [], []
        threads = [
            threading.Thread(target=self.rate_until, args=(stop, written, errors, offset))
            for offset in range(WRITERS)
        ]
        for thread in threads:
            thread.start()
        while len(written) < 20 and not errors:
            time.sleep(0.01)
        before = len(written)
        out = io.StringIO()
        call_command("backup", to=str(self.folder), keep=3, stdout=out)
        during = len(written) - before
        while len(written) < before + during + 20 and not errors:
            time.sleep(0.01)  # Writes after the backup, which it must not hold.
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertGreater(during, 0, "no rating was written while the backup ran")
        [name] = backup.list_backups(backup.backup_storage(self.folder))
        self.assertIn(f"Backed up {name}", out.getvalue())
        return name, json.loads((self.folder / name / "manifest.json").read_text())

    def test_a_backup_taken_while_fans_rate_restores_to_an_identical_database(self):
        name, manifest = self.back_up_while_rating()
        self.assertEqual(manifest["engine"], connection.vendor)
        self.assertIn("catalog_film", manifest["tables"])
        self.assertIn("reviews_rating", manifest["tables"])
        # The site carried on: the live database moved past the snapshot.
        self.assertNotEqual(backup.table_checksums(), manifest["tables"])

        url, drop = fresh_database_url(self.folder)
        self.addCleanup(drop)
        media = self.folder / "restored-media"
        env = {"DATABASE_URL": url, "DJANGO_MEDIA_ROOT": str(media)}
        result = manage(env, "restore", name, "--from", str(self.folder), "--noinput")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"Restored {name}", result.stdout)

        # Every table of the fresh database, counted and checksummed anew in
        # another process, is the snapshot's.
        code = (
            "import django, json; django.setup(); from core import backup; "
            "print(json.dumps(backup.table_checksums()))"
        )
        checked = manage(env, "shell", "-c", code)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        restored = json.loads(checked.stdout.strip().splitlines()[-1])
        self.assertEqual(restored.keys(), manifest["tables"].keys())
        for table, expected in manifest["tables"].items():
            self.assertEqual(restored[table], expected, table)
        # Row counts straight from the restored database, and its films'
        # counters agree with its ratings: one consistent moment.
        if connection.vendor == "sqlite":
            restored_db = sqlite3.connect(url.removeprefix("sqlite:///"))
            cursor = restored_db.cursor()
        else:
            import psycopg

            restored_db = psycopg.connect(url.replace("postgres://", "postgresql://"))
            cursor = restored_db.cursor()
        for table in ["catalog_film", "reviews_rating", "accounts_user"]:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            self.assertEqual(cursor.fetchone()[0], manifest["tables"][table]["rows"], table)
        self.assertEqual(counted_ratings_disagree(cursor), [])
        restored_db.close()
        # The media files came back byte for byte.
        self.assertEqual(
            (media / "stills" / "ünïcode still.png").read_bytes(),
            b"\x89PNG" + bytes(range(256)),
        )
        self.assertEqual(
            (media / "posters" / "poster.jpg").read_bytes(), b"\xff\xd8 not really a jpeg"
        )
        self.assertFalse((media / "opendata").exists())
        self.assertEqual(
            sorted(name for name in manifest["files"] if name.startswith("media/")),
            ["media/posters/poster.jpg", "media/stills/ünïcode still.png"],
        )


class RefusalTests(TestCase):
    """What the commands refuse. Plain TestCase: the backup reads what is
    committed (nothing of the test's own rows), which is all these need."""

    def setUp(self):
        self.folder = Path(self.enterContext(_temporary_folder()))
        self.films = [make_film(title=f"Film {n}") for n in range(2)]

    def test_a_damaged_backup_is_refused_before_anything_changes(self):
        call_command("backup", to=str(self.folder), stdout=io.StringIO())
        [name] = backup.list_backups(backup.backup_storage(self.folder))
        database_file = self.folder / name / backup.DATABASE_FILES[connection.vendor]
        data = bytearray(database_file.read_bytes())
        data[len(data) // 2] ^= 0xFF
        database_file.write_bytes(bytes(data))
        films = Film.objects.count()
        Film.objects.filter(pk=self.films[0].pk).delete()

        with self.assertRaisesMessage(CommandError, f"{name} is damaged: the checksum of"):
            call_command("restore", name, source=str(self.folder), interactive=False)
        self.assertEqual(Film.objects.count(), films - 1)

    def test_a_backup_of_the_other_engine_is_refused(self):
        call_command("backup", to=str(self.folder), stdout=io.StringIO(), no_media=True)
        [name] = backup.list_backups(backup.backup_storage(self.folder))
        manifest_file = self.folder / name / "manifest.json"
        manifest = json.loads(manifest_file.read_text())
        other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
        manifest_file.write_text(json.dumps({**manifest, "engine": other}))
        configured = backup.ENGINE_NAMES[connection.vendor]
        with self.assertRaisesMessage(
            CommandError,
            f"This backup is of a {backup.ENGINE_NAMES[other]} database, and the configured "
            f"database is {configured}.",
        ):
            call_command("restore", name, source=str(self.folder), interactive=False)

    def test_only_the_newest_backups_are_kept(self):
        storage = backup.backup_storage(self.folder)
        names = [backup.create_backup(storage, keep=2, with_media=False)[0] for _ in range(3)]
        self.assertEqual(backup.list_backups(storage), names[1:])
        self.assertFalse((self.folder / names[0]).exists())

    def test_restore_without_a_name_lists_the_backups(self):
        call_command("backup", to=str(self.folder), stdout=io.StringIO(), no_media=True)
        out = io.StringIO()
        call_command("restore", source=str(self.folder), stdout=out)
        self.assertRegex(out.getvalue(), r"^backup-\d{8}T\d{9}Z-(sqlite|postgresql)\n$")
        with self.assertRaisesMessage(CommandError, "No backup named backup-nope"):
            call_command("restore", "backup-nope", source=str(self.folder), interactive=False)


def _temporary_folder():
    import tempfile

    return tempfile.TemporaryDirectory(prefix="test-backup-")


@pytest.mark.parametrize("keep", [0, -1])
def test_keeping_no_backup_at_all_is_refused(keep):
    with pytest.raises(CommandError, match="--keep must be at least 1"):
        call_command("backup", keep=keep, to="/nonexistent")
