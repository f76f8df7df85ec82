"""One headless Debian Chromium for the whole run, and the live site it visits.

Loaded for every app's tests by the root conftest (`pytest_plugins`), so any
test marked `browser` can ask for `chromium`, `site`, `page` or `any_page`.

The site is pytest-django's live server: a real HTTP server in a thread of the
test process, on a free port, using the test database. Its tests need
transactional database access (data must be committed for the server thread
to see it), so each test starts from an empty database and loads the
`children-of-heaven` fixture.
"""

import os

import pytest
from django.core.management import call_command

from .tools import CHROMIUM_ARGS, CHROMIUM_PATH

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# then refuses to run, though every call here is synchronous. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # A plain launch starts from a fresh temporary profile that Playwright
        # deletes afterwards: no cache or cookies carried over between runs.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    call_command("loaddata", "children-of-heaven", verbosity=0)
    return live_server


def new_page(chromium, *, javascript=True, viewport=DESKTOP, color_scheme="light", csp=True):
    context = chromium.new_context(
        java_script_enabled=javascript,
        viewport=viewport,
        color_scheme=color_scheme,
        # csp=False: the page may inject scripts (axe-core) past the site's CSP.
        bypass_csp=not csp,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(chromium):
    page = new_page(chromium)
    yield page
    page.context.close()


@pytest.fixture
def audit_page(chromium):
    """A page that may inject axe-core: the site's Content Security Policy
    rightly refuses injected scripts, so this one context ignores it."""
    page = new_page(chromium, csp=False)
    yield page
    page.context.close()


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def javascript(request):
    return request.param


@pytest.fixture
def any_page(javascript, chromium):
    """A page with JavaScript on, then again with it off: journeys must work both ways."""
    page = new_page(chromium, javascript=javascript)
    yield page
    page.context.close()


def log_in(page, base_url, username):
    """Log in through the site's own form, as a visitor would."""
    from reviews.tests.helpers import PASSWORD

    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
