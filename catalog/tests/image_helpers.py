"""Images made with Pillow for the upload tests: honest, hostile and odd ones."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def image_bytes(fmt="JPEG", size=(1200, 800), colour=(200, 30, 30), mode="RGB", **save_options):
    buffer = BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(data, name="picture.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def image_upload(fmt="JPEG", name=None, size=(1200, 800), **options):
    extension = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return upload(
        image_bytes(fmt, size, **options),
        name or f"picture.{extension}",
        CONTENT_TYPES.get(fmt, "application/octet-stream"),
    )


def jpeg_with_gps():
    """A JPEG that says where it was taken (and with which camera)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Spy Camera"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (35.0, 41.0, 22.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (51.0, 23.0, 20.0),
    }
    return image_bytes("JPEG", (640, 480), exif=exif.tobytes())


def sideways_jpeg():
    """A 400×200 JPEG, red on its left half and blue on its right, whose EXIF
    says "rotate 90° clockwise to show" (orientation 6), as phones write them."""
    image = Image.new("RGB", (400, 200), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def png_claiming_size(width, height):
    """A tiny PNG whose header claims `width`×`height` pixels: a decompression
    bomb's opening move, made without spending the memory."""
    data = bytearray(image_bytes("PNG", (1, 1)))
    # IHDR starts right after the 8-byte signature: length, type, then data.
    ihdr_data = bytearray(data[16:29])
    ihdr_data[0:8] = struct.pack(">II", width, height)
    data[16:29] = ihdr_data
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr_data)))
    return bytes(data)


def compressed_bomb():
    """A real bomb: 12,000×12,000 black pixels (144 million) squeezed into a few
    hundred kilobytes, past Pillow's own limit and ours."""
    buffer = BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def truncated_jpeg():
    data = image_bytes("JPEG", (800, 600), colour=(10, 120, 200), quality=95)
    return data[: len(data) // 2]


HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
