"""Issue 16, the rough edges fans hit, each as a specification: one outline,
one rating language, nothing "Not known", designed placeholders, icons,
compressed HTML within budget, fuller JSON-LD, unique landmark names."""

import gzip
import json
import re

from django.test import TestCase
from django.urls import reverse

from catalog.models import Credit, Film, OutsideRating, Still
from catalog.templatetags.catalog_tags import initials, tint
from reviews.tests.helpers import make_fan_review, make_imported_review, make_user

from .helpers import make_credit, make_film, make_person

FILM_URL = "/films/children-of-heaven-1997/"


class FilmPageTests(TestCase):
    fixtures = ["children-of-heaven"]

    def setUp(self):
        self.film = Film.objects.get()
        self.html = self.client.get(FILM_URL).content.decode()

    def test_prints_the_outline_once(self):
        body = self.html.split("<body>", 1)[1]
        self.assertEqual(body.count("shoes are gone"), 1)
        self.assertNotIn("Storyline", body)

    def test_fans_rating_is_stars_out_of_five_with_the_figure(self):
        body = self.html.split("<body>", 1)[1]
        self.assertIn('aria-label="5 out of 5 stars"', body)
        self.assertIn('<strong class="rating-figure">5</strong>', body)
        # Ollie's 10/10 shows as stars too: no "/10" and no "out of 5" sentence.
        self.assertNotIn("10/10", body)
        self.assertNotIn('<span class="muted">out of 5</span>', body)

    def test_outside_rating_keeps_its_own_scale_and_says_whose_it_is(self):
        body = self.html.split("<body>", 1)[1]
        self.assertIn('<span class="outside-rating__value">8.2</span>/10', body)
        self.assertIn("10,540 votes", body)
        self.assertIn("Fan page", body)  # the row's source, sourced to the seed page
        self.assertNotIn("does not say where it comes from", body)

    def test_outside_rating_names_its_source_when_known(self):
        with self.captureOnCommitCallbacks(execute=True):
            OutsideRating.objects.create(film=self.film, source="imdb", value="8.3", votes=77000)
        body = self.client.get(FILM_URL).content.decode()
        self.assertIn('aria-label="IMDb rating"', body)
        self.assertIn(">IMDb</p>", body)

    def test_distribution_is_a_small_strip_with_a_table_for_screen_readers(self):
        strip = re.search(r'<div class="rating-strip" aria-hidden="true">(.*?)</div>', self.html)
        self.assertIsNotNone(strip)
        # Ten bars, half a star first; the one 10-point rating is the tallest.
        bars = re.findall(r'<span class="h-(\d+)"></span>', strip.group(1))
        self.assertEqual(bars, ["0"] * 9 + ["100"])
        self.assertIn('<table class="visually-hidden">', self.html)
        self.assertIn("<caption>How many fans gave each rating</caption>", self.html)

    def test_one_review_is_counted_in_the_singular_and_not_linked_as_all_of_one(self):
        body = self.html.split("<body>", 1)[1]
        self.assertIn(">1 review<", body)
        self.assertNotIn("All 1 review", body)

    def test_more_reviews_than_shown_link_to_all_of_them_in_the_plural(self):
        with self.captureOnCommitCallbacks(execute=True):
            for n in range(3):
                make_fan_review(self.film, make_user(f"fan{n}"), points=8, title=f"Review {n}")
        body = self.client.get(FILM_URL).content.decode()
        self.assertIn(">4 reviews<", body)
        self.assertIn("All 4 reviews", body)

    def test_no_unknown_rows_and_no_image_not_available(self):
        for text in ["Not known", "Image not available", "no technical specs"]:
            self.assertNotIn(text, self.html)

    def test_stills_without_pictures_are_tinted_panels_under_their_captions(self):
        self.assertIn("Amir Farrokh Hashemian stars as Ali", self.html)
        self.assertEqual(
            len(re.findall(r'class="placeholder placeholder--still tint-\d"', self.html)), 3
        )

    def test_cast_is_a_grid_of_photo_cards_with_initials_when_there_is_no_photo(self):
        self.assertIn('<ul class="person-grid">', self.html)
        self.assertRegex(
            self.html,
            r'<div class="placeholder placeholder--photo tint-\d" aria-hidden="true">BS</div>',
        )

    def test_poster_placeholder_names_the_film_on_a_colour_from_its_slug(self):
        self.assertIn(
            f'<div class="placeholder placeholder--poster {tint(self.film.slug)}" role="img" '
            'aria-label="No poster yet for Children of Heaven">',
            self.html,
        )

    def test_anonymous_log_in_to_rate_returns_to_the_films_stars(self):
        self.assertIn(
            '<a href="/accounts/login/?next=/films/children-of-heaven-1997/%23your-rating">'
            "Log in to rate</a>",
            self.html,
        )
        self.assertIn('id="your-rating"', self.html)

    def test_header_links_icons_and_the_web_manifest(self):
        self.assertIn('<link rel="icon" href="/favicon.ico" sizes="32x32">', self.html)
        self.assertIn('rel="apple-touch-icon"', self.html)
        self.assertIn('<link rel="manifest"', self.html)


class BackdropTests(TestCase):
    def test_first_still_with_a_picture_is_the_backdrop_and_none_without(self):
        from .image_helpers import image_upload

        film = make_film(title="Backdrop")
        Still.objects.create(film=film, caption="No picture", order=1)
        self.assertNotIn("film-hero__backdrop", self.client.get(film.get_absolute_url()).text)
        still = Still.objects.create(film=film, caption="Picture", order=2)
        with self.captureOnCommitCallbacks(execute=True):
            still.image.save("still.jpg", image_upload(size=(1600, 900)))
        self.assertIn(
            '<div class="film-hero__backdrop">', self.client.get(film.get_absolute_url()).text
        )


class PlaceholderFilterTests(TestCase):
    def test_initials_take_the_first_and_last_names_letters(self):
        self.assertEqual(initials("Bahare Seddiqi"), "BS")
        self.assertEqual(initials("Mohammad Amir Naji"), "MN")
        self.assertEqual(initials("Cher"), "C")
        self.assertEqual(initials("مجید مجیدی"), "مم")
        self.assertEqual(initials("— (uncredited)"), "—")
        self.assertEqual(initials(""), "")

    def test_tint_is_stable_and_one_of_eight(self):
        self.assertEqual(tint("children-of-heaven-1997"), tint("children-of-heaven-1997"))
        self.assertRegex(tint("x"), r"^tint-[0-7]$")
        self.assertGreater(len({tint(f"film-{n}") for n in range(50)}), 5)


class PageWeightAndCompressionTests(TestCase):
    fixtures = ["children-of-heaven"]

    def test_film_page_is_under_60_kb_and_under_20_kb_gzipped(self):
        raw = self.client.get(FILM_URL)
        self.assertNotIn("Content-Encoding", raw)
        self.assertLess(len(raw.content), 60 * 1024)
        packed = self.client.get(FILM_URL, headers={"accept-encoding": "gzip"})
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertLess(len(packed.content), 20 * 1024)
        self.assertIn("Accept-Encoding", packed["Vary"])

    def test_compression_happens_after_the_holes_are_filled(self):
        fan = make_user("fan")
        self.client.force_login(fan)
        for _ in range(2):  # rendered, then from the page cache
            response = self.client.get(FILM_URL, headers={"accept-encoding": "gzip"})
            html = gzip.decompress(response.content).decode()
            self.assertIn('name="csrfmiddlewaretoken"', html)
            self.assertIn(">fan</a>", html)
            self.assertNotIn("<!--hole", html)

    def test_images_and_the_favicon_are_not_gzipped_again(self):
        response = self.client.get("/favicon.ico", headers={"accept-encoding": "gzip"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/vnd.microsoft.icon")
        self.assertNotIn("Content-Encoding", response)
        self.assertEqual(response.content[:4], b"\x00\x00\x01\x00")  # an ICO header

    def test_favicon_refuses_writes(self):
        self.assertEqual(self.client.post("/favicon.ico").status_code, 405)


class PersonPageTests(TestCase):
    def test_person_json_ld_names_jobs_and_credited_names(self):
        person = make_person(name="Kamal Mirkarimi")
        make_credit(make_film(title="One"), person, credited_as="Kamal Mir Karimi")
        make_credit(make_film(title="Two"), person, role=Credit.Role.CREW, job="Writer")
        html = self.client.get(person.get_absolute_url()).text
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])
        self.assertEqual(data["jobTitle"], ["Actor", "Writer"])
        self.assertEqual(data["alternateName"], ["Kamal Mir Karimi"])

    def test_known_for_strip_shows_starring_films_first_each_once(self):
        person = make_person(name="Lead")
        minor = make_film(title="Minor", rating_count=50, rating_sum=400)
        lead = make_film(title="Lead Role")
        make_credit(minor, person, character="Passer-by")
        make_credit(lead, person, character="Hero", is_star=True)
        make_credit(lead, person, role=Credit.Role.CREW, job="Producer")
        html = self.client.get(person.get_absolute_url()).text
        strip = html.split('<div class="strip">', 1)[1].split("</section>", 1)[0]
        self.assertLess(strip.index("Lead Role"), strip.index("Minor"))
        self.assertEqual(strip.count('class="film-card"'), 2)
        self.assertIn('<p class="person-roles">Acting · Producer</p>', html)

    def test_person_page_query_count_does_not_grow_with_the_filmography(self):
        from core.page_cache.versions import forget_all_pages

        for size in (1, 30):
            person = make_person()
            for n in range(size):
                make_credit(make_film(title=f"F{n}"), person, character=f"C{n}")
            forget_all_pages()
            with self.assertNumQueries(4):
                response = self.client.get(person.get_absolute_url())
            self.assertContains(response, 'class="film-card"', count=min(size, 6))


class HomePageTests(TestCase):
    def test_home_lists_new_and_most_rated_films_in_the_same_queries_for_13_or_40(self):
        from core.page_cache.versions import forget_all_pages

        for total in (13, 40):
            Film.objects.all().delete()
            for n in range(total):
                make_film(title=f"Film {n}", rating_count=n % 5, rating_sum=(n % 5) * 8)
            forget_all_pages()
            # Both counts in one query, new films and their directors, most
            # rated films and their directors, latest reviews.
            with self.assertNumQueries(6):
                response = self.client.get(reverse("catalog:home"))
            self.assertContains(response, "New in the catalogue")
            self.assertContains(response, "Most rated by fans")

    def test_a_one_film_catalogue_shows_it_once(self):
        make_film(title="Only One", rating_count=1, rating_sum=10)
        response = self.client.get(reverse("catalog:home"))
        self.assertContains(response, "Only One</a>", count=1)
        self.assertNotContains(response, "Most rated by fans")
        self.assertContains(response, "1 film and 0 people")


class SearchLandmarkTests(TestCase):
    def test_the_two_search_forms_have_different_accessible_names(self):
        html = self.client.get("/search/?q=x").text
        names = re.findall(r'<form[^>]*role="search"[^>]*aria-label="([^"]+)"', html)
        self.assertEqual(len(names), 2)
        self.assertEqual(len(set(names)), 2, names)


class FilmListFilterTests(TestCase):
    def test_the_result_count_comes_before_the_folded_filters(self):
        make_film(title="A")
        html = self.client.get("/films/").text
        self.assertLess(html.index('class="result-count"'), html.index('<details class="filters"'))
        self.assertIn('<details class="filters">', html)  # folded by default

    def test_filters_unfold_to_show_a_refused_value_and_count_the_ones_set(self):
        html = self.client.get("/films/?year_min=abc&genre=&q=x").text
        self.assertIn('<details class="filters" open>', html)
        self.assertIn('<span class="badge">2 on</span>', html)


class ImportedReviewNoteTests(TestCase):
    def test_editorial_note_is_shown_above_the_text(self):
        film = make_film(title="Noted")
        review = make_imported_review(
            film,
            rating=10,
            body="something a The story is simple",
            editorial_note="The source lost words at line ends.",
        )
        html = self.client.get(review.get_absolute_url()).text.split("<body>", 1)[1]
        self.assertIn('<div class="notice notice--editorial" role="note">', html)
        self.assertLess(
            html.index("The source lost words at line ends."), html.index("something a The story")
        )

    def test_reviews_without_a_note_show_none(self):
        review = make_imported_review(make_film(title="Plain"), body="Fine.")
        self.assertNotIn("Editor's note", self.client.get(review.get_absolute_url()).text)
