"""The issue's "done when", in a real Chromium: a newcomer signs up, rates
Children of Heaven 4.5 stars with and without JavaScript, writes and edits a
review, a second fan marks it helpful, staff hide it and it disappears.

(Every fan page and its forms' error states go through the Nu Html Checker
and axe in test_every_page_type.py's crawl.)"""

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Film
from reviews.models import Rating, Review

from .fixtures import new_page

pytestmark = pytest.mark.browser

FILM_URL = "/films/children-of-heaven-1997/"
PASSWORD = "shoes-for-zahra-1997"


def sign_up(page, base, username):
    page.goto(f"{base}/accounts/signup/?next={FILM_URL}")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{FILM_URL}")


def status_says(page, text):
    page.wait_for_function(
        "text => document.querySelector('[data-rating-status]').textContent.includes(text)",
        arg=text,
    )


def summary(page):
    box = page.locator("#site-rating")
    return box.locator("strong").text_content(), box.locator(".rating-box__votes").text_content()


def test_newcomer_rates_reviews_is_found_helpful_and_staff_hide_it(site, chromium, settings):
    settings.RATE_LIMITS_ENABLED = False
    base = site.url
    page = new_page(chromium, javascript=True)
    sign_up(page, base, "newcomer")
    assert summary(page) == ("5", "1 rating")  # Ollie's imported 10/10.

    # With JavaScript: a click saves in place, a key changes it, no reload.
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    assert page.locator("[data-rating-save]").is_hidden()
    page.click("label[for=id_rating_points_8]")  # The ninth half star.
    status_says(page, "Saved: you rated it 4.5 out of 5.")
    assert summary(page) == ("4.8", "2 ratings")  # (10 + 9) / 2 points = 4.75 stars.
    page.keyboard.press("ArrowLeft")
    status_says(page, "Saved: you rated it 4 out of 5.")
    assert summary(page) == ("4.5", "2 ratings")
    page.click("[data-rating-clear]")
    status_says(page, "Your rating is cleared.")
    assert summary(page) == ("5", "1 rating")
    assert page.locator("[data-rating-clear]").is_hidden()
    assert navigations == []

    # Without JavaScript: the same widget is a form that posts and redirects.
    plain = new_page(chromium, javascript=False)
    plain.context.add_cookies(page.context.cookies())
    plain.goto(base + FILM_URL)
    plain.click("label[for=id_rating_points_8]")
    plain.click("[data-rating-save]")
    plain.wait_for_url(f"**{FILM_URL}#your-rating")  # Back at the stars, not the top.
    assert "Saved: you rated it 4.5 out of 5." in plain.locator(".messages").text_content()
    assert plain.locator("#id_rating_points_8").is_checked()
    assert summary(plain) == ("4.8", "2 ratings")

    # A review: its form starts from the fan's stars; then an edit.
    page.goto(base + FILM_URL)
    page.click("text=Write a review")
    assert page.locator("#id_rating_9").is_checked()  # The 4.5 stars given above.
    page.fill("#id_title", "One pair of shoes, two children")
    page.fill("#id_body", "Simple and true.\n\nThe race is unforgettable.")
    page.click("main button[type=submit]")
    assert "Your review is published." in page.locator(".messages").text_content()
    review_url = page.url
    page.click("text=Edit your review")
    page.fill("#id_title", "One pair of shoes, two children (edited)")
    page.click("label[for=id_rating_10]")  # Five stars now.
    page.click("main button[type=submit]")
    assert page.locator("h1").text_content() == "One pair of shoes, two children (edited)"
    page.goto(base + FILM_URL)
    assert summary(page) == ("5", "2 ratings")
    assert "(edited)" in page.locator("#reviews").text_content()

    # A second fan finds it helpful.
    second = new_page(chromium, javascript=True)
    sign_up(second, base, "second")
    second.goto(review_url)
    second.click("button:has-text('Helpful')")
    assert "1 fan found this helpful." in second.locator(".review__actions").text_content()

    # Staff hide it in the admin; it leaves every page and the counters.
    get_user_model().objects.create_superuser("staff", "staff@example.com", PASSWORD)
    admin = new_page(chromium, javascript=True)
    admin.goto(base + "/admin/reviews/review/")
    admin.fill("#id_username", "staff")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    review = Review.objects.get(author__username="newcomer")
    admin.check(f"input[name=_selected_action][value='{review.pk}']")
    admin.select_option("select[name=action]", "hide_reviews")
    admin.click("button[name=index]")
    assert "1 review(s) hidden." in admin.locator(".messagelist").text_content()

    visitor = new_page(chromium, javascript=True)
    assert visitor.goto(review_url).status == 404
    for path in [FILM_URL, FILM_URL + "reviews/", "/fans/newcomer/", "/"]:
        visitor.goto(base + path)
        assert "(edited)" not in visitor.content(), path
    visitor.goto(base + FILM_URL)
    assert summary(visitor) == ("5", "1 rating")
    film = Film.objects.get(slug="children-of-heaven-1997")
    assert (film.rating_count, film.rating_sum, film.review_count) == (1, 10, 1)
    assert Rating.objects.filter(user__username="newcomer").exists()  # Still theirs.
    for each in (page, plain, second, admin, visitor):
        each.context.close()
