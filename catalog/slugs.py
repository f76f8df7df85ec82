"""Slugs: made once, from the title and year (or the name), readable in the
address bar, never reused.

Letters of alphabets with a settled romanisation (Latin with accents, Greek,
Cyrillic) and symbols ("½", "³") are transliterated by anyascii; scripts that
do not romanise without losing the word (Persian and Arabic drop their
vowels, Japanese and Chinese would be read as Mandarin) keep their letters,
which an IRI carries fine. "Amélie" → "amelie", "½ Moon" → "1-2-moon",
"Ёжик в тумане" → "ezhik-v-tumane", "千と千尋の神隠し" stays as it is.
"""

import unicodedata

from anyascii import anyascii
from django.db.models import Q
from django.utils.text import slugify

TRANSLITERATED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")
MAX_BASE_LENGTH = 200


def _romanise(char):
    if char.isascii():
        return char
    category = unicodedata.category(char)
    if category == "Cf":  # joiners (Persian's half-space): no letter, no gap
        return ""
    if category.startswith("L"):
        if unicodedata.name(char, "").startswith(TRANSLITERATED_SCRIPTS):
            return anyascii(char)
        return char
    if category == "Nd":  # Persian, Arabic, Devanagari… digits
        return str(unicodedata.digit(char))
    # Fractions, superscripts, other symbols: a word of their own.
    return " " + anyascii(char).replace("/", " ") + " "


def make_slug(*parts, fallback="entry"):
    """A slug of the non-empty parts ("Children of Heaven", 1997 →
    "children-of-heaven-1997")."""
    text = " ".join(str(part) for part in parts if part not in (None, ""))
    text = "".join(_romanise(char) for char in unicodedata.normalize("NFC", text))
    slug = slugify(text, allow_unicode=True)[:MAX_BASE_LENGTH].strip("-")
    return slug or slugify(fallback) or "entry"


def free_slugs(model, bases):
    """{base: a slug no row of `model` has or had} for each base, adding -2,
    -3… on clashes; also distinct from one another. Two queries whatever the
    number of bases: the film or person table, then the old slugs."""
    from .models import SlugRedirect

    bases = list(dict.fromkeys(bases))
    if not bases:
        return {}
    kind = model._meta.model_name
    prefixes = Q(slug__in=bases)
    redirect_prefixes = Q(old_slug__in=bases)
    for base in bases:
        prefixes |= Q(slug__startswith=f"{base}-")
        redirect_prefixes |= Q(old_slug__startswith=f"{base}-")
    taken = set(model._default_manager.filter(prefixes).values_list("slug", flat=True))
    taken.update(
        SlugRedirect.objects.filter(redirect_prefixes, **{f"{kind}__isnull": False}).values_list(
            "old_slug", flat=True
        )
    )
    return _choose(bases, taken)


def _choose(bases, taken):
    chosen = {}
    for base in bases:
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        chosen[base] = slug
    return chosen


def free_slug(model, base):
    return free_slugs(model, [base])[base]
