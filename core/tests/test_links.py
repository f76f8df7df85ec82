"""Model addresses built by core.links.slug_url are exactly reverse()'s."""

from django.test import SimpleTestCase, override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from catalog.models import Country, Film, Genre, Language, Person
from core.links import slug_url

SLUGS = [
    "children-of-heaven",
    "بچه‌های-آسمان",  # Persian, with a zero-width non-joiner
    "город-ночь",
    "a b",
    "100%-true",
    "what?#fragment",
    "tilde~at@colon:semi;plus+amp&eq=bang!dollar$quote'star*comma,(paren)",
    "..",
    "-",
]


class SlugUrlTests(SimpleTestCase):
    def assert_every_address_matches_reverse(self):
        for slug in SLUGS:
            with self.subTest(slug=slug):
                self.assertEqual(
                    Film(slug=slug).get_absolute_url(),
                    reverse("catalog:film-detail", args=[slug]),
                )
                self.assertEqual(
                    Film(slug=slug).get_cast_url(), reverse("catalog:film-cast", args=[slug])
                )
                self.assertEqual(
                    Person(slug=slug).get_absolute_url(),
                    reverse("catalog:person-detail", args=[slug]),
                )
                for model, name in [
                    (Genre, "genre-detail"),
                    (Country, "country-detail"),
                    (Language, "language-detail"),
                ]:
                    self.assertEqual(
                        model(slug=slug).get_absolute_url(),
                        reverse(f"catalog:{name}", args=[slug]),
                    )

    def test_addresses_equal_reverse_for_plain_unicode_and_reserved_characters(self):
        self.assert_every_address_matches_reverse()

    def test_addresses_follow_the_script_prefix_of_a_site_served_under_a_path(self):
        set_script_prefix("/catalogue/")
        self.addCleanup(clear_script_prefix)
        self.assertEqual(Person(slug="ali").get_absolute_url(), "/catalogue/people/ali/")
        self.assert_every_address_matches_reverse()

    @override_settings(ROOT_URLCONF="catalog.tests.urls_under_prefix")
    def test_addresses_follow_a_changed_url_configuration(self):
        self.assertEqual(Film(slug="x").get_absolute_url(), "/archive/films/x/")
        self.assert_every_address_matches_reverse()

    def test_a_slug_no_address_can_hold_fails_as_reverse_does(self):
        for slug in ["", "a/b"]:
            with self.subTest(slug=slug), self.assertRaises(NoReverseMatch):
                slug_url("catalog:person-detail", slug)
