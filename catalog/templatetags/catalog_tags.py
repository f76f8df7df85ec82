"""Formatting for catalogue pages: money, runtimes and star ratings.

These only format values they are given; none of them touches the database.
"""

import zlib
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.loader import render_to_string

register = template.Library()

# Symbols only where they are unambiguous to an English-speaking reader;
# everything else is shown with its ISO code ("925,402 IRR").
CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "INR": "₹"}


@register.filter
def money(amount, currency="USD"):
    """180000, "USD" → "$180,000"; 5000, "SEK" → "5,000 SEK"."""
    if amount is None:
        return ""
    number = intcomma(amount)
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


@register.filter
def runtime(minutes):
    """125 → "2h 5m"; 45 → "45m"."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    return f"{hours}h {rest}m" if hours else f"{rest}m"


def star_parts(points):
    """Points out of 10 → counts of (full, half, empty) stars out of five."""
    points = max(0, min(10, int(round(Decimal(str(points))))))
    return points // 2, points % 2, 5 - points // 2 - points % 2


@register.simple_tag
def stars(points, size=""):
    """Render a rating in points (1–10) as five stars with half steps, plus
    the figure as text so screen readers and copy-paste get the number."""
    if points is None:
        return ""
    return _stars_html(out_of_five(points), *star_parts(points), size)


@lru_cache(maxsize=256)
def _stars_html(label, full, half, empty, size):
    """includes/stars.html for one look of the stars. A list page shows two
    dozen of them and there are only some hundred looks (label, stars and
    size), so each is rendered once per process, not once per film card."""
    return render_to_string(
        "includes/stars.html",
        {"label": label, "full": range(full), "half": half, "empty": range(empty), "size": size},
    )


@register.simple_tag
def card_rating(average, count):
    """A film card's rating line: stars, the figure out of five and how many
    ratings; nothing for a film nobody has rated."""
    if not count:
        return ""
    return _card_rating_html(average, count)


@lru_cache(maxsize=4096)
def _card_rating_html(average, count):
    """includes/card_rating.html for one (average, count). Rendered once per
    process for each pair a card shows, as the stars are: a list of two dozen
    cards would otherwise render the same few lines again and again
    (BENCHMARKS.md, "Film cards")."""
    return render_to_string(
        "includes/card_rating.html",
        {"stars": stars(average), "figure": out_of_five(average), "count": count},
    )


@register.filter
def out_of_five(points):
    """Points out of 10 → stars out of 5 with at most one decimal: 9 → "4.5"."""
    if points is None:
        return ""
    # Half up, as people round: an average of 8.5 points is 4.25 → "4.3" stars.
    value = (Decimal(str(points)) / 2).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value:.0f}" if value == value.to_integral() else f"{value:.1f}"


TINTS = 8  # .tint-0 … .tint-7 in site.css


def tint_index(slug):
    """A placeholder's colour (0 … TINTS - 1) from a slug: the same film or
    person always gets the same colour, and neighbours in a list usually
    differ. crc32, not hash(): Python salts str hashes per process."""
    return zlib.crc32(str(slug).encode()) % TINTS


@register.filter
def tint(slug):
    return f"tint-{tint_index(slug)}"


@register.filter
def initials(name):
    """ "Bahare Seddiqi" → "BS"; "Majid Majidi" → "MM"; one word → its first
    letter. Letters only, so "(uncredited)" or a dash adds nothing."""
    words = [word for word in str(name).split() if word[:1].isalpha()]
    if not words:
        return str(name)[:1].upper()
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()
