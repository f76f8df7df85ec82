"""Journeys through the site in a real browser, as visitors, fans and staff
take them; each visitor and fan journey runs with JavaScript on and off."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from catalog.models import BoxOfficeFigure, Film
from catalog.tests.helpers import make_film
from reviews.models import Rating, Review
from reviews.tests.helpers import PASSWORD, make_user

from .fixtures import PHONE, log_in, new_page

pytestmark = pytest.mark.browser

FILM = "/films/children-of-heaven-1997/"


def heading(page):
    return page.locator("h1")


def test_visitor_goes_from_home_to_film_cast_person_and_review(site, any_page):
    page = any_page
    page.goto(site.url + "/")
    page.get_by_role("link", name="Children of Heaven").first.click()
    expect(page).to_have_url(site.url + FILM)
    expect(heading(page)).to_contain_text("Children of Heaven (1997)")

    page.get_by_role("link", name="Full cast and crew").click()
    expect(heading(page)).to_contain_text("Full cast and crew")
    page.locator(".person-grid").get_by_role("link", name="Bahare Seddiqi").click()
    expect(heading(page)).to_have_text("Bahare Seddiqi")
    expect(page.locator("main")).to_contain_text("as Zohre")

    page.locator(".filmography").get_by_role("link", name="Children of Heaven").click()
    page.get_by_role("link", name="Simple, passionate and beautiful").first.click()
    expect(heading(page)).to_have_text("Simple, passionate and beautiful")
    expect(page.locator("main")).to_contain_text("Ollie")
    expect(page.locator(".review__rating [role=img]")).to_have_attribute(
        "aria-label", "5 out of 5 stars"
    )


def test_phone_sized_screens_never_scroll_sideways(site, chromium):
    make_film(title="Averyveryverylongunbrokentitle" * 4, original_title="عنوان" * 20)
    paths = [
        "/",
        "/films/",
        FILM,
        FILM + "cast/",
        FILM + "reviews/",
        Review.objects.first().get_absolute_url(),
        "/people/",
        "/people/majid-majidi/",
        "/search/?q=heaven",
        "/accounts/login/",
        "/accounts/signup/",
        Film.objects.latest("id").get_absolute_url(),
    ]
    page = new_page(chromium, viewport=PHONE)
    try:
        for path in paths:
            page.goto(site.url + path)
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths}"
    finally:
        page.context.close()


def test_staff_add_a_film_with_a_credit_and_box_office_in_the_admin(site, page):
    # The admin's person and country pickers are autocompletes, which need
    # JavaScript: this journey runs with it on only.
    get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)
    page.goto(site.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()

    page.goto(site.url + "/admin/catalog/film/add/")
    page.fill("#id_title", "The White Balloon")
    page.fill("#id_year", "1995")
    page.fill("#id_slug", "the-white-balloon")

    credit = page.locator("#credits-0")
    credit.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Majidi")
    page.locator(".select2-results__option", has_text="Majid Majidi").click()
    # The role by name: a director is "Director", not crew plus a job.
    page.select_option("#id_credits-0-part", label="Director")

    page.locator("#box_office_figures-group .add-row a").click()
    page.select_option("#id_box_office_figures-0-kind", "budget")
    page.fill("#id_box_office_figures-0-amount", "150000")
    page.fill("#id_box_office_figures-0-currency", "USD")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    film = Film.objects.get(title="The White Balloon")
    assert film.credits.get().person.name == "Majid Majidi"
    assert BoxOfficeFigure.objects.get(film=film).amount == 150_000

    page.goto(site.url + "/films/")
    page.get_by_role("link", name="The White Balloon").click()
    expect(heading(page)).to_contain_text("The White Balloon (1995)")
    expect(page.locator(".film-people")).to_contain_text("Director")
    expect(page.locator(".film-people")).to_contain_text("Majid Majidi")
    expect(page.locator("#box-office")).to_contain_text("$150,000")


def tab_to(page, locator, limit=150):
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    element = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if element.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_keyboard_alone_pages_through_the_film_list(site, page):
    for n in range(60):
        make_film(title=f"Film {n:02}")
    page.goto(site.url + "/films/")
    tab_to(page, page.locator(".pagination a[rel=next]"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    expect(page.locator(".pagination [aria-current=page]")).to_contain_text("2")
    tab_to(page, page.locator(".pagination a[rel=prev]"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]page=1"))


def test_keyboard_alone_opens_the_spoiler_fold(site, page):
    review = Review.objects.get()
    Review.objects.filter(pk=review.pk).update(is_spoiler=True)
    page.goto(site.url + review.get_absolute_url())
    body = page.locator("details.spoiler p").first
    expect(body).to_be_hidden()
    tab_to(page, page.locator("details.spoiler summary"))
    page.keyboard.press("Enter")
    expect(body).to_be_visible()
    page.keyboard.press("Space")
    expect(body).to_be_hidden()


def sign_up(page, username):
    page.get_by_role("link", name="sign up").first.click()
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(f"Welcome, {username}!")


def rate(page, javascript, *, label=None, key=None):
    """Rate on the film page by clicking a star's label or pressing a key on
    the focused star; without JavaScript, then Tab to Save and press Enter."""
    if label:
        page.click(f"label[for={label}]")
    if key:
        page.keyboard.press(key)
    if not javascript:
        tab_to(page, page.locator("[data-rating-save]"))
        page.keyboard.press("Enter")
        page.wait_for_load_state()


def expect_site_rating(page, stars, count):
    expect(page.locator("#site-rating strong")).to_have_text(stars)
    expect(page.locator("#site-rating")).to_contain_text(f"{count} rating")


def test_fan_signs_up_rates_writes_and_edits_a_review_and_another_finds_it_helpful(
    site, any_page, javascript, chromium, settings
):
    settings.RATE_LIMITS_ENABLED = False
    page = any_page
    page.goto(site.url + FILM)
    sign_up(page, "newfan")
    page.goto(site.url + FILM)

    # By mouse: the ninth half star is 4.5 stars. The seed review's 10/10
    # makes two ratings: (10 + 9) / 2 = 9.5 points = 4.75, shown as 4.8.
    rate(page, javascript, label="id_rating_points_8")
    expect(page.locator("[data-rating-status]")).to_contain_text("rated it 4.5 out of 5")
    expect_site_rating(page, "4.8", 2)

    # By keyboard: one half star down, then up again, on the focused star.
    page.focus("#id_rating_points_8")
    rate(page, javascript, key="ArrowLeft")
    expect(page.locator("[data-rating-status]")).to_contain_text("rated it 4 out of 5")
    page.focus("#id_rating_points_7")
    rate(page, javascript, key="ArrowRight")
    expect(page.locator("[data-rating-status]")).to_contain_text("rated it 4.5 out of 5")
    assert Rating.objects.get(user__username="newfan").points == 9

    page.get_by_role("link", name="Write a review").click()
    page.fill("#id_title", "Shoes and brothers")
    page.fill("#id_body", "A small story.\n\nA big heart.")
    expect(page.locator("#id_rating_9")).to_be_checked()  # Their 4.5 stars, carried over.
    page.locator("main form button[type=submit]").click()
    expect(heading(page)).to_have_text("Shoes and brothers")
    expect(page.locator(".review__points")).to_have_text("4.5")

    page.get_by_role("link", name="Edit your review").click()
    page.fill("#id_title", "Shoes, brothers and a race")
    page.click("label[for=id_rating_8]")  # The eighth half star: 4 stars.
    page.locator("main form button[type=submit]").click()
    expect(heading(page)).to_have_text("Shoes, brothers and a race")
    expect(page.locator(".review__points")).to_have_text("4")

    page.goto(site.url + FILM)
    expect_site_rating(page, "4.5", 2)  # (10 + 8) / 2 = 9 points.
    expect(page.locator("#reviews")).to_contain_text("Shoes, brothers and a race")
    review_url = Review.objects.get(author__username="newfan").get_absolute_url()

    make_user("secondfan")
    other = new_page(chromium, javascript=javascript)
    try:
        log_in(other, site.url, "secondfan")
        other.goto(site.url + review_url)
        other.get_by_role("button", name="Helpful").click()
        expect(other.locator(".review__helpful")).to_have_text("1 fan found this helpful.")
        expect(
            other.get_by_role("button", name=re.compile("You found this helpful"))
        ).to_be_visible()
    finally:
        other.context.close()
    assert Review.objects.get(author__username="newfan").helpful_count == 1


def test_a_form_with_errors_is_fixed_from_the_keyboard(site, any_page):
    page = any_page
    page.goto(site.url + "/accounts/signup/")
    page.focus("#id_username")
    page.keyboard.type("keyfan")
    page.keyboard.press("Tab")
    page.keyboard.type("not-an-email")
    for field in ("#id_password1", "#id_password2"):
        tab_to(page, page.locator(field))
        page.keyboard.type(PASSWORD)
    # Browsers check type=email before sending; switch that off, as a
    # hostile or old client would, so the server's errors show.
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.keyboard.press("Enter")
    email = page.locator("#id_email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main")).to_contain_text("Enter a valid email address.")
    tab_to(page, email)
    page.keyboard.press("Control+A")
    page.keyboard.type("keyfan@example.com")
    tab_to(page, page.locator("#id_password1"))
    page.keyboard.type(PASSWORD)
    tab_to(page, page.locator("#id_password2"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Welcome, keyfan!")
