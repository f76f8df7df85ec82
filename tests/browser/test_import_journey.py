"""Issue 15's import journey in a real Chromium, with JavaScript on and off:
a fan uploads a small Letterboxd export made here, checks the preview,
confirms, and finds their ratings, review, diary and watchlist on the site;
then takes everything out again as a ZIP that reads back the same."""

import io
import zipfile

import pytest

from catalog.models import Film
from fandata.tests.helpers import letterboxd_zip
from reviews.models import Rating, Review
from reviews.tests.helpers import make_user

from .fixtures import log_in

pytestmark = pytest.mark.browser


def test_a_fan_imports_a_letterboxd_export_and_takes_it_out_again(
    site, any_page, tmp_path, settings
):
    settings.RATE_LIMITS_ENABLED = False
    page, base = any_page, site.url
    heaven = Film.objects.get()
    paradise = Film.objects.create(title="The Colour of Paradise", slug="paradise", year=1999)
    make_user("arriving")
    export = tmp_path / "letterboxd-arriving-2024-12-01.zip"
    export.write_bytes(
        letterboxd_zip(
            {
                "ratings.csv": [
                    ["2024-03-02", "Children of Heaven", "1997", "https://boxd.it/a", "4.5"],
                    ["2024-03-02", "Nobody's Film", "2021", "https://boxd.it/b", "2"],
                ],
                "diary.csv": [
                    [
                        "2024-03-02",
                        "Children of Heaven",
                        "1997",
                        "https://boxd.it/c",
                        "4.5",
                        "",
                        "",
                        "2024-03-01",
                    ],
                ],
                "reviews.csv": [
                    [
                        "2024-03-02",
                        "Children of Heaven",
                        "1997",
                        "https://boxd.it/d",
                        "4.5",
                        "",
                        "The race for the shoes.",
                        "",
                        "2024-03-01",
                    ],
                ],
                "watchlist.csv": [
                    ["2024-03-03", "Colour of Paradise, The", "1999", "https://boxd.it/e"]
                ],
            }
        )  # fmt: skip
    )
    log_in(page, base, "arriving")

    page.goto(base + "/account/data/")
    page.click("text=Import from Letterboxd or IMDb")
    page.set_input_files("#id_export", str(export))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/account/import/preview/")
    found = page.locator("#matched-heading").text_content()
    assert found == "Found (2)"
    assert "Nobody's Film" in page.locator("main").text_content()
    assert not Rating.objects.filter(user__username="arriving").exists()  # Not before confirming.

    with page.expect_navigation():
        page.click("button[value=confirm]")
    # The diary row and the dated review are one viewing.
    assert page.locator(".messages").text_content().strip() == (
        "Imported: 1 rating, 1 review, 1 diary entry, 1 watchlist film."
    )
    assert Rating.objects.get(user__username="arriving").film == heaven
    assert Rating.objects.get(user__username="arriving").points == 9
    review = Review.objects.get(author__username="arriving")
    assert (review.body, review.rating) == ("The race for the shoes.", 9)
    page.goto(base + heaven.get_absolute_url())
    assert "The race for the shoes." in page.locator("#reviews").text_content()
    page.goto(base + "/fans/arriving/diary/")
    diary = page.locator("main").text_content()
    assert "Children of Heaven" in diary and "March 2024" in diary
    page.goto(base + "/fans/arriving/watchlist/")
    assert "The Colour of Paradise" in page.locator("main").text_content()

    # Out again: the ZIP in Letterboxd's layout.
    page.goto(base + "/account/data/")
    with page.expect_download() as download:
        page.click("text=Download your data")
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as archive:
        ratings = archive.read("ratings.csv").decode()
        diary = archive.read("diary.csv").decode()
        watchlist = archive.read("watchlist.csv").decode()
    assert ratings.splitlines()[0] == "Date,Name,Year,Letterboxd URI,Rating"
    assert f"Children of Heaven,1997,{base}{heaven.get_absolute_url()},4.5" in ratings
    assert diary.splitlines()[1] == (
        f"2024-03-02,Children of Heaven,1997,{base}{heaven.get_absolute_url()},4.5,,,2024-03-01"
    )
    assert watchlist.splitlines()[1] == (
        f"2024-03-03,The Colour of Paradise,1999,{base}{paradise.get_absolute_url()}"
    )
