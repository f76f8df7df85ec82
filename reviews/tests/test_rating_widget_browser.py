"""The star widget in a real headless Chromium, with JavaScript on and off.

Skipped, with the rest of the `browser` tests, where Debian's chromium is
missing. The site is pytest-django's live server on the test database; the
browser is the session's shared one (tests/browser/fixtures.py).
"""

import pytest

from catalog.models import Film
from catalog.tests.helpers import make_film
from reviews.models import Rating

from .helpers import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def film_page(live_server, transactional_db, chromium, request):
    """A logged-in fan on a film's page; the param switches JavaScript."""

    def open_page(javascript):
        film = make_film(title="Children of Heaven")
        make_user("newcomer")
        context = chromium.new_context(java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/?next={film.get_absolute_url()}")
        page.fill("#id_username", "newcomer")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"**{film.get_absolute_url()}")
        return film, page

    return open_page


def status_says(page, text):
    page.wait_for_function(
        "text => document.querySelector('[data-rating-status]').textContent.includes(text)",
        arg=text,
    )


def test_with_javascript_a_click_or_a_key_saves_in_place(film_page):
    film, page = film_page(javascript=True)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    assert page.locator("[data-rating-save]").is_hidden()  # Saving is automatic.

    page.click("label[for=id_rating_points_8]")  # The ninth half star: 4.5.
    status_says(page, "Saved: you rated it 4.5 out of 5.")
    assert page.locator("#site-rating strong").text_content() == "4.5"
    assert page.locator("#site-rating .rating-box__votes").text_content() == "1 rating"

    page.keyboard.press("ArrowLeft")  # Focus is on the radio: one half star down.
    status_says(page, "Saved: you rated it 4 out of 5.")
    assert page.locator("#site-rating strong").text_content() == "4"
    assert Rating.objects.get(film=film).points == 8

    page.click("[data-rating-clear]")
    status_says(page, "Your rating is cleared.")
    assert "No ratings yet" in page.locator("#site-rating").text_content()
    assert page.locator("[data-rating-clear]").is_hidden()
    assert navigations == []
    assert not Rating.objects.exists()


def test_without_javascript_the_widget_is_a_form_that_posts_and_redirects(film_page):
    film, page = film_page(javascript=False)
    page.click("label[for=id_rating_points_8]")
    page.click("[data-rating-save]")
    page.wait_for_url(f"**{film.get_absolute_url()}")
    assert "Saved: you rated it 4.5 out of 5." in page.locator(".messages").text_content()
    assert page.locator("#site-rating strong").text_content() == "4.5"
    assert page.locator("#id_rating_points_8").is_checked()
    film = Film.objects.get(pk=film.pk)
    assert (film.rating_count, film.rating_sum) == (1, 9)
