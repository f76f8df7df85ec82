"""A film's link-preview card, for films without a poster: the title, year
and director drawn on the film's placeholder colour, 1200 × 630 px (the size
Open Graph and Twitter's large card ask for). An imported catalogue has no
posters at all; without this, every film shared on a social site or a chat
would show the same generic picture.

The letters come from a TrueType font on the machine (SHARE_CARD_FONT,
DejaVu Sans Bold by default, which Debian's fonts-dejavu-core installs with
fontconfig). A title the font cannot draw (Japanese, Chinese…), or a machine
without the font, gets no card: the view sends the generic picture instead,
rather than a row of empty boxes.
"""

import functools
import io
import unicodedata

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from .templatetags.catalog_tags import tint_index

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
# The placeholders' colours (.tint-0 … .tint-7 in static/css/site.css).
TINT_COLOURS = [
    "#7a2e2e", "#7a4a1c", "#4f5a1c", "#1f5c3a", "#1c5660", "#22447a", "#45337a", "#6e2c62",
]  # fmt: skip
TITLE_SIZES = (96, 84, 72, 64, 56)
TITLE_LINES = 3
WHITE = (255, 255, 255)
SOFT_WHITE = (255, 255, 255, 215)


class CannotDraw(Exception):
    pass


@functools.cache
def _font(size):
    try:
        return ImageFont.truetype(settings.SHARE_CARD_FONT, size)
    except OSError as error:
        raise CannotDraw(f"no font {settings.SHARE_CARD_FONT!r}") from error


@functools.cache
def _missing_glyph(size):
    # What the font draws for a character it lacks (its .notdef box).
    return bytes(_font(size).getmask("\U000f0000"))


def can_draw(text, size=TITLE_SIZES[-1]):
    font = _font(size)
    missing = _missing_glyph(size)
    return all(char.isspace() or bytes(font.getmask(char)) != missing for char in set(text))


def _right_to_left(text):
    """Whether the first strong letter is of a right-to-left script."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("L", "R", "AL"):
            return direction != "L"
    return False


def _wrap(draw, text, font, width):
    """Lines of `text` no wider than `width`, breaking at spaces (a word
    longer than the line is cut by characters)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while draw.textlength(word, font=font) > width:
            cut = len(word)
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _title_lines(draw, title, width):
    """The largest size at which the title fits in TITLE_LINES lines; at the
    smallest, the last line ends in an ellipsis."""
    for size in TITLE_SIZES:
        font = _font(size)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= TITLE_LINES:
            return font, lines
    lines = lines[:TITLE_LINES]
    last = lines[-1]
    while last and draw.textlength(last + "…", font=font) > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return font, lines


def render(film, site_name):
    """The card's PNG bytes. Raises CannotDraw when the font is missing or
    lacks a letter of the title."""
    title = " ".join(film.title.split()) or film.slug
    byline = " · ".join(
        part
        for part in [
            str(film.year) if film.year else "",
            ("Directed by " + " and ".join(film.director_names)) if film.director_names else "",
        ]
        if part
    )
    if not can_draw(title + byline + site_name):
        raise CannotDraw("the font lacks a letter of the title")
    image = Image.new("RGB", (WIDTH, HEIGHT), TINT_COLOURS[tint_index(film.slug)])
    draw = ImageDraw.Draw(image, "RGBA")
    width = WIDTH - 2 * MARGIN
    draw.text((MARGIN, MARGIN), site_name, font=_font(36), fill=SOFT_WHITE)
    font, lines = _title_lines(draw, title, width)
    line_height = round(font.size * 1.15)
    byline_font = _font(40)
    block = line_height * len(lines) + (24 + 48 if byline else 0)
    y = (HEIGHT - block) // 2 + 20
    # Pillow (with libraqm) shapes and orders right-to-left letters itself;
    # such a title also starts from the right edge, as its readers expect.
    x, anchor = (WIDTH - MARGIN, "ra") if _right_to_left(title) else (MARGIN, "la")
    for line in lines:
        draw.text((x, y), line, font=font, fill=WHITE, anchor=anchor)
        y += line_height
    if byline:
        byline = _wrap(draw, byline, byline_font, width)[0]
        draw.text((x, y + 24), byline, font=byline_font, fill=SOFT_WHITE, anchor=anchor)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
