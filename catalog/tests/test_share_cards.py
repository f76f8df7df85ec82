"""A film without a poster is shared with its own title card (title, year,
director on the film's placeholder colour), not the site's generic picture;
a title the font cannot draw, or a machine without the font, falls back to
the generic picture rather than a row of empty boxes."""

import io
import re
import unittest
from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings
from PIL import Image, ImageFont

from catalog import share_cards
from catalog.models import SlugRedirect
from catalog.templatetags.catalog_tags import TINTS, tint_index

from .helpers import make_credit, make_film, make_person

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


def _font_installed():
    try:
        ImageFont.truetype(settings.SHARE_CARD_FONT, 10)
    except OSError:
        return False
    return True


NO_FONT = (
    f"!!! share-card drawing tests skipped: the font {settings.SHARE_CARD_FONT} is not "
    "installed (apt-get install fonts-dejavu-core; .ci/run installs it) !!!"
)


def og_image(response):
    html = response.content.decode()
    return (
        re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1),
        re.search(r'<meta property="og:image:alt" content="([^"]+)"', html).group(1),
    )


class ShareCardLinkTests(TestCase):
    def test_a_poster_less_film_page_names_its_own_card(self):
        film = make_film(title="Children of Heaven", year=1997, slug="children-of-heaven-1997")
        response = self.client.get(film.get_absolute_url())
        image, alt = og_image(response)
        self.assertEqual(image, "http://testserver/films/children-of-heaven-1997/card.png")
        self.assertEqual(alt, "Title card of Children of Heaven")
        # The Movie's JSON-LD names the same picture.
        self.assertContains(
            response, '"image":"http://testserver/films/children-of-heaven-1997/card.png"'
        )

    def test_the_card_colours_are_the_placeholders(self):
        css = SITE_CSS.read_text()
        found = dict(re.findall(r"\.tint-(\d) \{ --tint: (#[0-9a-f]{6}); \}", css))
        self.assertEqual([found[str(n)] for n in range(TINTS)], share_cards.TINT_COLOURS)

    def share_card_misses(self):
        self.assertEqual(self.client.get("/films/no-such-film/card.png").status_code, 404)

    def test_an_unknown_film_has_no_card_and_an_old_address_moves(self):
        self.share_card_misses()
        film = make_film(slug="new-slug")
        SlugRedirect.objects.create(old_slug="old-slug", film=film)
        response = self.client.get("/films/old-slug/card.png")
        self.assertEqual(
            (response.status_code, response["Location"]), (301, "/films/new-slug/card.png")
        )

    @override_settings(SHARE_CARD_FONT="/nonexistent/NoSuchFont.ttf")
    def test_without_the_font_the_card_is_the_generic_picture(self):
        share_cards._font.cache_clear()
        share_cards._missing_glyph.cache_clear()
        self.addCleanup(share_cards._font.cache_clear)
        self.addCleanup(share_cards._missing_glyph.cache_clear)
        film = make_film(title="Baran", year=2001)
        response = self.client.get(f"/films/{film.slug}/card.png")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/static/img/share.png")


@unittest.skipUnless(_font_installed(), NO_FONT)
class ShareCardDrawingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film(title="Children of Heaven", year=1997)
        make_credit(cls.film, make_person(name="Majid Majidi"), role="crew", job="Director")

    def card(self, film):
        response = self.client.get(f"/films/{film.slug}/card.png")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertIn("max-age=86400", response["Cache-Control"])
        return Image.open(io.BytesIO(response.content))

    def test_the_card_is_a_large_png_on_the_films_colour_with_light_letters(self):
        card = self.card(self.film)
        self.assertEqual((card.format, card.size), ("PNG", (1200, 630)))
        background = share_cards.TINT_COLOURS[tint_index(self.film.slug)]
        self.assertEqual("#{:02x}{:02x}{:02x}".format(*card.getpixel((5, 5))), background)
        colours = {colour for _, colour in card.getcolors(1200 * 630)}
        self.assertIn((255, 255, 255), colours)  # the title is drawn

    def test_the_card_takes_two_queries_and_is_then_served_from_the_cache(self):
        with self.assertNumQueries(2):  # the film, its directors
            self.card(self.film)
        with self.assertNumQueries(0):
            self.card(self.film)

    def test_titles_in_many_scripts_and_absurd_lengths_are_drawn(self):
        for title in [
            "Le Fabuleux Destin d'Amélie Poulain",
            "بچه‌های آسمان",
            "Ёжик в тумане",
            "Ο Θίασος",
            "E.T. the Extra-Terrestrial",
            "Alien³",
            "W" * 300,
            " ".join(["Night of the Day of the Dawn"] * 10),
        ]:
            with self.subTest(title=title[:40]):
                self.card(make_film(title=title, year=None))

    def test_a_title_the_font_cannot_draw_gets_the_generic_picture(self):
        for title in ["千と千尋の神隠し", "Title\u202eevil", "\U0001f3ac Clapper"]:
            with self.subTest(title=title):
                film = make_film(title=title)
                response = self.client.get(f"/films/{film.slug}/card.png")
                self.assertIn(response.status_code, (200, 302))
                if response.status_code == 302:
                    self.assertEqual(response["Location"], "/static/img/share.png")
        spirited = make_film(title="千と千尋の神隠し", year=2001)
        response = self.client.get(f"/films/{spirited.slug}/card.png")
        self.assertEqual(response.status_code, 302)

    def test_right_to_left_titles_start_from_the_right(self):
        card = self.card(make_film(title="باران", year=2001)).convert("RGB")
        # Below the site's name, the title and the year: all on the right half.
        white = [
            x
            for x in range(1200)
            for y in range(200, 630, 4)
            if card.getpixel((x, y)) == (255, 255, 255)
        ]
        self.assertGreater(min(white), 600)
