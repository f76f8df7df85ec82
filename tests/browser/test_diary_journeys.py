"""Issue 15's journeys in a real Chromium, with JavaScript on and off: a fan
builds a ranked list, reorders it, makes it private and another fan gets a
404; a fan follows another and sees their new review in the feed; the
watchlist button works in place with JavaScript and as a form without.

(Every diary page and its forms' error states go through the Nu Html
Checker and axe in test_every_page_type.py's crawl.)"""

import pytest

from catalog.tests.helpers import make_film
from diary.models import ListEntry, WatchlistEntry
from reviews.tests.helpers import make_user

from .fixtures import log_in, new_page

pytestmark = pytest.mark.browser

FILM_URL = "/films/children-of-heaven-1997/"


def status_says(page, text):
    page.wait_for_function(
        "text => document.querySelector('[data-list-status]').textContent.includes(text)",
        arg=text,
    )


def order(page):
    return [text.strip() for text in page.locator(".list-editor__film a").all_text_contents()]


def test_a_ranked_list_is_built_reordered_made_private_and_hidden_from_others(
    site, any_page, javascript, settings, chromium
):
    settings.RATE_LIMITS_ENABLED = False
    base = site.url
    for title in ("Close-Up", "The Runner"):
        make_film(title=title, slug=title.lower().replace(" ", "-"), year=1990)
    make_user("maker")
    make_user("nosy")
    page = any_page
    log_in(page, base, "maker")

    page.goto(base + "/lists/new/")
    page.fill("#id_title", "Iranian essentials")
    page.check("#id_ranked")
    page.check("input[name=visibility][value=public]")
    page.click("main button[type=submit]")
    for query in ("close", "runner", "heaven"):
        page.fill("#id_q", query)
        page.click("#add-film-search button")
        page.locator("main ul.list-summaries button").first.click()
        page.wait_for_selector(".messages")
    assert order(page) == ["Close-Up", "The Runner", "Children of Heaven"]

    # Children of Heaven to the top: with the up button twice (in place with
    # JavaScript, posted forms without), then The Runner down with the keyboard
    # (JavaScript) or a typed place (without).
    for place in (2, 1):
        entry = page.locator(".list-editor__entry", has_text="Children of Heaven")
        entry.locator("button[value=up]").click()
        if javascript:
            status_says(page, f"Children of Heaven is now number {place}.")
        else:
            page.wait_for_load_state()
    assert order(page) == ["Children of Heaven", "Close-Up", "The Runner"]
    runner = page.locator(".list-editor__entry", has_text="The Runner")
    if javascript:
        runner.focus()
        page.keyboard.press("Alt+ArrowUp")
        status_says(page, "The Runner is now number 2.")
    else:
        runner.locator("input[name=position]").fill("2")
        runner.get_by_role("button", name="Move The Runner", exact=True).click()
        page.wait_for_load_state()
    assert order(page) == ["Children of Heaven", "The Runner", "Close-Up"]
    saved = list(ListEntry.objects.order_by("position").values_list("film__title", flat=True))
    assert saved == ["Children of Heaven", "The Runner", "Close-Up"]

    list_url = page.url.partition("#")[0].removesuffix("edit/")
    other = new_page(chromium, javascript=javascript)
    log_in(other, base, "nosy")
    assert other.goto(list_url).status == 200
    assert "Iranian essentials" in other.locator("h1").text_content()

    page.check("input[name=visibility][value=private]")
    page.click("button:has-text('Save the list')")
    assert "Your list is saved." in page.locator(".messages").text_content()
    assert other.goto(list_url).status == 404
    visitor = new_page(chromium, javascript=javascript)
    assert visitor.goto(list_url).status == 404
    assert page.goto(list_url).status == 200  # Still the owner's.
    for each in (other, visitor):
        each.context.close()


def test_a_fan_follows_another_and_sees_their_new_review_in_the_feed(site, any_page, settings):
    settings.RATE_LIMITS_ENABLED = False
    base = site.url
    make_user("reader")
    make_user("critic")
    page = any_page
    log_in(page, base, "reader")
    page.goto(base + "/fans/critic/")
    page.click("button:has-text('Follow')")
    assert "You follow critic" in page.locator(".messages").text_content()
    page.goto(base + "/feed/")
    assert "Nothing new" in page.locator("main").text_content()

    critic = new_page(page.context.browser, javascript=True)
    log_in(critic, base, "critic")
    critic.goto(base + FILM_URL + "reviews/new/")
    critic.fill("#id_title", "Shoes and a race")
    critic.fill("#id_body", "The race at the end is the best scene of the decade.")
    critic.click("main button[type=submit]")
    critic.context.close()

    page.goto(base + "/feed/")
    feed = page.locator("ol.feed").text_content()
    assert "critic" in feed and "Shoes and a race" in feed
    page.click("text=Shoes and a race")
    assert page.locator("h1").text_content().strip() == "Shoes and a race"


def test_the_watchlist_button_works_in_place_and_as_a_plain_form(
    site, any_page, javascript, settings
):
    settings.RATE_LIMITS_ENABLED = False
    base = site.url
    make_user("wisher")
    page = any_page
    log_in(page, base, "wisher")
    page.goto(base + FILM_URL)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.click("button:has-text('Add to watchlist')")
    page.wait_for_selector("button:has-text('On your watchlist')")
    assert WatchlistEntry.objects.filter(user__username="wisher").count() == 1
    if javascript:
        assert navigations == []  # Saved in place.
    page.goto(base + "/films/")
    page.click(".film-card button:has-text('On your watchlist')")
    page.wait_for_selector(".film-card button:has-text('+ Watchlist')")
    assert not WatchlistEntry.objects.exists()
