"""The default cache on one machine: Django's files, counted atomically."""

import os
import pickle
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends import filebased
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.files import locks


class FileBasedCache(filebased.FileBasedCache):
    """Django's file cache, with add() and incr() atomic across processes.

    Every gunicorn worker on the machine reads and writes the same folder, so
    what one worker caches or counts, the others see. But Django's add() and
    incr() each read a file and then write it: two workers counting the same
    rate-limit post at once could both read 4 and both write 5, and with N
    workers a limit could let up to N times as many posts through. Here both
    hold an exclusive lock on one file of the folder from the read to the
    write. Nothing else takes the lock: pages and fragments are set and read
    as before (a whole-file rename, already atomic).
    """

    lock_name = "add-and-incr.lock"  # Not *.djcache: clear() and culls leave it.

    @contextmanager
    def _locked(self):
        self._createdir()
        with open(os.path.join(self._dir, self.lock_name), "ab") as lock_file:
            locks.lock(lock_file, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock_file)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        """Like Django's, but the count keeps its expiry time (Django's incr()
        sets the cache's default timeout again) and no other add() or incr()
        runs in between."""
        fname = self._key_to_file(key, version)
        with self._locked():
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)
                    value = pickle.loads(zlib.decompress(f.read()))
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found") from None
            remaining = None if expiry is None else expiry - time.time()
            if remaining is not None and remaining <= 0:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self.set(key, value, remaining, version)
            return value
