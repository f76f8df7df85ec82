"""Test-wide set-up shared by every app's tests."""

import pytest

from tests.browser.tools import missing_browser_tools

pytest_plugins = ["tests.browser.fixtures"]


def pytest_configure(config):
    from django.conf import settings

    # A deliberately slow password hash is the point in production and a
    # waste of minutes in tests that create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _add_a_separate_replica_database(settings)
    default_cache = settings.CACHES["default"]
    if default_cache["BACKEND"].endswith("FileBasedCache"):
        # Never the folder of the site served from this checkout, and one
        # folder per test process (pytest-xdist runs several).
        import tempfile

        default_cache["LOCATION"] = tempfile.mkdtemp(prefix="test-cache-")
    if settings.PAGE_VERSIONS_DIR:
        # Never the folder of the site served from this checkout.
        import tempfile

        settings.PAGE_VERSIONS_DIR = tempfile.mkdtemp(prefix="test-page-versions-")


def pytest_unconfigure(config):
    import shutil

    from django.conf import settings

    if settings.PAGE_VERSIONS_DIR:
        shutil.rmtree(settings.PAGE_VERSIONS_DIR, ignore_errors=True)


def _add_a_separate_replica_database(settings):
    """A "replica" database beside the primary, for tests/test_read_replica.py.

    A real second database (another SQLite file, or test_<name>_replica on
    PostgreSQL), made by the test run only when a collected test asks for it.
    No router sends anything there unless a test installs one, so the rest of
    the suite keeps using the one database.
    """
    from copy import deepcopy

    primary = settings.DATABASES["default"]
    replica = deepcopy(primary)
    test_name = primary.get("TEST", {}).get("NAME") or f"test_{primary['NAME']}"
    if primary["ENGINE"] == "django.db.backends.sqlite3":
        replica["NAME"] = str(primary["NAME"]).removesuffix(".sqlite3") + "-replica.sqlite3"
        test_name = str(test_name).removesuffix(".sqlite3") + "-replica.sqlite3"
    else:
        test_name = f"{test_name}_replica"
    replica["TEST"] = {**primary.get("TEST", {}), "NAME": test_name, "MIRROR": None}
    settings.DATABASES["replica"] = replica


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The hashed-name storage needs `collectstatic` first; tests don't.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings):
    # With REDIS_URL, sessions are cached_db and a logged-in page reads its
    # session from Redis instead of the database: one query fewer. Query-count
    # tests should not depend on the cache backend, so they all count the
    # database read; tests/test_cache_backend.py checks the cached sessions.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Page tests measure the real render (its queries, its output);
    # catalog/tests/test_page_cache.py switches the page cache back on.
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and cached page parts live in the cache; one test's
    # must not leak into the next. With REDIS_URL this empties that database.
    from django.core.cache import cache

    from catalog import page_versions

    clears = (cache.clear, page_versions.clear)
    for clear in clears:
        clear()
    yield
    for clear in clears:
        clear()


@pytest.fixture(autouse=True)
def _temporary_media_root(settings, tmp_path):
    # Uploads made by tests land in a folder of their own, never in media/.
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_collection_modifyitems(config, items):
    """Without Chromium (or the HTML checker's Java and npm tools) the tests
    marked `browser` are skipped, and the run says so once, at the end."""
    missing = missing_browser_tools()
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not missing or not browser_items:
        return
    reason = "browser tests skipped: " + "; ".join(missing)
    config._browser_skip_reason = reason
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter, config):
    reason = getattr(config, "_browser_skip_reason", None)
    if reason:
        terminalreporter.write_line(reason, yellow=True, bold=True)
