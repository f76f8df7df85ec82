"""Loaded by pytest (`-p tests.settings_env`) before Django's settings.

Settings refuse to load without a secret key when debug is off, as in
production. Tests run with debug off too, so they get a throwaway key made
afresh for each run; no key is stored anywhere.
"""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
# The test client talks plain HTTP; tests of the HTTPS-only settings turn
# them on themselves or run Django in a subprocess with production settings.
os.environ.setdefault("DJANGO_HTTPS", "0")
# A read replica from the shell would send every test's reads to it; the
# suite makes its own two-database set-up (conftest.py, test_read_replica.py).
os.environ.pop("DATABASE_REPLICA_URL", None)
