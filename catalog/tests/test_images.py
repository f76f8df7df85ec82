"""Uploaded images: what is accepted, what is refused, and what gets stored."""

from io import BytesIO, StringIO
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.test import TestCase, override_settings
from PIL import ExifTags, Image

from catalog.images import (
    SafeImageFormField,
    make_renditions,
    picture_for,
    rendition_name,
    rendition_widths,
    sanitize,
)
from catalog.models import Film, Still

from .helpers import make_film
from .image_helpers import (
    HTML_PAGE,
    compressed_bomb,
    image_bytes,
    image_upload,
    jpeg_with_gps,
    png_claiming_size,
    sideways_jpeg,
    truncated_jpeg,
    upload,
)


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def open_stored(name):
    with default_storage.open(name, "rb") as f:
        image = Image.open(BytesIO(f.read()))
        image.load()
        return image


class AcceptedFormatsTests(TestCase):
    def test_jpeg_png_and_webp_are_accepted_and_keep_their_format(self):
        for fmt, extension in [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]:
            with self.subTest(fmt=fmt):
                clean = sanitize(image_upload(fmt))
                self.assertEqual(clean.name, f"picture.{extension}")
                self.assertEqual((clean.width, clean.height), (1200, 800))
                self.assertEqual(Image.open(clean).format, fmt)

    def test_png_transparency_survives_the_re_encoding(self):
        clean = sanitize(image_upload("PNG", mode="RGBA", colour=(0, 0, 0, 0)))
        self.assertEqual(Image.open(clean).getpixel((0, 0))[3], 0)

    def test_cmyk_jpegs_and_16_bit_greyscale_pngs_come_out_as_web_colours(self):
        cmyk = sanitize(upload(image_bytes("JPEG", (40, 40), colour=(0, 0, 0, 0), mode="CMYK")))
        self.assertEqual(Image.open(cmyk).mode, "RGB")
        grey = sanitize(upload(image_bytes("PNG", (40, 40), colour=30000, mode="I;16"), "s.png"))
        # Scaled down to 8 bits (30000 / 256), not clipped to white.
        self.assertEqual(Image.open(grey).getpixel((0, 0)), 117)

    def test_a_png_named_jpg_is_stored_under_its_true_extension(self):
        clean = sanitize(upload(image_bytes("PNG"), "holiday.jpg"))
        self.assertEqual(clean.name, "holiday.png")

    def test_the_form_field_returns_the_cleaned_image(self):
        clean = SafeImageFormField().clean(image_upload("WEBP"))
        self.assertEqual(Image.open(clean).format, "WEBP")

    def test_the_form_field_asks_browsers_for_the_accepted_types_only(self):
        form = type("PosterForm", (forms.Form,), {"poster": SafeImageFormField()})()
        html = str(form["poster"])
        self.assertIn('accept="image/jpeg,image/png,image/webp"', html)


class RefusedFilesTests(TestCase):
    def assertRefused(self, uploaded, code, words):
        with self.assertRaises(ValidationError) as caught:
            SafeImageFormField().clean(uploaded)
        self.assertEqual(caught.exception.code, code)
        self.assertIn(words, " ".join(caught.exception.messages))

    def test_an_html_page_named_jpg_is_refused_as_not_an_image(self):
        self.assertRefused(upload(HTML_PAGE, "poster.jpg"), "not_an_image", "not one")

    def test_other_image_formats_are_refused(self):
        for fmt in ["GIF", "BMP", "TIFF"]:
            with self.subTest(fmt=fmt):
                self.assertRefused(image_upload(fmt, size=(50, 50)), "not_an_image", "JPEG, PNG")

    def test_svg_is_refused_even_though_browsers_show_it(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        self.assertRefused(upload(svg, "logo.png", "image/svg+xml"), "not_an_image", "JPEG")

    def test_a_truncated_jpeg_is_refused_as_damaged(self):
        self.assertRefused(upload(truncated_jpeg()), "damaged_image", "damaged or incomplete")

    def test_a_header_claiming_ten_billion_pixels_is_refused(self):
        self.assertRefused(
            upload(png_claiming_size(100_000, 100_000), "bomb.png"), "too_many_pixels", "50 million"
        )

    def test_a_header_over_our_limit_but_under_pillows_is_refused_before_decoding(self):
        self.assertRefused(
            upload(png_claiming_size(9_000, 9_000), "big.png"), "too_many_pixels", "too many pixels"
        )

    def test_a_real_decompression_bomb_is_refused(self):
        bomb = compressed_bomb()
        self.assertLess(len(bomb), 1_000_000)
        self.assertRefused(upload(bomb, "bomb.png"), "too_many_pixels", "Scale it down")

    @override_settings(IMAGE_MAX_UPLOAD_BYTES=10_000)
    def test_a_file_over_the_size_limit_is_refused_with_both_sizes(self):
        big = upload(image_bytes("JPEG") + b"\0" * 20_000, "big.jpg")
        self.assertRefused(big, "file_too_big", "Images may be at most 9.8\xa0KB")

    def test_empty_and_garbage_files_are_refused(self):
        for data in [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, b"RIFF\0\0\0\0WEBP"]:
            with self.subTest(data=data[:8]):
                with self.assertRaises(ValidationError):
                    SafeImageFormField().clean(upload(data))


class MetadataAndOrientationTests(TestCase):
    def test_gps_position_and_camera_are_gone_after_upload(self):
        original = Image.open(BytesIO(jpeg_with_gps()))
        self.assertTrue(original.getexif().get_ifd(ExifTags.IFD.GPSInfo))  # precondition
        film = make_film()
        film.poster.save("gps.jpg", upload(jpeg_with_gps()))
        stored = open_stored(film.poster.name)
        self.assertEqual(dict(stored.getexif()), {})
        self.assertNotIn("exif", stored.info)
        for name in [n for n in stored_files() if n.startswith("renditions/")]:
            with self.subTest(rendition=name):
                self.assertEqual(dict(open_stored(name).getexif()), {})

    def test_a_sideways_phone_photo_is_stored_upright(self):
        film = make_film()
        film.poster.save("phone.jpg", upload(sideways_jpeg()))
        film.refresh_from_db()
        self.assertEqual((film.poster_width, film.poster_height), (200, 400))
        stored = open_stored(film.poster.name)
        self.assertEqual(stored.size, (200, 400))
        self.assertNotIn(ExifTags.Base.Orientation, stored.getexif())
        # Turned clockwise: the red left half is now on top.
        top, bottom = stored.getpixel((100, 50)), stored.getpixel((100, 350))
        self.assertGreater(top[0], 200)
        self.assertLess(top[2], 60)
        self.assertGreater(bottom[2], 200)
        self.assertLess(bottom[0], 60)


class StorageTests(TestCase):
    def test_saving_stores_the_original_and_every_rendition_in_webp_and_jpeg(self):
        film = make_film()
        film.poster.save("poster.png", image_upload("PNG", size=(1000, 1500)))
        film.refresh_from_db()
        self.assertEqual((film.poster_width, film.poster_height), (1000, 1500))
        self.assertEqual(rendition_widths(1000), [160, 320, 480, 640, 960, 1000])
        expected = {film.poster.name}
        for width in rendition_widths(1000):
            for extension, fmt in [("webp", "WEBP"), ("jpg", "JPEG")]:
                name = rendition_name(film.poster.name, width, extension)
                expected.add(name)
                with self.subTest(name=name):
                    image = open_stored(name)
                    self.assertEqual(image.format, fmt)
                    self.assertEqual(image.size, (width, round(1500 * width / 1000)))
        self.assertEqual(set(stored_files()), expected)

    def test_small_images_are_never_scaled_up(self):
        film = make_film()
        film.poster.save("tiny.jpg", image_upload(size=(200, 300)))
        picture = picture_for(film.poster)
        self.assertEqual([r.width for r in picture.webp], [160, 200])
        self.assertEqual(picture.fallback.width, 200)

    def test_transparent_png_gets_a_white_jpeg_fallback(self):
        film = make_film()
        film.poster.save("logo.png", image_upload("PNG", size=(300, 300), mode="RGBA", colour=0))
        jpeg = open_stored(rendition_name(film.poster.name, 160, "jpg"))
        self.assertEqual(jpeg.getpixel((5, 5)), (255, 255, 255))

    def test_a_refused_file_leaves_nothing_in_storage(self):
        film = make_film()
        for hostile in [upload(HTML_PAGE), upload(truncated_jpeg())]:
            with self.assertRaises(ValidationError):
                film.poster.save("hostile.jpg", hostile)
        self.assertEqual(stored_files(), [])
        film.refresh_from_db()
        self.assertFalse(film.poster)

    def test_a_failed_rendition_removes_the_original_and_earlier_renditions(self):
        class FailingOnThirdSave(FileSystemStorage):
            saves = 0

            def _save(self, name, content):
                FailingOnThirdSave.saves += 1
                if FailingOnThirdSave.saves == 3:
                    raise OSError("disk full")
                return super()._save(name, content)

        film_pk = make_film().pk
        field = Film._meta.get_field("poster")
        original_storage = field.storage
        field.storage = FailingOnThirdSave(location=settings.MEDIA_ROOT)
        try:
            film = Film.objects.get(pk=film_pk)
            with self.assertRaises(OSError):
                film.poster.save("poster.jpg", image_upload())
        finally:
            field.storage = original_storage
        self.assertEqual(stored_files(), [])

    def test_leftover_renditions_of_the_same_name_are_replaced_not_renamed(self):
        clean = sanitize(image_upload(size=(500, 500)))
        make_renditions(default_storage, "posters/same.jpg", clean)
        written = make_renditions(default_storage, "posters/same.jpg", clean)
        self.assertEqual(written[0], "renditions/posters/same-160w.webp")
        self.assertEqual(len(stored_files()), len(written))

    def test_an_image_with_no_recorded_size_falls_back_to_the_original(self):
        film = make_film(poster="posters/legacy.jpg")
        self.assertIsNone(picture_for(film.poster))
        self.assertIsNone(picture_for(make_film().poster))


class MakeRenditionsCommandTests(TestCase):
    def test_remakes_missing_renditions_and_records_unknown_sizes(self):
        film = make_film()
        film.poster.save("poster.jpg", image_upload(size=(500, 750)))
        name = film.poster.name
        renditions = [n for n in stored_files() if n.startswith("renditions/")]
        for rendition in renditions:
            default_storage.delete(rendition)
        Film.objects.filter(pk=film.pk).update(poster_width=None, poster_height=None)
        out = StringIO()
        call_command("make_renditions", stdout=out)
        self.assertIn("Made renditions for 1 image(s).", out.getvalue())
        film.refresh_from_db()
        self.assertEqual((film.poster_width, film.poster_height), (500, 750))
        self.assertEqual(sorted(stored_files()), sorted([name, *renditions]))
        call_command("make_renditions", stdout=out)
        self.assertIn("Made renditions for 0 image(s).", out.getvalue())

    def test_a_missing_original_is_reported_not_fatal(self):
        make_film(poster="posters/gone.jpg")
        err = StringIO()
        call_command("make_renditions", stdout=StringIO(), stderr=err)
        self.assertIn("posters/gone.jpg", err.getvalue())


class PruneMediaCommandTests(TestCase):
    def prune(self, *args):
        out = StringIO()
        call_command("prune_media", *args, stdout=out)
        return out.getvalue()

    def test_files_of_replaced_images_are_listed_then_deleted_and_current_ones_kept(self):
        film = make_film()
        film.poster.save("first.jpg", image_upload(size=(300, 450)))
        first = set(stored_files())
        film.poster.save("second.jpg", image_upload(size=(300, 450)))
        still = Still.objects.create(film=film, caption="Kept")
        still.image.save("still.jpg", image_upload(size=(400, 300)))
        current = set(stored_files()) - first

        listed = self.prune("--min-age-minutes", "0")
        self.assertIn(f"Found {len(first)} unused file(s).", listed)
        self.assertEqual(set(stored_files()), first | current)  # listing deletes nothing

        self.assertIn(f"Deleted {len(first)}", self.prune("--delete", "--min-age-minutes", "0"))
        self.assertEqual(set(stored_files()), current)

    def test_recent_files_are_left_alone_as_their_upload_may_still_be_saving(self):
        default_storage.save("posters/in-flight.jpg", ContentFile(image_bytes()))
        self.assertIn("Deleted 0 unused file(s).", self.prune("--delete"))
        self.assertEqual(stored_files(), ["posters/in-flight.jpg"])

    def test_an_empty_media_folder_is_fine(self):
        self.assertIn("Found 0 unused file(s).", self.prune())
