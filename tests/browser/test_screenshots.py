"""How the pages look: screenshots of every page type a visitor meets, at a
phone's 390 px and a laptop's 1,366 px, light and dark, compared with the
ones kept in docs/screenshots/ (a few stray pixels allowed), plus the layout
rules no screenshot shows: nothing scrolls sideways at 320 px, half-star
targets are 24 px or more, the film list's filters fold on phones with the
result count first, and the admin's film form fits 1,366 px.

The data is the seed fixture plus one fan whose dates are fixed, and every
page is seen logged out, so nothing depends on the day the test runs.

To accept new looks after a deliberate change:

    UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py

then look at the changed files in docs/screenshots/ (git diff shows which)
and commit them with the change. A failed comparison leaves the new picture
and a difference image in var/screenshots-failed/.
"""

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from PIL import Image, ImageChops

from catalog.models import Film
from reviews.models import Rating, Review
from reviews.tests.helpers import make_fan_review, make_user

from .fixtures import log_in, new_page
from .tools import ROOT

pytestmark = pytest.mark.browser

SHOTS = ROOT / "docs" / "screenshots"
FAILED = ROOT / "var" / "screenshots-failed"
UPDATE = os.environ.get("UPDATE_SCREENSHOTS") == "1"
WIDTHS = {"phone": 390, "desktop": 1366}
SCHEMES = ["light", "dark"]
FILM = "/films/children-of-heaven-1997/"
# A pixel counts as changed when a channel moves by more than this (font
# smoothing noise stays under it); a page may have this share of them.
CHANNEL_TOLERANCE = 24
CHANGED_SHARE = 0.002
FIXED = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def pages(site, settings):
    """The page types to photograph, by name, on a catalogue fixed in time."""
    settings.RATE_LIMITS_ENABLED = False
    film = Film.objects.get()
    fan = make_user("cinephile", date_joined=FIXED)
    review = make_fan_review(
        film,
        fan,
        points=9,
        title="One pair of shoes, two children",
        body="A small story with a big heart.\n\nThe race at the end is unforgettable.",
        published_at=FIXED,
    )
    Review.objects.filter(pk=review.pk).update(created_at=FIXED, updated_at=FIXED)
    Rating.objects.filter(user=fan).update(created_at=FIXED, updated_at=FIXED)
    ollie = Review.objects.get(author_name="Ollie")
    return {
        "home": "/",
        "film": FILM,
        "cast": FILM + "cast/",
        "person": "/people/bahare-seddiqi/",
        "review": ollie.get_absolute_url(),
        "film-list": "/films/",
        "fan-profile": "/fans/cinephile/",
    }


def difference(expected, actual):
    """The share of pixels that changed by more than the tolerance, and an
    image of where (white), or None when the sizes differ."""
    if expected.size != actual.size:
        return 1.0, None
    diff = ImageChops.difference(expected.convert("RGB"), actual.convert("RGB"))
    mask = diff.convert("L").point(lambda value: 255 if value > CHANNEL_TOLERANCE else 0)
    changed = mask.histogram()[255]
    return changed / (mask.width * mask.height), mask


def check(name, png):
    path = SHOTS / f"{name}.png"
    actual = Image.open(io.BytesIO(png))
    if UPDATE or not path.exists():
        SHOTS.mkdir(parents=True, exist_ok=True)
        actual.save(path, optimize=True)
        return None if UPDATE else f"{name}: no stored screenshot yet; wrote {path}"
    share, mask = difference(Image.open(path), actual)
    if share <= CHANGED_SHARE:
        return None
    FAILED.mkdir(parents=True, exist_ok=True)
    actual.save(FAILED / f"{name}.png")
    if mask is not None:
        mask.save(FAILED / f"{name}-diff.png")
    return (
        f"{name}: {share:.2%} of pixels changed (size {Image.open(path).size} → {actual.size}); "
        f"see {FAILED}"
    )


def test_every_page_type_looks_as_stored_at_two_widths_in_both_schemes(chromium, pages, site):
    problems = []
    for size, width in WIDTHS.items():
        for scheme in SCHEMES:
            page = new_page(
                chromium,
                javascript=False,
                viewport={"width": width, "height": 900},
                color_scheme=scheme,
            )
            try:
                for kind, path in pages.items():
                    page.goto(site.url + path)
                    png = page.screenshot(full_page=True, animations="disabled", caret="hide")
                    problem = check(f"{kind}-{size}-{scheme}", png)
                    if problem:
                        problems.append(problem)
            finally:
                page.context.close()
    assert not problems, "\n".join(problems)


def test_nothing_scrolls_sideways_at_320_px(chromium, pages, site):
    page = new_page(chromium, javascript=False, viewport={"width": 320, "height": 640})
    try:
        for kind, path in {**pages, "search": "/search/?q=heaven", "people": "/people/"}.items():
            page.goto(site.url + path)
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client, f"{kind} ({path}) scrolls sideways at 320 px: {scroll}"
    finally:
        page.context.close()


def test_half_star_targets_are_at_least_24_px_on_a_phone(chromium, pages, site):
    page = new_page(chromium, viewport={"width": 390, "height": 800})
    try:
        log_in(page, site.url, "cinephile")
        page.goto(site.url + FILM)
        boxes = [label.bounding_box() for label in page.locator(".star-input__star").all()]
        assert len(boxes) == 10
        for number, box in enumerate(boxes, start=1):
            assert box["width"] >= 24 and box["height"] >= 24, f"half star {number}: {box}"
    finally:
        page.context.close()


def test_film_list_shows_the_count_first_and_folds_filters_on_a_phone_only(chromium, pages, site):
    phone = new_page(chromium, javascript=False, viewport={"width": 390, "height": 800})
    desktop = new_page(chromium, javascript=False, viewport={"width": 1366, "height": 800})
    try:
        phone.goto(site.url + "/films/")
        assert phone.locator(".result-count").is_visible()
        assert not phone.locator("#id_q").is_visible()
        # The first film card is on the first screen, not below eleven fields.
        assert phone.locator(".film-card").first.bounding_box()["y"] < 800
        phone.click(".filters > summary")
        assert phone.locator("#id_q").is_visible()
        desktop.goto(site.url + "/films/")
        assert desktop.locator("#id_q").is_visible()
    finally:
        phone.context.close()
        desktop.context.close()


def test_admin_film_form_fits_1366_px(chromium, site):
    get_user_model().objects.create_superuser("editor", "editor@example.com", "long-pass-phrase-1")
    page = new_page(chromium, viewport={"width": 1366, "height": 900})
    try:
        page.goto(site.url + "/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "long-pass-phrase-1")
        page.click("input[type=submit]")
        page.goto(site.url + f"/admin/catalog/film/{Film.objects.get().pk}/change/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, f"the film change form is {width} px wide"
    finally:
        page.context.close()


def test_stored_screenshots_are_the_ones_this_module_takes():
    expected = {
        f"{kind}-{size}-{scheme}.png"
        for kind in ["home", "film", "cast", "person", "review", "film-list", "fan-profile"]
        for size in WIDTHS
        for scheme in SCHEMES
    }
    stored = {path.name for path in Path(SHOTS).glob("*.png")}
    assert stored == expected, f"missing {expected - stored}, unknown {stored - expected}"
