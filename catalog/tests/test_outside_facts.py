"""Outside identity and facts with a source: IMDb IDs, outside ratings,
box-office regions, slugs made once with their old addresses kept, and the
rule that imports never overwrite what staff edited."""

import json
from html import unescape

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import (
    BoxOfficeFigure,
    Credit,
    Film,
    ImportBatch,
    OutsideId,
    OutsideRating,
    Person,
    SlugRedirect,
    Source,
)
from catalog.slugs import SlugAllocator, make_slug
from core.page_cache.versions import forget_all_pages

from .helpers import make_credit, make_film, make_person

SEED = "children-of-heaven-1997"


def json_ld(response):
    text = response.content.decode()
    start = text.index('<script type="application/ld+json"')
    start = text.index(">", start) + 1
    return json.loads(text[start : text.index("</script>", start)])


class OutsideIdTests(TestCase):
    def refused(self, **fields):
        with self.assertRaises(IntegrityError), transaction.atomic():
            OutsideId.objects.create(**fields)

    def test_imdb_ids_are_tt_for_films_and_nm_for_people(self):
        film, person = make_film(), make_person()
        OutsideId.objects.create(film=film, value="tt0118849")
        OutsideId.objects.create(person=person, value="nm0004303")
        self.refused(film=make_film(), value="nm0000001")
        self.refused(person=make_person(), value="tt0000001")
        for bad in ["tt12", "TT0118849", "tt0118849 ", "0118849", "tt0118849x", ""]:
            with self.subTest(value=bad):
                self.refused(film=make_film(), value=bad)

    def test_an_id_names_one_film_or_one_person_never_both_or_neither(self):
        self.refused(film=make_film(), person=make_person(), value="tt0000002")
        self.refused(value="tt0000003")

    def test_an_id_belongs_to_one_entry(self):
        OutsideId.objects.create(film=make_film(), value="tt0000004")
        self.refused(film=make_film(), value="tt0000004")

    def test_model_validation_explains_the_format(self):
        outside_id = OutsideId(film=make_film(), value="tt12")
        with self.assertRaisesMessage(Exception, "seven or more digits"):
            outside_id.full_clean()

    def test_film_page_links_to_imdb_and_json_ld_says_same_as(self):
        film = make_film(title="Children of Heaven", year=1997)
        OutsideId.objects.create(film=film, value="tt0118849")
        response = self.client.get(film.get_absolute_url())
        self.assertContains(
            response, '<a href="https://www.imdb.com/title/tt0118849/">tt0118849</a>'
        )
        self.assertEqual(json_ld(response)["sameAs"], ["https://www.imdb.com/title/tt0118849/"])

    def test_person_page_links_to_imdb_and_json_ld_says_same_as(self):
        person = make_person(name="Majid Majidi")
        OutsideId.objects.create(person=person, value="nm0004303")
        response = self.client.get(person.get_absolute_url())
        self.assertContains(
            response, '<a href="https://www.imdb.com/name/nm0004303/">nm0004303</a>'
        )
        self.assertEqual(json_ld(response)["sameAs"], ["https://www.imdb.com/name/nm0004303/"])

    def test_adding_an_id_in_the_admin_shows_on_the_cached_page(self):
        film = make_film()
        self.client.get(film.get_absolute_url())  # cached
        with self.captureOnCommitCallbacks(execute=True):
            OutsideId.objects.create(film=film, value="tt0000005")
        self.assertContains(self.client.get(film.get_absolute_url()), "tt0000005")


class OutsideRatingTests(TestCase):
    fixtures = ["children-of-heaven"]

    def test_the_seed_pages_rating_is_its_own_row_sourced_to_the_fan_page(self):
        rating = OutsideRating.objects.get(film__slug=SEED)
        self.assertEqual(
            (str(rating.value), rating.scale, rating.votes, rating.source, rating.shown),
            ("8.2", 10, 10540, Source.FAN_PAGE, True),
        )
        self.assertEqual(rating.as_of.isoformat(), "1999-01-22")
        page = unescape(
            self.client.get(reverse("catalog:film-detail", args=[SEED])).content.decode()
        )
        self.assertIn('aria-label="Fan page rating"', page)
        self.assertIn('<time datetime="1999-01-22">', page)

    def test_the_film_keeps_a_copy_of_the_shown_row_for_lists(self):
        film = Film.objects.get(slug=SEED)
        imdb = OutsideRating.objects.create(
            film=film, source=Source.IMDB, value="8.3", votes=77000, url="https://www.imdb.com/"
        )
        Film.objects.filter(pk=film.pk).sync_external_rating()
        film.refresh_from_db()
        self.assertEqual((str(film.external_rating), film.external_rating_votes), ("8.2", 10540))
        OutsideRating.objects.filter(film=film).update(shown=False)
        imdb.shown = True
        imdb.save()
        Film.objects.filter(pk=film.pk).sync_external_rating()
        film.refresh_from_db()
        self.assertEqual((str(film.external_rating), film.external_rating_votes), ("8.3", 77000))

    def test_a_rating_on_another_scale_is_copied_out_of_ten(self):
        film = make_film()
        OutsideRating.objects.create(
            film=film, source=Source.STAFF, value=87, scale=100, shown=True
        )
        Film.objects.filter(pk=film.pk).sync_external_rating()
        film.refresh_from_db()
        self.assertEqual(str(film.external_rating), "8.7")

    def test_no_shown_row_empties_the_copy(self):
        OutsideRating.objects.update(shown=False)
        Film.objects.all().sync_external_rating()
        self.assertIsNone(Film.objects.get(slug=SEED).external_rating)

    def test_one_row_per_source_one_shown_per_film_and_within_its_scale(self):
        film = Film.objects.get(slug=SEED)
        for fields in [
            {"source": Source.FAN_PAGE, "value": 5},
            {"source": Source.IMDB, "value": 5, "shown": True},
            {"source": Source.IMDB, "value": 11},
            {"source": Source.IMDB, "value": -1},
            {"source": Source.IMDB, "value": 5, "scale": 0},
        ]:
            with self.subTest(**fields), self.assertRaises(IntegrityError), transaction.atomic():
                OutsideRating.objects.create(film=film, **fields)

    def test_other_ratings_show_beside_the_chosen_one(self):
        film = Film.objects.get(slug=SEED)
        with self.captureOnCommitCallbacks(execute=True):
            OutsideRating.objects.create(film=film, source=Source.IMDB, value="8.3", votes=77000)
        page = unescape(self.client.get(film.get_absolute_url()).content.decode())
        self.assertIn('<span class="outside-rating__value">8.3</span>/10', page)
        self.assertIn("77,000 votes", page)
        self.assertIn('<span class="outside-rating__value">8.2</span>/10', page)


class BoxOfficeRegionTests(TestCase):
    def test_us_and_worldwide_gross_are_told_apart(self):
        film = make_film()
        for region in ["us", "worldwide", ""]:
            BoxOfficeFigure.objects.create(film=film, kind="gross", amount=5, region=region)
        page = self.client.get(film.get_absolute_url()).content.decode()
        self.assertIn("<dt>Gross (US)</dt>", page)
        self.assertIn("<dt>Gross (Worldwide)</dt>", page)
        self.assertIn("<dt>Gross</dt>", page)

    def test_an_unknown_region_is_refused(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            BoxOfficeFigure.objects.create(film=make_film(), kind="gross", amount=5, region="mars")


class SlugTests(TestCase):
    def test_slugs_are_made_on_save_from_title_and_year(self):
        film = Film.objects.create(title="Children of Heaven", year=1997)
        self.assertEqual(film.slug, "children-of-heaven-1997")
        self.assertEqual(Person.objects.create(name="Majid Majidi").slug, "majid-majidi")

    def test_clashes_get_2_then_3(self):
        slugs = [Film.objects.create(title="Solaris", year=1972).slug for _ in range(3)]
        self.assertEqual(slugs, ["solaris-1972", "solaris-1972-2", "solaris-1972-3"])
        people = [Person.objects.create(name="Ali Hatami").slug for _ in range(2)]
        self.assertEqual(people, ["ali-hatami", "ali-hatami-2"])

    def test_a_remake_with_the_same_title_gets_its_own_year(self):
        self.assertEqual(Film.objects.create(title="Solaris", year=2002).slug, "solaris-2002")

    def test_titles_are_transliterated_sensibly(self):
        cases = {
            ("½ Moon", 1990): "1-2-moon-1990",
            ("Alien³", 1992): "alien-3-1992",
            ("Amélie", 2001): "amelie-2001",
            ("Ёжик в тумане", 1975): "ezhik-v-tumane-1975",
            ("E.T. the Extra-Terrestrial", 1982): "et-the-extra-terrestrial-1982",
            # Scripts that do not romanise without losing the word keep their letters.
            ("بچه‌های آسمان", 1997): "بچههای-آسمان-1997",
            ("千と千尋の神隠し", 2001): "千と千尋の神隠し-2001",
            ("!!!", None): "film",
        }
        for (title, year), slug in cases.items():
            with self.subTest(title=title):
                self.assertEqual(make_slug(title, year, fallback="film"), slug)

    def test_a_slug_never_changes_when_the_title_does(self):
        film = Film.objects.create(title="Draft", year=2001)
        film.title = "Final"
        film.save()
        film.refresh_from_db()
        self.assertEqual(film.slug, "draft-2001")

    def test_an_old_slug_answers_301_for_every_page_of_the_film(self):
        film = make_film(slug="new-slug")
        SlugRedirect.objects.create(old_slug="old-slug", film=film)
        for suffix in ["", "cast/"]:
            with self.subTest(suffix=suffix):
                response = self.client.get(f"/films/old-slug/{suffix}")
                self.assertEqual(response.status_code, 301)
                self.assertEqual(response["Location"], f"/films/new-slug/{suffix}")
        self.assertEqual(self.client.get("/films/never-was/").status_code, 404)

    def test_an_old_person_slug_answers_301_but_not_as_a_film(self):
        person = make_person(slug="new-name")
        SlugRedirect.objects.create(old_slug="old-name", person=person)
        response = self.client.get("/people/old-name/")
        self.assertEqual((response.status_code, response["Location"]), (301, "/people/new-name/"))
        self.assertEqual(self.client.get("/films/old-name/").status_code, 404)

    def test_a_guessed_address_is_a_404_that_offers_what_its_words_find(self):
        film = Film.objects.create(title="Children of Heaven", year=1997)
        person = Person.objects.create(name="Majid Majidi")
        response = self.client.get("/films/children-of-heaven/")
        self.assertContains(response, "Did you mean", status_code=404)
        link = f'<a href="{film.get_absolute_url()}" dir="auto">Children of Heaven (1997)</a>'
        self.assertContains(response, link, status_code=404, html=True)
        self.assertContains(response, "/search/?q=children%20of%20heaven", status_code=404)
        response = self.client.get("/people/majidi/")
        self.assertContains(response, person.get_absolute_url(), status_code=404)
        self.assertNotContains(self.client.get("/films/majidi/"), "Did you mean", status_code=404)

    def test_hostile_guessed_addresses_are_plain_404s(self):
        for path in ["/films/---/", "/films/%27%20OR%201=1--/", "/films/%3Cscript%3E/",
                     "/films/" + "a-" * 400 + "/", "/people/%E2%80%AE/", "/films/%00/cast/",
                     '/films/"*"/', "/films/NEAR(a%20b)/"]:  # fmt: skip
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertNotContains(response, "<script>", status_code=404)

    def test_an_old_slug_is_never_given_to_a_new_film(self):
        SlugRedirect.objects.create(old_slug="solaris-1972", film=make_film())
        self.assertEqual(Film.objects.create(title="Solaris", year=1972).slug, "solaris-1972-2")

    def test_an_import_allocator_never_gives_a_slug_twice_across_batches(self):
        # Regression: after forgetting (memory full) or when a base already in
        # the database came back in a later batch, the base was handed out
        # plain a second time and the import died on the unique slug.
        Person.objects.create(name="Ali Hatami")  # "ali-hatami" in the database
        allocator = SlugAllocator(Person, memory=3)
        given = []
        for batch in (["ali-hatami", "reza-naji"], ["ali-hatami"], ["reza-naji", "ali-hatami"]):
            slugs = allocator.allocate(batch)
            Person.objects.bulk_create(Person(name=slug, slug=slug) for slug in slugs)
            given += slugs
        self.assertEqual(len(given), len(set(given)), given)
        self.assertCountEqual(
            given, ["ali-hatami-2", "ali-hatami-3", "ali-hatami-4", "reza-naji", "reza-naji-2"]
        )

    def test_thousands_of_taken_bases_are_numbered_in_two_queries(self):
        # Regression: one OR of ranges per base was refused by SQLite past
        # 1,000 terms ("Expression tree is too large") and scanned the table;
        # PostgreSQL took a query per 400 bases. Now one query finds which
        # bases are taken and one their highest numbers, whatever their count.
        names = [f"ali-{n}x" for n in range(1_500)]
        Person.objects.bulk_create(Person(name=name, slug=name) for name in names)
        Person.objects.bulk_create(Person(name=name, slug=f"{name}-7") for name in names[:2])
        with CaptureQueriesContext(connection) as queries:
            slugs = SlugAllocator(Person).allocate(names)
        self.assertEqual(slugs[:3], ["ali-0x-8", "ali-1x-8", "ali-2x-2"])
        self.assertEqual(slugs[-1], "ali-1499x-2")
        self.assertEqual(len(queries), 2)

    def test_a_numbered_slug_skips_a_title_that_already_ends_in_that_number(self):
        # "Alien" twice and "Alien 2" in one batch: the second Alien is not "alien-2".
        slugs = SlugAllocator(Film).allocate(["alien", "alien-2", "alien"])
        self.assertEqual(slugs, ["alien", "alien-2", "alien-3"])

    def test_remember_moves_an_address_and_forgets_a_loop(self):
        film = make_film(slug="b")
        SlugRedirect.remember(film, "a")
        film.slug = "a"
        film.save()
        SlugRedirect.remember(film, "b")
        self.assertEqual(
            list(SlugRedirect.objects.values_list("old_slug", "film")), [("b", film.pk)]
        )


class StaffEditsInTheAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "a-long-random-passphrase"
        )

    def setUp(self):
        self.client.force_login(self.staff)

    def test_editing_an_imported_credit_makes_it_staffs(self):
        film = make_film()
        credit = make_credit(film, character="Ali", source=Source.IMDB)
        response = self.client.post(
            reverse("admin:catalog_credit_change", args=[credit.pk]),
            {
                "film": film.pk,
                "person": credit.person_id,
                "role": "cast",
                "job": "",
                "character": "Ali (as a boy)",
                "credited_as": "",
                "billing_order": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        credit.refresh_from_db()
        self.assertEqual((credit.character, credit.source), ("Ali (as a boy)", Source.STAFF))

    def person_form(self, person, **changes):
        data = {"name": person.name, "slug": person.slug, "biography": "", "use_outside_values": []}
        data.update({"outside_ids-TOTAL_FORMS": "0", "outside_ids-INITIAL_FORMS": "0"})
        data.update(changes)
        return self.client.post(reverse("admin:catalog_person_change", args=[person.pk]), data)

    def test_a_name_staff_change_is_theirs_and_a_changed_slug_keeps_its_address(self):
        person = make_person(name="Behzad Rafi", slug="behzad-rafi")
        person.field_sources = {"name": Source.IMDB}
        person.save()
        response = self.person_form(person, name="Behzad Rafiee", slug="behzad-rafiee")
        self.assertEqual(response.status_code, 302)
        person.refresh_from_db()
        self.assertEqual(person.field_sources, {"name": Source.STAFF})
        self.assertEqual(
            self.client.get("/people/behzad-rafi/")["Location"], "/people/behzad-rafiee/"
        )

    def test_staff_choose_to_show_an_outside_value(self):
        person = make_person(name="Kamal Mirkarimi")
        person.outside_values = {"imdb": {"name": "Kamal Mir Karimi"}}
        person.save()
        form = self.client.get(reverse("admin:catalog_person_change", args=[person.pk]))
        self.assertContains(form, "IMDb says “Kamal Mir Karimi”")
        response = self.person_form(person, use_outside_values=["imdb:name"])
        self.assertEqual(response.status_code, 302)
        person.refresh_from_db()
        self.assertEqual(
            (person.name, person.field_sources), ("Kamal Mir Karimi", {"name": "imdb"})
        )

    def test_a_forged_outside_value_choice_is_a_form_error(self):
        person = make_person()
        response = self.person_form(person, use_outside_values=["imdb:biography"])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice")


class ImportBatchUndoTests(TestCase):
    def test_undo_deletes_what_the_batch_made_and_restores_what_it_changed(self):
        kept = make_film(title="Kept", year=1990)
        made = make_film()
        credit = make_credit(made)
        batch = ImportBatch.objects.create(
            source="imdb",
            created={"catalog.Film": [made.pk], "catalog.Credit": [credit.pk]},
            previous={"catalog.Film": {str(kept.pk): {"title": "Kept before"}}},
        )
        forget_all_pages()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(batch.undo())
        self.assertFalse(Film.objects.filter(pk=made.pk).exists())
        self.assertFalse(Credit.objects.filter(pk=credit.pk).exists())
        kept.refresh_from_db()
        self.assertEqual(kept.title, "Kept before")
        self.assertFalse(batch.undo(), "a batch is undone once")

    def test_staff_undo_a_batch_from_the_admin(self):
        staff = get_user_model().objects.create_superuser(
            "ed", "ed@example.com", "a-long-passphrase-1"
        )
        self.client.force_login(staff)
        made = make_film()
        batch = ImportBatch.objects.create(source="imdb", created={"catalog.Film": [made.pk]})
        self.assertEqual(
            self.client.get(reverse("admin:catalog_importbatch_changelist")).status_code, 200
        )
        response = self.client.post(
            reverse("admin:catalog_importbatch_changelist"),
            {"action": "undo_batches", "_selected_action": [batch.pk]},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Film.objects.filter(pk=made.pk).exists())
