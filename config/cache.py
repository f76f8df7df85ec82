"""The default cache on one machine: Django's files, counted atomically."""

import os
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
    write. Nothing else takes the lock: pages are set and read as before (a
    whole-file rename, already atomic). Only the public cache API is used.
    """

    LOCK_NAME = "add-and-incr.lock"  # Not *.djcache: clear() and culls leave it.

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self.lock_path = os.path.join(os.path.abspath(dir), self.LOCK_NAME)

    @contextmanager
    def _locked(self):
        os.makedirs(os.path.dirname(self.lock_path), exist_ok=True)
        with open(self.lock_path, "ab") as lock_file:
            locks.lock(lock_file, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock_file)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        # Django's incr(): get(), then set() with the default timeout. A rate
        # limit's count lives in a key of its own time window, so the longer
        # expiry only keeps a finished window's count on disk a little longer.
        with self._locked():
            return super().incr(key, delta, version)
