"""Backups that restore: a consistent copy of the database and the media files,
with a manifest of checksums, written to a storage (a folder or a bucket).

A backup is a folder named `backup-<UTC time>-<engine>`:

- `database.sqlite3` (SQLite's online backup API: a consistent copy taken
  while the site keeps writing) or `database.pgdump` (`pg_dump -Fc`, which
  reads one snapshot of the database);
- `media/…`: every file of the media storage;
- `manifest.json`: the SHA-256 and size of every file above, the engine, the
  applied migrations, and each table's row count and checksum as of the
  snapshot, written last, so a folder without one is an unfinished backup.

The table checksums are read from the snapshot itself (the copied SQLite
file; on PostgreSQL the very snapshot pg_dump reads, exported from our own
transaction), so after a restore the database must match them exactly,
however busy the site was when the backup was taken.

The commands are `manage.py backup` and `manage.py restore`; this module
knows no app, only tables, files and storages.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT = 1
PREFIX = "backup-"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why in plain words."""


def engine():
    """ "sqlite" or "postgresql": the configured database's engine."""
    if connection.vendor in DATABASE_FILES:
        return connection.vendor
    raise BackupError(f"Backups know SQLite and PostgreSQL, not {connection.vendor}.")


def backup_storage(folder=None):
    """Where backups live: `folder` if given (a local path), else the
    "backups" storage of settings.STORAGES (a folder, or S3 and the like)."""
    if folder:
        return FileSystemStorage(location=str(folder))
    return storages["backups"]


def list_backups(storage):
    """Names of the finished backups in a storage, oldest first (the names
    start with their UTC time, so they sort in time order)."""
    try:
        folders, _ = storage.listdir("")
    except FileNotFoundError:
        return []
    return sorted(
        name for name in folders if name.startswith(PREFIX) and storage.exists(f"{name}/{MANIFEST}")
    )


def _sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# Table checksums -----------------------------------------------------------


def _normalised(value):
    """One cell, the same however the connection's time zone or driver
    hands it over."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    if isinstance(value, datetime | date | time | Decimal):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _checksum_rows(rows):
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(repr(tuple(_normalised(value) for value in row)).encode())
        digest.update(b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def _fetch_in_batches(cursor):
    while batch := cursor.fetchmany(2000):
        yield from batch


def sqlite_table_checksums(sqlite_connection):
    """{table: {"rows", "sha256"}} of every table in a raw sqlite3 connection
    (no type conversion: cells exactly as stored), rows in primary-key order.
    Virtual tables (full-text indexes) are left out: their shadow tables,
    which hold their content, are counted."""
    tables = [
        name
        for name, sql in sqlite_connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        if not (sql or "").upper().startswith("CREATE VIRTUAL TABLE")
    ]
    result = {}
    for table in tables:
        columns = sqlite_connection.execute(f'PRAGMA table_info("{table}")').fetchall()
        keys = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
        order = ", ".join(f'"{key}"' for key in keys) or ", ".join(
            str(n) for n in range(1, len(columns) + 1)
        )
        cursor = sqlite_connection.execute(f'SELECT * FROM "{table}" ORDER BY {order}')
        result[table] = _checksum_rows(_fetch_in_batches(cursor))
    return result


def postgresql_table_checksums(pg_connection):
    """The same for a psycopg connection, inside whatever transaction (and
    snapshot) it is in; rows come through a server-side cursor, so a big
    table is never held in memory."""
    tables = [
        row[0]
        for row in pg_connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]
    result = {}
    for table in tables:
        keys = [
            row[0]
            for row in pg_connection.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                [f'"{table}"'],
            )
        ]
        ncolumns = pg_connection.execute(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped",
            [f'"{table}"'],
        ).fetchone()[0]
        order = ", ".join(f'"{key}"' for key in keys) or ", ".join(
            str(n) for n in range(1, ncolumns + 1)
        )
        with pg_connection.cursor(name=f"checksum_{len(result)}") as cursor:
            cursor.itersize = 2000
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY {order}')
            result[table] = _checksum_rows(cursor)
    return result


def _new_postgresql_connection():
    """A psycopg connection of our own, set up as Django sets up its own
    (same adapters), reading times in UTC."""
    pg = connection.get_new_connection(connection.get_connection_params())
    pg.autocommit = False
    pg.execute("SET TIME ZONE 'UTC'")
    pg.commit()
    return pg


def table_checksums():
    """Row counts and checksums of every table of the configured database,
    as it is now."""
    if engine() == "sqlite":
        with sqlite3.connect(settings.DATABASES["default"]["NAME"]) as raw:
            return sqlite_table_checksums(raw)
    pg = _new_postgresql_connection()
    try:
        pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return postgresql_table_checksums(pg)
    finally:
        pg.close()


# PostgreSQL's tools ----------------------------------------------------------


def _postgresql_environment():
    """pg_dump and pg_restore read where and as whom to connect from the
    environment, so no password shows in the process list."""
    database = settings.DATABASES["default"]
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if database.get(key):
            env[variable] = str(database[key])
    if sslmode := database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env


def _server_major_version():
    connection.ensure_connection()
    return connection.connection.info.server_version // 10000


def postgresql_tool(name):
    """Path of pg_dump or pg_restore no older than the server (an older
    pg_dump refuses a newer server): PG_BIN_DIR if set, then Debian's
    /usr/lib/postgresql/<server version>/bin, then the PATH."""
    server = _server_major_version()
    candidates = [
        *([Path(settings.PG_BIN_DIR) / name] if settings.PG_BIN_DIR else []),
        Path(f"/usr/lib/postgresql/{server}/bin/{name}"),
        *([Path(found)] if (found := shutil.which(name)) else []),
    ]
    for candidate in candidates:
        if candidate.is_file():
            output = subprocess.run(
                [str(candidate), "--version"], capture_output=True, text=True, check=True
            ).stdout
            # "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
            found_version = re.search(r"\)\s*(\d+)", output)
            if found_version and int(found_version.group(1)) >= server:
                return str(candidate)
    raise BackupError(
        f"No {name} for PostgreSQL {server} or newer was found. Install the client "
        f"(Debian: apt-get install postgresql-client-{server}) or set DJANGO_PG_BIN_DIR "
        f"to the folder holding {name}."
    )


# Backup ------------------------------------------------------------------------


def _applied_migrations():
    return sorted(
        f"{app}.{name}"
        for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
    )


def _snapshot_sqlite(target):
    """Copy the database with SQLite's online backup API, in one step, so the
    copy is one consistent state; writers carry on meanwhile (WAL). Returns
    the copy's table checksums."""
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        return sqlite_table_checksums(copy)
    finally:
        copy.close()
        source.close()


def _snapshot_postgresql(target):
    """pg_dump -Fc of a snapshot exported from a transaction of ours, which
    then reads its checksums from that same snapshot."""
    pg_dump = postgresql_tool("pg_dump")
    pg = _new_postgresql_connection()
    try:
        pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
        result = subprocess.run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=_postgresql_environment(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return postgresql_table_checksums(pg)
    finally:
        pg.close()


def _walk(storage, folder=""):
    """Every file name in a storage, recursively."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for name in sorted(folders):
        yield from _walk(storage, f"{folder}{name}/")


def _copy_media(staging):
    """Every media file into staging/media/ but those under a folder of
    BACKUP_MEDIA_EXCLUDE; {name: path of the copy}."""
    copied = {}
    skipped = tuple(settings.BACKUP_MEDIA_EXCLUDE)
    for name in _walk(default_storage):
        if skipped and name.startswith(skipped):
            continue
        target = staging / "media" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
        copied[f"media/{name}"] = target
    return copied


def create_backup(storage, *, keep=None, with_media=True, now=None):
    """Take a backup into `storage`, then delete all but the newest `keep`.
    Returns (name, manifest)."""
    kind = engine()
    now = now or timezone.now()
    name = f"{PREFIX}{now:%Y%m%dT%H%M%S}{now.microsecond // 1000:03d}Z-{kind}"
    staging_parent = settings.BACKUP_STAGING_DIR or None
    with tempfile.TemporaryDirectory(prefix="backup-", dir=staging_parent) as folder:
        staging = Path(folder)
        database_file = DATABASE_FILES[kind]
        migrations = _applied_migrations()
        snapshot = _snapshot_sqlite if kind == "sqlite" else _snapshot_postgresql
        tables = snapshot(staging / database_file)
        files = {database_file: staging / database_file}
        if with_media:
            files.update(_copy_media(staging))
        manifest = {
            "format": FORMAT,
            "name": name,
            "created_at": now.isoformat(),
            "engine": kind,
            "database_file": database_file,
            "migrations": migrations,
            "files": {
                relative: {"sha256": _sha256_of(path), "bytes": path.stat().st_size}
                for relative, path in files.items()
            },
            "tables": tables,
        }
        for relative, path in files.items():
            with open(path, "rb") as stream:
                _save(storage, f"{name}/{relative}", stream)
        # Last: a folder without a manifest is an unfinished backup.
        manifest_path = staging / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True))
        with open(manifest_path, "rb") as stream:
            _save(storage, f"{name}/{MANIFEST}", stream)
    if keep:
        prune(storage, keep)
    return name, manifest


def _save(storage, name, stream):
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, File(stream, name=os.path.basename(name)))
    if saved != name:  # A storage that renamed the file would break the manifest.
        raise BackupError(f"The backup storage saved {name} as {saved}.")


def delete_backup(storage, name):
    for file_name in list(_walk(storage, f"{name}/")):
        storage.delete(file_name)
    # A folder on disk stays behind as empty directories; remove them.
    if isinstance(storage, FileSystemStorage):
        shutil.rmtree(storage.path(name), ignore_errors=True)


def prune(storage, keep):
    """Delete all but the newest `keep` finished backups, and any unfinished
    one older than the oldest kept."""
    finished = list_backups(storage)
    doomed = finished[:-keep] if keep < len(finished) else []
    kept = finished[-keep:]
    try:
        folders, _ = storage.listdir("")
    except FileNotFoundError:
        folders = []
    unfinished = [
        name
        for name in folders
        if name.startswith(PREFIX) and name not in finished and kept and name < kept[0]
    ]
    for name in doomed + unfinished:
        delete_backup(storage, name)
    return doomed


# Restore -----------------------------------------------------------------------


def read_manifest(storage, name):
    if name == "latest":
        names = list_backups(storage)
        if not names:
            raise BackupError("There is no backup to restore.")
        name = names[-1]
    path = f"{name}/{MANIFEST}"
    if not storage.exists(path):
        raise BackupError(f"No backup named {name} (or it is unfinished: it has no {MANIFEST}).")
    with storage.open(path, "rb") as stream:
        try:
            manifest = json.load(stream)
        except ValueError as error:
            raise BackupError(f"The manifest of {name} is not valid JSON: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{name} has manifest format {manifest.get('format')}, not {FORMAT}.")
    return name, manifest


def fetch_and_verify(storage, name, manifest, staging, with_media=True):
    """Copy the backup's files into `staging`, checking each against the
    manifest; BackupError on the first file missing or damaged, before
    anything is restored."""
    for relative, expected in manifest["files"].items():
        if not with_media and relative.startswith("media/"):
            continue
        source = f"{name}/{relative}"
        if not storage.exists(source):
            raise BackupError(f"{name} is incomplete: {relative} is missing. Nothing was restored.")
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(source, "rb") as stream, open(target, "wb") as copy:
            shutil.copyfileobj(stream, copy, CHUNK)
        actual = _sha256_of(target)
        if actual != expected["sha256"]:
            raise BackupError(
                f"{name} is damaged: the checksum of {relative} does not match its manifest "
                f"(expected SHA-256 {expected['sha256']}, found {actual}). Nothing was "
                "restored; try an older backup."
            )


def check_engine(manifest):
    configured = engine()
    if manifest["engine"] != configured:
        raise BackupError(
            f"This backup is of a {ENGINE_NAMES[manifest['engine']]} database, and the "
            f"configured database is {ENGINE_NAMES[configured]}. Restore it into a "
            f"{ENGINE_NAMES[manifest['engine']]} database (set DATABASE_URL); to move "
            "between engines, use the open data dump or dumpdata/loaddata instead."
        )


def restore_database(staging, manifest):
    path = staging / manifest["database_file"]
    connections.close_all()
    if manifest["engine"] == "sqlite":
        source = sqlite3.connect(path)
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=60)
        try:
            # Page by page into the configured file, under its write lock:
            # other connections see the old database, then the restored one.
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    result = subprocess.run(
        [
            postgresql_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(path),
        ],
        env=_postgresql_environment(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed, and the database was left as it was: {result.stderr.strip()}"
        )


def restore_media(staging, manifest):
    """Put every media file of the backup back in the media storage
    (replacing a file of the same name); files added since stay."""
    restored = 0
    for relative in manifest["files"]:
        if not relative.startswith("media/"):
            continue
        name = relative.removeprefix("media/")
        with open(staging / relative, "rb") as stream:
            if default_storage.exists(name):
                default_storage.delete(name)
            default_storage.save(name, File(stream, name=os.path.basename(name)))
        restored += 1
    return restored


def compare_tables(expected, actual):
    """Lines describing how the restored tables differ from the manifest's."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            problems.append(f"{table}: missing")
        elif table not in expected:
            problems.append(f"{table}: not in the backup ({actual[table]['rows']} rows)")
        elif actual[table] != expected[table]:
            problems.append(
                f"{table}: {actual[table]['rows']} rows, the backup had {expected[table]['rows']}"
                + (
                    " (same count, different content)"
                    if actual[table]["rows"] == expected[table]["rows"]
                    else ""
                )
            )
    return problems


def migrations_not_in_backup(manifest):
    """Migrations this release ships that the backed-up database had not run."""
    from django.db.migrations.loader import MigrationLoader

    shipped = {f"{app}.{name}" for app, name in MigrationLoader(None).graph.nodes}
    return sorted(shipped - set(manifest["migrations"]))
