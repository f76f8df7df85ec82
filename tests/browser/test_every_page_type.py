"""Every page type, found by crawling the running site, is valid HTML (the Nu
Html Checker finds no error) and has no axe-core violation at WCAG 2.2 AA, in
the light and the dark colour scheme."""

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog import history
from catalog.models import Country, Credit, Film, Genre, Language, Person
from corrections.models import Correction
from diary import services as diary_services
from diary.models import FilmList
from diary.tests.helpers import log, make_list
from fandata import importer
from fandata.tests.helpers import letterboxd_zip, upload
from reviews.models import Review
from reviews.tests.helpers import make_fan_review, make_user

from .crawl import PageType, crawl
from .fixtures import log_in
from .tools import AXE_JS, VNU_JAR

pytestmark = pytest.mark.browser
User = get_user_model()

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Page types a visitor can reach from the home page, whatever else lands.
EXPECTED = {
    "catalog:home",
    "catalog:film-list",
    "catalog:film-detail",
    "catalog:film-cast",
    "catalog:film-history",
    "catalog:person-list",
    "catalog:person-detail",
    "catalog:person-filmography",
    "catalog:genre-list",
    "catalog:genre-detail",
    "catalog:country-list",
    "catalog:country-detail",
    "catalog:language-list",
    "catalog:language-detail",
    "reviews:film-review-list",
    "reviews:review-detail",
    "catalog:search",
    "page not found",
    "accounts:login",
    "accounts:signup",
    "accounts:login (form sent empty)",
    "accounts:signup (form sent empty)",
    "reviews:profile",
    "reviews:review-edit",
    "reviews:review-edit (form sent empty)",
    "reviews:review-delete",
    "reviews:rating-set (form sent empty)",
    "opendata:download",
    "opendata:consent",
    "opendata:consent (form sent empty)",
    "corrections:suggest-film",
    "corrections:suggest-film (form sent empty)",
    "corrections:suggest-person",
    "corrections:mine",
    # The diary app's pages (a fan's film life).
    "diary:feed",
    "diary:diary",
    "diary:watchlist",
    "diary:fan-lists",
    "diary:my-lists",
    "diary:list-detail",
    "diary:list-edit",
    "diary:list-create",
    "diary:diary-log",
    "diary:film-add-to-list",
    "diary:list-delete",
    "diary:diary-log (form sent empty)",
    "diary:list-create (form sent empty)",
    "diary:list-edit (form sent empty)",
    "diary:list-entry-move (form sent empty)",
    "diary:watchlist-toggle (form sent empty)",
    "diary:follow (form sent empty)",
    "diary:list-like (form sent empty)",
    "fandata:index",
    "fandata:account-delete",
    "fandata:import",
    "fandata:import (form sent empty)",
    "fandata:import-preview",
}

# Known-bad pages run through the same checks first, so a broken checker
# (or a broken way of calling it) cannot pass silently.
INVALID_HTML = b"<!DOCTYPE html><html lang=en><title>x</title><p><div></p>"


# Only these rules depend on colours; the dark scheme re-runs just them.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def run_axe(page, rules=None):
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_22_AA}
    return page.evaluate(
        """only => axe.run(document, {runOnly: only})
            .then(result => result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
            })))""",
        only,
    )


def check_html(page_types):
    """All pages in one run of the checker (Java starts once); its errors by page."""
    control = PageType("invalid control page", "", html=INVALID_HTML)
    page_types = [control, *page_types]
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for number, page_type in enumerate(page_types):
            path = Path(folder) / f"page-{number:02}.html"
            path.write_bytes(page_type.html)
            files[path.name] = page_type
        result = subprocess.run(
            [
                "java",
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--exit-zero-always",
                *map(str, sorted(Path(folder).iterdir())),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    messages = json.loads(result.stderr)["messages"]
    errors = {}
    for message in messages:
        if message["type"] in ("error", "non-document-error"):
            page_type = files.get(message.get("url", "").rpartition("/")[2])
            label = page_type.name if page_type else message.get("url")
            errors.setdefault(label, []).append(
                f"line {message.get('lastLine')}: {message['message']} "
                f"[{message.get('extract', '').strip()}]"
            )
    assert errors.pop(control.name, None), "the HTML checker missed a known error"
    return errors


@pytest.fixture
def catalogue(site, settings):
    settings.RATE_LIMITS_ENABLED = False
    film = Film.objects.get()
    # A fan with a review, so the crawl logged in meets the edit, delete and
    # profile pages too.
    crawler = make_user("crawler")
    make_fan_review(film, crawler, points=9, title="Crawled", is_spoiler=True)
    film.genres.add(Genre.objects.create(name="Drama", slug="drama"))
    film.countries.add(Country.objects.create(name="Iran", slug="iran", code="IR"))
    film.languages.add(Language.objects.create(name="Persian", slug="persian", code="fa"))
    # The seed's director acting in more films than a person page shows, so
    # the crawl (which starts at his page) meets the page of all of them.
    prolific = Person.objects.get(slug="majid-majidi")
    films = Film.objects.bulk_create(
        Film(title=f"Crawled film {n}", slug=f"crawled-film-{n}", year=1950 + n) for n in range(51)
    )
    Credit.objects.bulk_create(Credit(film=f, person=prolific, character="Extra") for f in films)
    # A history entry, so the film's History page lists one.
    history.record_baseline(Film, [film.pk])
    # A decided correction, so the fan's profile shows its notice.
    Correction.objects.create(
        author=User.objects.get(username="crawler"),
        film=film,
        field="year",
        proposed_value="1998",
        explanation="Checked.",
        source_url="https://example.org/",
        status=Correction.Status.DECLINED,
        decline_reason="The poster says 1997.",
        decided_at=timezone.now(),
    )
    # A viewing and a ranked list of the crawler's, and another fan with a
    # public list, a public watchlist and a review the crawler follows, so the
    # feed, like and follow buttons and the list pages are met.
    log(crawler, film, liked=True)
    make_list(crawler, film, title="Crawled ranking", ranked=True, description="Two\n\nparas")
    other = make_user("listmaker", watchlist_is_public=True)
    make_fan_review(film, other, points=4, title="Another view")
    make_list(other, film, title="Another list")
    diary_services.follow(crawler, other)
    # An upload waiting for the crawler's confirmation, so the crawl meets the
    # import preview with every part shown: found, to choose, not found, and
    # values it could not read.
    Film.objects.create(title="Hamlet", slug="hamlet-1", year=1996)
    Film.objects.create(title="Hamlet", slug="hamlet-2", year=1996)
    rows = [
        ["2024-01-01", "Children of Heaven", "1997", "", "4.5"],
        ["2024-01-01", "Hamlet", "1996", "", "3"],
        ["2024-01-01", "A Film Nobody Made", "2020", "", "9"],
    ]
    importer.prepare(
        get_user_model().objects.get(username="crawler"),
        upload(letterboxd_zip({"ratings.csv": rows})),
    )
    return site


def check_with_axe(page, page_types, subtests):
    for page_type in page_types:
        page_type.visit(page)
        with subtests.test(msg=f"one h1: {page_type.name}"):
            assert page.locator("h1").count() == 1
        with subtests.test(msg=f"axe: {page_type.name}"):
            violations = run_axe(page)
            assert not violations, json.dumps(violations, indent=2)
        page.emulate_media(color_scheme="dark")
        with subtests.test(msg=f"axe, dark colour scheme: {page_type.name}"):
            violations = run_axe(page, COLOUR_RULES)
            assert not violations, json.dumps(violations, indent=2)
        page.emulate_media(color_scheme="light")


def test_every_page_type_is_valid_html_and_passes_axe_in_both_colour_schemes(
    catalogue, audit_page, subtests
):
    page = audit_page
    page.goto(catalogue.url + "/")
    page.evaluate("document.body.append(Object.assign(new Image(), {src: '/x.png'}))")
    assert "image-alt" in {v["id"] for v in run_axe(page)}, "axe missed a known violation"

    anonymous = crawl(page, catalogue.url, start=("/", "/people/majid-majidi/"))
    check_with_axe(page, anonymous.values(), subtests)

    log_in(page, catalogue.url, "crawler")
    # From the fan's own review first, so its edit and delete links are met.
    own_review = Review.objects.get(author__username="crawler").get_absolute_url()
    # Then another fan's profile and list, so their follow and like buttons
    # are met (the crawl keeps the first page of each type, and the fan's
    # own have none).
    other_list = FilmList.objects.get(title="Another list").get_absolute_url()
    everything = crawl(
        page,
        catalogue.url,
        start=(own_review, "/fans/listmaker/", other_list, "/"),
        found=anonymous,
    )
    logged_in_only = [everything[name] for name in everything.keys() - anonymous.keys()]
    check_with_axe(page, logged_in_only, subtests)

    assert EXPECTED <= everything.keys(), f"crawl missed {EXPECTED - everything.keys()}"
    with subtests.test(msg="Nu Html Checker"):
        errors = check_html(list(everything.values()))
        assert not errors, json.dumps(errors, indent=2)
