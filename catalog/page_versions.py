"""Page versions, shared by every process that serves the site.

Cached pages and fragments (catalog/page_cache.py) are kept under versions:
a write gives the scopes it changes new versions, and what was kept under
the old ones is never served again. The cached parts themselves may live in
each process's own memory (the local-memory cache, the default), but the
versions must be the same for every process: a rating served by one gunicorn
worker must retire the page every other worker keeps, or they would serve the
old page for a day.

- With a shared cache (REDIS_URL) the versions live in that cache.
- Without one, in small files under PAGE_VERSIONS_DIR on this machine, one
  file a scope. Reading one is an open() and a read(); a new version replaces
  the file atomically, so a reader sees the old version or the new one.

A version is a random token, never a counter: a version lost (an evicted key,
a deleted file) comes back as a new token, never as an old value whose pages
might still be kept. Each version also records when it was written, so that
with a read replica (config/db_router.py) what is cached right after a write
is read from the primary while the replica may still lag behind.
"""

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache

from config import db_router

logger = logging.getLogger(__name__)


class Version(NamedTuple):
    token: str
    # When a write made this version (db_router's clock), or 0 for a version
    # first made by a read.
    written_at: float

    @classmethod
    def new(cls, written_at=0.0):
        return cls(uuid.uuid4().hex, written_at)

    @classmethod
    def parse(cls, text):
        """The version stored as `text`, or None for anything unreadable."""
        if not isinstance(text, str):
            return None
        token, _, written_at = text.partition(" ")
        try:
            return cls(token, float(written_at)) if token else None
        except ValueError:
            return None

    def __str__(self):
        # Always the same length (53 characters), so that a new version can
        # be written over the old one in place (see _write_file).
        return f"{self.token} {self.written_at:020.6f}"


def read(names):
    """The current version of each named scope ({name: Version}).

    A scope without a version gets one; when two processes make it at once,
    both end up with the same one.
    """
    if settings.PAGE_VERSIONS_DIR:
        return {name: _read_file(name) for name in names}
    keys = {name: _key(name) for name in names}
    found = cache.get_many(keys.values())
    versions = {}
    for name, key in keys.items():
        version = Version.parse(found.get(key))
        if version is None:
            # add(), not set(): two processes filling the same version agree.
            version = Version.new()
            if not cache.add(key, str(version), None):
                version = Version.parse(cache.get(key)) or version
        versions[name] = version
    return versions


def write(names):
    """Give each named scope a new version, written now."""
    now = db_router._clock()
    names = set(names)
    if settings.PAGE_VERSIONS_DIR:
        for name in names:
            _write_file(name, Version.new(written_at=now))
    else:
        cache.set_many({_key(name): str(Version.new(written_at=now)) for name in names}, None)


def clear():
    """Forget every version kept in files (in a shared cache, cache.clear() does)."""
    if settings.PAGE_VERSIONS_DIR:
        shutil.rmtree(settings.PAGE_VERSIONS_DIR, ignore_errors=True)


def _key(name):
    # Hashed: a scope names a slug of up to 320 characters, and a cache key
    # over 250 is refused by memcached and warned about by every backend.
    return "page-version:" + hashlib.sha256(name.encode()).hexdigest()


def _path(name):
    digest = hashlib.sha256(name.encode()).hexdigest()
    # 256 folders, so that a catalogue of a million pages never puts more than
    # a few thousand files in one folder.
    # Plain strings and os calls: this runs for every page served, cached or
    # not, and pathlib's objects cost more than the read itself.
    return os.path.join(settings.PAGE_VERSIONS_DIR, digest[:2], digest)


def _read_file(name):
    path = _path(name)
    try:
        try:
            version = _parse_file(path)
        except FileNotFoundError:
            version = None
        if version is None:
            version = _create_file(path, Version.new())
        return version
    except OSError:
        # A folder that cannot be read or written must not take the site
        # down: a fresh token means this page is rendered afresh, never stale.
        logger.exception("Page versions in %s cannot be used", settings.PAGE_VERSIONS_DIR)
        return Version.new()


def _create_file(path, version):
    """Store `version` at `path` unless another process did first; what is stored."""
    temporary = _temporary_file(path, version)
    try:
        # A hard link appears whole, with its content, and only if nothing is
        # there yet: the first of two processes making a version wins.
        os.link(temporary, path)
    except FileExistsError:
        existing = _parse_file(path)
        if existing is not None:
            return existing
        os.replace(temporary, path)  # an unreadable file is replaced
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return version


def _parse_file(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        # A version is 50-odd bytes; anything longer is not one.
        text = os.read(descriptor, 200)
    finally:
        os.close(descriptor)
    return Version.parse(text.decode("ascii", errors="replace"))


def _write_file(name, version):
    """Write `version` over the scope's file, in place.

    One write() of the same number of bytes at the start of the file: no
    temporary file and rename, which cost a write to the folder each (a
    rating bumps a film, its people and the lists: a few dozen versions). A
    reader sees the old version or the new one; were a read ever torn, it
    would find a token nobody has cached anything under, or no valid version
    and make a new one: a new version either way, never the old one.
    """
    path = _path(name)
    data = str(version).encode("ascii")
    try:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, data)
            os.ftruncate(descriptor, len(data))  # drops what a longer file had after
        finally:
            os.close(descriptor)
    except OSError:
        logger.exception("Page versions in %s cannot be written", settings.PAGE_VERSIONS_DIR)
        # The write itself is saved; without its file the scope's next read
        # makes a new version, which retires the old pages all the same.
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        except OSError:
            logger.exception("The stale page version %s stays", path)


def _temporary_file(path, version):
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".new-")
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(str(version))
    return temporary
