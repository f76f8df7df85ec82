"""The search page (/search/) and the folding behind it, on whichever
database the suite runs on (SQLite's FTS5 or PostgreSQL's full-text and
trigram search)."""

import unittest

from django.db import connection
from django.test import TestCase
from django.urls import reverse

from catalog.models import AlternateTitle, Credit, Film, Person
from catalog.text import fold, index_text, query_words

from .helpers import make_credit, make_film, make_person

SEARCH = reverse("catalog:search")


class FoldingTests(unittest.TestCase):
    def test_case_accents_and_punctuation_are_set_aside(self):
        self.assertEqual(fold("Bacheha-Ye  ÁSEMÁN!"), "bacheha ye aseman")
        self.assertEqual(fold("Zohre's Shoes"), "zohres shoes")
        self.assertEqual(fold("Øresund, Łódź"), "oresund lodz")

    def test_persian_letter_variants_fold_together(self):
        # Arabic yeh/kaf versus Persian yeh/keheh, and the zero-width non-joiner.
        self.assertEqual(fold("كيك"), fold("کیک"))
        self.assertEqual(fold("می\u200cروم"), fold("می روم"))
        self.assertIn(fold("میروم"), index_text("می\u200cروم").split())

    def test_index_text_adds_neighbouring_words_run_together(self):
        self.assertIn("mirkarimi", index_text("Kamal Mir Karimi").split())
        self.assertIn("jafarmohammadi", index_text("Nafise Jafar-Mohammadi").split())

    def test_chinese_characters_are_words_of_their_own(self):
        self.assertIn("神隠", index_text("千と千尋の神隠し").split())
        self.assertEqual(query_words("神隠"), ["神", "隠"])

    def test_queries_are_cut_to_a_sane_size(self):
        self.assertEqual(len(query_words("word " * 100)), 8)
        self.assertEqual(query_words('"*) OR NEAR('), ["or", "near"])


class SearchPageTests(TestCase):
    fixtures = ["children-of-heaven"]

    @classmethod
    def setUpTestData(cls):
        cls.heaven = Film.objects.get(slug="children-of-heaven-1997")
        cls.other = make_film(title="Heaven Can Wait", year=1978)
        cls.decoy = make_film(title="Children of Men", year=2006)

    def search(self, query):
        response = self.client.get(SEARCH, {"q": query})
        self.assertEqual(response.status_code, 200)
        return response

    def film_titles(self, query):
        return [film.title for film in self.search(query).context["films"]]

    def person_names(self, query):
        return [person.name for person in self.search(query).context["people"]]

    def test_original_title_without_its_punctuation_finds_the_film(self):
        self.assertEqual(self.film_titles("bacheha ye aseman"), ["Children of Heaven"])

    def test_credited_as_name_finds_the_person(self):
        self.assertEqual(self.person_names("Mir Karimi"), ["Kamal Mirkarimi"])
        self.assertEqual(self.person_names("mirkarimi"), ["Kamal Mirkarimi"])

    def test_surname_in_any_case_finds_the_actress(self):
        self.assertEqual(self.person_names("seddiqi"), ["Bahare Seddiqi"])
        self.assertEqual(self.person_names("SEDDIQI"), ["Bahare Seddiqi"])

    def test_words_in_any_order_with_small_words_left_out_find_the_film(self):
        self.assertEqual(self.film_titles("children heaven"), ["Children of Heaven"])
        self.assertEqual(self.film_titles("heaven children"), ["Children of Heaven"])

    def test_exact_title_comes_first(self):
        make_film(title="Heaven", year=2002)
        make_film(title="Heaven and Earth in Heaven", year=1993)
        self.assertEqual(self.film_titles("heaven")[0], "Heaven")

    def test_word_prefixes_match_while_typing(self):
        self.assertIn("Children of Heaven", self.film_titles("children heav"))
        self.assertIn("Children of Heaven", self.film_titles("bacheha ye as"))

    def test_alternate_titles_are_searched_and_kept_up_to_date(self):
        self.assertEqual(self.film_titles("shoes of zohre"), [])
        alternate = AlternateTitle.objects.create(film=self.heaven, title="Zohre's Shoes")
        self.assertEqual(self.film_titles("zohres shoes"), ["Children of Heaven"])
        alternate.delete()
        self.assertEqual(self.film_titles("zohres shoes"), [])

    def test_renaming_a_film_or_person_updates_search(self):
        self.other.title = "Le Ciel peut attendre"
        self.other.save()
        self.assertEqual(self.film_titles("ciel attendre"), ["Le Ciel peut attendre"])
        self.assertEqual(self.film_titles("heaven can wait"), [])

    def test_new_credited_as_names_are_searchable(self):
        person = make_person(name="Ali Nobody")
        self.assertEqual(self.person_names("Ali Stagename"), [])
        credit = make_credit(self.other, person, character="X", credited_as="Ali Stagename")
        self.assertEqual(self.person_names("stagename"), ["Ali Nobody"])
        credit.delete()
        self.assertEqual(self.person_names("stagename"), [])

    def test_a_person_found_by_a_credited_as_name_is_shown_with_it(self):
        # The seed film credits Kamal Mirkarimi as "Kamal Mir Karimi".
        response = self.search("Mir Karimi")
        self.assertContains(
            response,
            '<li><a href="/people/kamal-mirkarimi/" dir="auto">Kamal Mirkarimi</a> '
            '<span class="muted">credited as “<span dir="auto">Kamal Mir Karimi</span>”'
            "</span></li>",
            html=True,
        )

    def test_a_person_found_by_their_own_name_has_no_credited_as_note(self):
        for query in ["mirkarimi", "kamal", "Kamal Mirkarimi"]:
            with self.subTest(query=query):
                response = self.search(query)
                # First, not alone: on PostgreSQL "kamal" is also similar to "Kambiz".
                self.assertEqual(response.context["people"][0].name, "Kamal Mirkarimi")
                self.assertNotContains(response, 'muted">credited as')

    def test_credited_as_names_are_escaped(self):
        person = make_person(name="Plain Name")
        make_credit(self.other, person, character="X", credited_as="<b>Bold</b> Alias")
        response = self.search("bold alias")
        self.assertEqual([p.name for p in response.context["people"]], ["Plain Name"])
        self.assertContains(response, "&lt;b&gt;Bold&lt;/b&gt; Alias")
        self.assertNotContains(response, "<b>Bold</b>")

    def test_results_are_grouped_into_films_and_people(self):
        response = self.search("majidi")
        self.assertContains(response, '<h2 id="search-films">Films</h2>', html=True)
        self.assertContains(response, '<h2 id="search-people">People</h2>', html=True)
        self.assertEqual(
            list(response.context["people"]), [Person.objects.get(name="Majid Majidi")]
        )
        # Children of Heaven's card names its director, but films match by title only.
        self.assertEqual(list(response.context["films"]), [])
        self.assertContains(response, "<h1", count=1)

    def test_persian_and_other_scripts_are_searchable(self):
        make_film(title="Persian", original_title="بچه‌های آسمان", slug="fa-title")
        make_film(title="Japanese", original_title="千と千尋の神隠し", slug="ja-title")
        make_film(title="Russian", original_title="Сталкер", slug="ru-title")
        self.assertEqual(self.film_titles("بچه های آسمان"), ["Persian"])
        self.assertEqual(self.film_titles("بچههای آسمان"), ["Persian"])
        self.assertEqual(self.film_titles("神隠し"), ["Japanese"])
        self.assertEqual(self.film_titles("сталкер"), ["Russian"])

    def test_empty_and_hostile_queries_answer_without_error(self):
        for query in ["", "   ", '"', "*", "NEAR(a b)", "a OR b", "x" * 10_000, "<script>", "\x00"]:
            with self.subTest(query=query[:20]):
                response = self.search(query)
                self.assertNotContains(response, "<script>")

    def test_header_search_form_points_at_the_search_page(self):
        response = self.client.get(reverse("catalog:home"))
        self.assertContains(response, f'action="{SEARCH}"')

    def test_search_runs_a_fixed_number_of_queries(self):
        for n in range(60):
            film = make_film(title=f"Heaven {n}")
            make_credit(
                film, make_person(name=f"Heaven Person {n}"), role=Credit.Role.CREW, job="Director"
            )
        # For films and for people: exact-name ids, ranked ids, the rows; and
        # the films' directors.
        with self.assertNumQueries(7):
            response = self.search("heaven")
        self.assertEqual(len(response.context["films"]), 20)
        self.assertTrue(response.context["more_films"])
        self.assertContains(response, "?q=heaven")

    def test_people_found_by_credited_as_names_cost_one_query_more_whatever_their_number(self):
        film = make_film(title="Crowd")
        for size in (1, 30):
            for n in range(size):
                make_credit(
                    film, make_person(name=f"Person {size}-{n}"), credited_as=f"Stagename {n}"
                )
            # Exact-name ids, ranked ids for films (none found, so no rows
            # and no directors) and for people, the people's rows, and the
            # credited-as names of the people shown.
            with self.subTest(size=size), self.assertNumQueries(6):
                response = self.search("stagename")
            self.assertEqual(len(response.context["people"]), min(size, 20))
            self.assertContains(response, 'muted">credited as', count=min(size, 20))
            Credit.objects.filter(film=film).delete()


@unittest.skipUnless(
    connection.vendor == "postgresql", "PostgreSQL only: trigram similarity needs pg_trgm"
)
class PostgresTrigramSearchTests(TestCase):
    def test_a_misspelt_name_still_finds_the_person(self):
        make_person(name="Bahare Seddiqi")
        response = self.client.get(SEARCH, {"q": "sedigi"})
        self.assertEqual([p.name for p in response.context["people"]], ["Bahare Seddiqi"])


@unittest.skipUnless(connection.vendor == "sqlite", "SQLite only: checks the FTS5 triggers")
class SqliteSearchIndexTests(TestCase):
    def test_the_index_heals_itself_after_a_table_rebuild_drops_its_triggers(self):
        from catalog.search import ensure_sqlite_search_index

        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER catalog_film_fts_insert")
        ensure_sqlite_search_index(connection)
        make_film(title="Rebuilt Index")
        self.assertEqual(
            [f.title for f in self.client.get(SEARCH, {"q": "rebuilt"}).context["films"]],
            ["Rebuilt Index"],
        )
