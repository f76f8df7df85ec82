"""The film page stays light: its HTML, CSS and JavaScript together are under
60 KB over the wire (gzip, as whitenoise and any proxy serve them), images
aside."""

import gzip
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.test import TestCase

BUDGET_BYTES = 60 * 1024


class AssetReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.assets.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])


def gzipped_size(data):
    return len(gzip.compress(data, compresslevel=6))


class FilmPageWeightTests(TestCase):
    fixtures = ["children-of-heaven"]

    def test_film_page_html_css_and_js_are_under_60_kb_compressed(self):
        self.assert_film_page_within_budget()

    def test_the_same_holds_for_a_logged_in_fan_who_also_gets_the_rating_script(self):
        fan = get_user_model().objects.create_user("fan")
        self.client.force_login(fan)
        assets = self.assert_film_page_within_budget()
        self.assertTrue(any(url.endswith(".js") for url in assets), assets)

    def assert_film_page_within_budget(self):
        response = self.client.get("/films/children-of-heaven-1997/")
        html = response.content
        reader = AssetReader()
        reader.feed(html.decode())
        self.assertTrue(reader.assets, "the page links its stylesheet")
        sizes = {"HTML": gzipped_size(html)}
        for url in reader.assets:
            self.assertTrue(url.startswith(settings.STATIC_URL), f"{url} is served by the site")
            path = finders.find(url.removeprefix(settings.STATIC_URL))
            self.assertIsNotNone(path, url)
            with open(path, "rb") as file:
                sizes[url] = gzipped_size(file.read())
        total = sum(sizes.values())
        self.assertLess(total, BUDGET_BYTES, f"{total} bytes: {sizes}")
        return sizes
