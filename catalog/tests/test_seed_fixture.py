"""Every fact on the seed fan page is in the fixture and visible on the site.

The facts below were read off ../shared/seed/children-of-heaven.txt by hand;
the comment on each group gives the line of the page it comes from.
"""

from html import unescape
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from catalog.models import BoxOfficeFigure, Credit, Film, Person, Still
from reviews.models import Review

FILM = "children-of-heaven-1997"

FILM_PAGE_FACTS = [
    "Children of Heaven",  # line 1
    "Bacheha-Ye aseman",  # line 116, the review's heading gives the original title
    "1997",  # line 11
    "8.2",  # line 13
    "10,540 votes",  # line 13
    "Majid Majidi",  # line 15
    # line 9: the short summary
    "Zohre's shoes are gone; her older brother Ali lost them. They are poor, there are no"
    " shoes for Zohre until they come up with an idea: they will share one pair of shoes…",
    # line 19: the full synopsis
    "they will share one pair of shoes, Ali's. School awaits. Will the plan succeed?",
    "Mohammad Amir Naji",  # line 17, stars
    "Amir Farrokh Hashemian",
    "Bahare Seddiqi",
    "A Little Secret…Their Biggest Adventure!",  # line 84
    "22 January 1999",  # line 86, release date
    "Tehran, Iran",  # line 88
    "$180,000",  # line 92
    "$20,100",  # line 95
    "24 January 1999",  # line 96
    "3 screens",  # line 97
    "$925,402",  # line 99
    "23 May 1999",  # line 100
    # line 108
    "Iran's official submission for the Foreign Language Film category of the 71st"
    " Academy Awards (1999).",
    # line 6: three still captions whose images are lost
    "Amir Farrokh Hashemian stars as Ali",
    "Amir Farrokh Hashemian with director Majid Majidi",
    "Bahare Seddiqi stars as Zohre",
    "Simple, passionate and beautiful",  # line 112
    "Ollie",  # line 189
    "5 out of 5 stars",  # line 114, Ollie's 10/10 on the site's one scale
    "Fans",  # line 3, "By Fans"
]

# Lines 22–82: the cast in credits order, with characters and credited names.
CAST = [
    ("Mohammad Amir Naji", "Ali's Father", "Amir Naji"),
    ("Amir Farrokh Hashemian", "Ali", "Mir Farrokh Hashemian"),
    ("Bahare Seddiqi", "Zohre", ""),
    ("Nafise Jafar-Mohammadi", "", ""),
    ("Fereshte Sarabandi", "Ali's Mother", ""),
    ("Kamal Mirkarimi", "", "Kamal Mir Karimi"),
    ("Behzad Rafi", "", "Behzad Rafiee"),
    ("Dariush Mokhtari", "Ali's Teacher", ""),
    ("Mohammad-Hasan Hosseinian", "Roya's Father", ""),
    ("Masume Dair", "Roya's Mother", ""),
    ("Kambiz Peykarnegar", "Race Organizer", ""),
    ("Hasan Roohparvari", "Race Photographer", ""),
    ("Abbas-Ali Roomandi", "", ""),
    ("Jafar Seyfollahi", "Green Grocer", ""),
    ("Qolamreza Maleki", "Salt Seller", ""),
]

# A verbatim copy of the seed page, kept beside the fixture it was turned into.
SEED_PAGE = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "children-of-heaven.txt"


def page_text(response):
    return unescape(response.content.decode())


class SeedFixtureTests(TestCase):
    fixtures = ["children-of-heaven"]

    def test_loading_the_fixture_twice_does_not_duplicate_anything(self):
        counts = [Film.objects.count(), Person.objects.count(), Credit.objects.count()]
        call_command("loaddata", "children-of-heaven", verbosity=0)
        call_command("seed_catalogue", "--force", verbosity=0)
        self.assertEqual(
            [Film.objects.count(), Person.objects.count(), Credit.objects.count()], counts
        )
        self.assertEqual(Review.objects.count(), 1)

    def test_the_film_has_its_facts_in_fields(self):
        film = Film.objects.get(slug=FILM)
        self.assertEqual(film.title, "Children of Heaven")
        self.assertEqual(film.original_title, "Bacheha-Ye aseman")
        self.assertEqual(film.year, 1997)
        self.assertEqual(str(film.external_rating), "8.2")
        self.assertEqual(film.external_rating_votes, 10540)
        self.assertEqual(film.release_dates.get().date.isoformat(), "1999-01-22")
        # The page names no genre, country, language or runtime: none is invented.
        self.assertFalse(film.genres.exists() or film.countries.exists())
        self.assertFalse(film.languages.exists())
        self.assertIsNone(film.runtime_minutes)

    def test_fifteen_cast_members_and_one_director_in_page_order(self):
        film = Film.objects.get(slug=FILM)
        cast = [
            (c.person.name, c.character, c.credited_as)
            for c in film.credits.cast().select_related("person")
        ]
        self.assertEqual(cast, CAST)
        stars = [c.person.name for c in film.credits.stars().select_related("person")]
        self.assertEqual(stars, ["Mohammad Amir Naji", "Amir Farrokh Hashemian", "Bahare Seddiqi"])
        director = film.credits.directors().get()
        self.assertEqual(director.person.name, "Majid Majidi")

    def test_box_office_figures_keep_amount_currency_date_and_screens(self):
        figures = {
            f.kind: (f.amount, f.currency, f.date and f.date.isoformat(), f.screens)
            for f in BoxOfficeFigure.objects.all()
        }
        self.assertEqual(
            figures,
            {
                "budget": (180000, "USD", None, None),
                "opening-weekend": (20100, "USD", "1999-01-24", 3),
                "gross": (925402, "USD", "1999-05-23", None),
            },
        )

    def test_each_still_caption_names_the_people_it_shows(self):
        shown = {
            still.caption: sorted(p.name for p in still.people.all())
            for still in Still.objects.all()
        }
        self.assertEqual(
            shown,
            {
                "Amir Farrokh Hashemian stars as Ali": ["Amir Farrokh Hashemian"],
                "Amir Farrokh Hashemian with director Majid Majidi": [
                    "Amir Farrokh Hashemian",
                    "Majid Majidi",
                ],
                "Bahare Seddiqi stars as Zohre": ["Bahare Seddiqi"],
            },
        )

    def test_the_review_is_ollies_without_an_account_in_nine_paragraphs(self):
        review = Review.objects.get()
        self.assertIsNone(review.author)
        self.assertEqual(review.author_name, "Ollie")
        self.assertEqual(review.rating, 10)
        self.assertEqual(len(review.paragraphs), 9)
        self.assertTrue(review.paragraphs[0].startswith("It was with some trepidation"))
        self.assertTrue(review.paragraphs[-1].endswith("you will be glad that you"))

    def test_every_fact_shows_on_the_film_page(self):
        text = page_text(self.client.get(reverse("catalog:film-detail", args=[FILM])))
        for fact in FILM_PAGE_FACTS:
            with self.subTest(fact=fact):
                self.assertIn(fact, text)

    def test_every_cast_member_shows_with_character_and_credited_name(self):
        text = page_text(self.client.get(reverse("catalog:film-cast", args=[FILM])))
        self.assertIn("Majid Majidi", text)
        for name, character, credited_as in CAST:
            with self.subTest(name=name):
                self.assertIn(name, text)
                if character:
                    self.assertIn(character, text)
                if credited_as:
                    self.assertIn(credited_as, text)

    def test_every_person_page_shows_their_part(self):
        for name, character, credited_as in CAST:
            person = Person.objects.get(name=name)
            text = page_text(self.client.get(person.get_absolute_url()))
            with self.subTest(name=name):
                self.assertIn("Children of Heaven", text)
                self.assertIn(character or "Acting", text)
                self.assertIn(credited_as, text)

    def test_every_line_of_the_review_shows_on_its_page(self):
        text = page_text(self.client.get(Review.objects.get().get_absolute_url()))
        lines = SEED_PAGE.read_text(encoding="utf-8").splitlines()[117:187]
        for line in filter(None, (line.strip() for line in lines)):
            with self.subTest(line=line):
                self.assertIn(line, text)
        self.assertIn("Reviewed by", text)
        self.assertIn("Ollie", text)
        self.assertIn("5 out of 5 stars", text)  # The source's 10/10.
