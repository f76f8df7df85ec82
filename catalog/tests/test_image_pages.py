"""Pages draw images as responsive <picture>s, or placeholders, at a fixed cost."""

import re
from unittest import mock

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Film, Person, Still
from core.page_cache.versions import forget_all_pages

from .helpers import make_credit, make_film, make_person
from .image_helpers import image_upload


def forbid_storage_reads():
    """Fail the test if a page asks storage whether files exist or opens them."""
    refuse = AssertionError("a page read from storage")
    return mock.patch.multiple(
        FileSystemStorage,
        exists=mock.Mock(side_effect=refuse),
        _open=mock.Mock(side_effect=refuse),
        size=mock.Mock(side_effect=refuse),
    )


def recorded_image(name, width, height):
    """What a row holds after an upload: a name and a size, no file needed to draw it."""
    return {"name": name, "width": width, "height": height}


class FilmPagePictureTests(TestCase):
    def setUp(self):
        self.film = make_film(title="Children of Heaven", year=1997)
        self.film.poster.save("poster.jpg", image_upload(size=(1000, 1500)))
        self.still = Still.objects.create(film=self.film, caption="Ali runs", order=1)
        self.still.image.save("still.jpg", image_upload(size=(1600, 900)))

    def test_poster_is_eager_with_srcset_sizes_and_explicit_dimensions(self):
        response = self.client.get(self.film.get_absolute_url())
        html = response.content.decode()
        poster = re.search(r'<img class="poster"[^>]*>', html).group(0)
        self.assertIn('loading="eager"', poster)
        self.assertIn('fetchpriority="high"', poster)
        self.assertIn('width="640" height="960"', poster)
        self.assertIn('alt="Poster of Children of Heaven"', poster)
        self.assertIn('sizes="(max-width: 40rem) 7.5rem, 15rem"', poster)
        self.assertIn("-160w.jpg 160w", poster)
        self.assertIn("-960w.jpg 960w", poster)
        self.assertRegex(html, r'<source type="image/webp" srcset="[^"]*-320w\.webp 320w')

    def test_stills_are_lazy_and_described_by_their_alt_text(self):
        response = self.client.get(self.film.get_absolute_url())
        html = response.content.decode()
        # The first still with a picture is also the header's faint backdrop
        # (empty alt: decoration); the stills section describes it.
        backdrop = re.search(r'class="film-hero__backdrop"><img [^>]*>', html).group(0)
        self.assertIn('alt=""', backdrop)
        self.assertIn("-320w.webp", backdrop)  # Blurred: a small rendition is enough.
        section = html.split('id="stills"', 1)[1]
        still = re.search(r'<img src="[^"]*stills/[^>]*>', section).group(0)
        self.assertIn('loading="lazy"', still)
        self.assertIn('alt="Ali runs"', still)
        self.assertIn('width="640" height="360"', still)

    def test_every_image_url_on_the_page_names_a_stored_rendition(self):
        html = self.client.get(self.film.get_absolute_url()).content.decode()
        names = set()
        for attribute in re.findall(r'(?:src|srcset)="(/media/[^"]+)"', html):
            names.update(c.split()[0].removeprefix("/media/") for c in attribute.split(", "))
        # Poster (1000 px): 160…960 and 1000; still (1600 px): 160…1280; both formats.
        self.assertEqual(len(names), 6 * 2 + 6 * 2)
        for name in names:
            with self.subTest(name=name):
                self.assertTrue(name.startswith("renditions/"))
                self.assertTrue(default_storage.exists(name))

    def test_link_previews_use_the_largest_jpeg_rendition_of_the_poster(self):
        html = self.client.get(self.film.get_absolute_url()).content.decode()
        og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
        self.assertRegex(og_image, r"^http://testserver/media/renditions/posters/.+-1000w\.jpg$")


class PlaceholderTests(TestCase):
    def test_a_film_without_poster_or_still_images_shows_accessible_placeholders(self):
        film = make_film(title="Lost Pictures")
        Still.objects.create(film=film, caption="Zohre at school")
        response = self.client.get(film.get_absolute_url())
        self.assertContains(response, 'role="img" aria-label="No poster yet for Lost Pictures"')
        self.assertNotContains(response, "Image not available")
        self.assertContains(response, '<div class="placeholder placeholder--still tint-')
        self.assertContains(response, "Zohre at school")
        self.assertNotContains(response, "<img")
        self.assertNotContains(response, "<picture")

    def test_a_person_without_photo_shows_an_accessible_placeholder(self):
        person = make_person(name="Bahare Seddiqi")
        response = self.client.get(person.get_absolute_url())
        self.assertContains(response, 'aria-label="No photo yet of Bahare Seddiqi"')
        self.assertContains(response, '<span aria-hidden="true">BS</span>')
        self.assertNotContains(response, "<picture")

    def test_film_cards_without_posters_draw_a_decorative_box_not_a_broken_image(self):
        make_film(title="No Poster")
        response = self.client.get(reverse("catalog:film-list"))
        self.assertRegex(
            response.text,
            r'<div class="placeholder placeholder--poster tint-\d" aria-hidden="true">'
            r'<span dir="auto">No Poster</span></div>',
        )
        self.assertNotContains(response, "<picture")

    def test_an_image_uploaded_before_sizes_were_kept_shows_as_a_plain_image(self):
        film = make_film(poster="posters/old.jpg")
        response = self.client.get(film.get_absolute_url())
        self.assertContains(response, 'src="/media/posters/old.jpg"')
        self.assertNotContains(response, "<picture")


class QueryCountWithImagesTests(TestCase):
    """Pictures come from columns already loaded: no query and no storage read per image."""

    @classmethod
    def setUpTestData(cls):
        cls.films = [make_film() for _ in range(30)]
        Film.objects.update(poster="posters/p.jpg", poster_width=1000, poster_height=1500)
        cls.person = make_person()
        Person.objects.filter(pk=cls.person.pk).update(
            photo="people/p.jpg", photo_width=800, photo_height=1200
        )
        for film in cls.films:
            make_credit(film, cls.person, character="Someone")
            still = Still.objects.create(
                film=film, caption="On set", image="stills/s.jpg", image_width=1600
            )
            Still.objects.filter(pk=still.pk).update(image_height=900)
            still.people.add(cls.person)
        cls.big = cls.films[0]
        for i in range(20):
            Still.objects.create(
                film=cls.big,
                caption=f"Still {i}",
                image=f"stills/{i}.jpg",
                image_width=1600,
                image_height=900,
            )

    def queries_without_images(self, url):
        """The page's queries once every image is taken away (other tests pin that number)."""
        with transaction.atomic():
            Film.objects.update(poster="", poster_width=None, poster_height=None)
            Person.objects.update(photo="", photo_width=None, photo_height=None)
            Still.objects.update(image="", image_width=None, image_height=None)
            forget_all_pages()  # both renders measured are cold
            with CaptureQueriesContext(connection) as without:
                response = self.client.get(url)
            self.assertNotContains(response, "<picture>")
            transaction.set_rollback(True)
        return len(without)

    def assertImagesAddNoQueries(self, url, pictures):
        expected = self.queries_without_images(url)
        forget_all_pages()
        with forbid_storage_reads(), self.assertNumQueries(expected):
            response = self.client.get(url)
        self.assertContains(response, "<picture>", count=pictures)

    def test_film_page_images_add_no_query_and_no_storage_read(self):
        # The poster, the person's photo on the cast card, 21 stills, and six
        # posters of "More with" the actor.
        self.assertImagesAddNoQueries(self.big.get_absolute_url(), pictures=29)

    def test_film_list_with_a_poster_on_every_card_adds_no_query(self):
        self.assertImagesAddNoQueries(reverse("catalog:film-list"), pictures=24)

    def test_person_page_with_photo_and_thirty_stills_adds_no_query(self):
        # Photo, six posters in "Known for", thirty stills.
        self.assertImagesAddNoQueries(self.person.get_absolute_url(), pictures=37)

    def test_home_page_with_posters_adds_no_query(self):
        self.assertImagesAddNoQueries(reverse("catalog:home"), pictures=12)

    def test_search_results_with_posters_add_no_query(self):
        self.assertImagesAddNoQueries(reverse("catalog:search") + "?q=test", pictures=20)
