"""Slugs: made once, from the title and year (or the name), readable in the
address bar, never reused.

Letters of alphabets with a settled romanisation (Latin with accents, Greek,
Cyrillic) and symbols ("½", "³") are transliterated by anyascii; scripts that
do not romanise without losing the word (Persian and Arabic drop their
vowels, Japanese and Chinese would be read as Mandarin) keep their letters,
which an IRI carries fine. "Amélie" → "amelie", "½ Moon" → "1-2-moon",
"Ёжик в тумане" → "ezhik-v-tumane", "千と千尋の神隠し" stays as it is.
"""

import json
import unicodedata
from collections import Counter

from anyascii import anyascii
from django.db import connection
from django.db.models import Q
from django.utils.text import slugify

TRANSLITERATED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")
MAX_BASE_LENGTH = 200
# Bases whose numbers one query learns on PostgreSQL (see _numbered).
RANGES_PER_QUERY = 400


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


class SlugAllocator:
    """Slugs no row of `model` has or had (SlugRedirect), for many rows at
    once: the base itself when free, else base-2, base-3… past the highest
    number taken. Three queries a call on SQLite (on PostgreSQL, two more
    per RANGES_PER_QUERY bases already taken), all served by the slug
    indexes (ranges, not LIKE).
    Remembers what it learnt, so an import asks about each base once."""

    def __init__(self, model, memory=200_000):
        self.model = model
        self.kind = model._meta.model_name
        self.memory = memory
        # Slugs known to be in use: found in the database or given out here.
        self.used = set()
        # base → the next number to try for it (2 or more), once learnt.
        self.next_number = {}

    def allocate(self, bases):
        if len(self.next_number) + len(self.used) > self.memory:
            # Forgotten, not lost: earlier batches are in the database.
            self.next_number.clear()
            self.used.clear()
        bases = list(bases)
        unknown = {base for base in bases if base not in self.used}
        if unknown:
            self.used |= self._taken(Q(slug__in=unknown), Q(old_slug__in=unknown))
        repeated = {base for base, n in Counter(bases).items() if n > 1}
        need_numbers = {
            base
            for base in set(bases)
            if (base in self.used or base in repeated) and base not in self.next_number
        }
        if need_numbers:
            self._learn_numbers(need_numbers)
        slugs = []
        for base in bases:
            slug = base
            if slug in self.used:
                # Past the highest number taken, and past a numbered slug
                # that is also another row's own base ("Alien 3" → "alien-3").
                if base not in self.next_number:  # made "used" by this loop
                    self._learn_numbers({base})
                n = self.next_number[base]
                while f"{base}-{n}" in self.used:
                    n += 1
                slug, self.next_number[base] = f"{base}-{n}", n + 1
            self.used.add(slug)
            slugs.append(slug)
        return slugs

    def _taken(self, slug_q, redirect_q):
        from .models import SlugRedirect

        taken = set(self.model._default_manager.filter(slug_q).values_list("slug", flat=True))
        taken.update(
            SlugRedirect.objects.filter(redirect_q, **{f"{self.kind}__isnull": False}).values_list(
                "old_slug", flat=True
            )
        )
        return taken

    def _learn_numbers(self, bases):
        highest = dict.fromkeys(bases, 1)
        for slug in self._numbered(sorted(bases)):
            base, _, number = slug.rpartition("-")
            if base in highest and number.isdigit():
                highest[base] = max(highest[base], int(number))
        for base, n in highest.items():
            self.next_number[base] = n + 1

    def _numbered(self, bases):
        """Slugs (and old slugs) that start with "<base>-", for each base:
        "base-" < "base-<anything>" < "base." since "." follows "-"."""
        if connection.vendor == "sqlite":
            yield from self._numbered_sqlite(bases)
            return
        # A query per RANGES_PER_QUERY bases, which PostgreSQL answers with
        # one index scan per range (a BitmapOr).
        for start in range(0, len(bases), RANGES_PER_QUERY):
            slug_q, redirect_q = Q(pk__in=[]), Q(pk__in=[])
            for base in bases[start : start + RANGES_PER_QUERY]:
                slug_q |= Q(slug__gt=f"{base}-", slug__lt=f"{base}.")
                redirect_q |= Q(old_slug__gt=f"{base}-", old_slug__lt=f"{base}.")
            yield from self._taken(slug_q, redirect_q)

    def _numbered_sqlite(self, bases):
        # SQLite plans a long OR of ranges as a scan of the whole table per
        # query (45 s for 5,000 bases at 276,000 people) and refuses a chain
        # of over 1,000 ORs. Joined to the list of bases instead, each base
        # is one search of the slug index; CROSS JOIN keeps the list outside.
        from .models import SlugRedirect

        table = connection.ops.quote_name(self.model._meta.db_table)
        redirects = connection.ops.quote_name(SlugRedirect._meta.db_table)
        owner = connection.ops.quote_name(f"{self.kind}_id")
        sql = f"""
            SELECT t.slug FROM json_each(%s) AS b CROSS JOIN {table} AS t
             WHERE t.slug > b.value || '-' AND t.slug < b.value || '.'
            UNION ALL
            SELECT r.old_slug FROM json_each(%s) AS b CROSS JOIN {redirects} AS r
             WHERE r.old_slug > b.value || '-' AND r.old_slug < b.value || '.'
               AND r.{owner} IS NOT NULL
        """  # noqa: S608 (table names from the models, values as parameters)
        listed = json.dumps(bases)
        with connection.cursor() as cursor:
            cursor.execute(sql, [listed, listed])
            for (slug,) in cursor.fetchall():
                yield slug


def free_slug(model, base):
    """A slug for one new row of `model` (Film.save, Person.save)."""
    return SlugAllocator(model).allocate([base])[0]
