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


class SlugAllocator:
    """Slugs no row of `model` has or had (SlugRedirect), for many rows at
    once: the base itself when free, else base-2, base-3… past the highest
    number taken. At most two queries a call, both served by the slug
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
            self.used |= self._taken(unknown)
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

    def _taken(self, bases):
        """The bases that are a row's slug or one of its old slugs."""
        return set(self._matching(bases, "t.{slug} = b.value"))

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
        "base-" < "base-<anything>" < "base." since "." follows "-" in byte
        order. PostgreSQL compares in byte order with ~>~ and ~<~ (served by
        the slug's varchar_pattern_ops index), whatever the database's
        collation: en_US's ignores punctuation, which would put "alien-3"
        outside the range of "alien"."""
        if connection.vendor == "postgresql":
            between = "t.{slug} ~>~ (b.value || '-') AND t.{slug} ~<~ (b.value || '.')"
        else:
            between = "t.{slug} > b.value || '-' AND t.{slug} < b.value || '.'"
        return self._matching(bases, between)

    def _matching(self, bases, condition):
        """Slugs and old slugs meeting `condition` for one of the bases (b.value),
        in one query: the bases are a parameter read as a table, joined to
        each slug index, so each base is one search of the index.

        One list instead of a parameter a base: Django resolving thousands
        of parameters, and the database parsing them, took most of the
        time of an import's slugs; and SQLite plans a long OR of ranges as
        a scan of the whole table (45 s for 5,000 bases at 276,000 people)
        and refuses one of over 1,000 terms."""
        from .models import SlugRedirect

        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        redirects = quote(SlugRedirect._meta.db_table)
        owner = quote(f"{self.kind}_id")
        if connection.vendor == "postgresql":
            listed, bases_table = list(bases), "unnest(%s::text[]) AS b(value)"
        else:
            # CROSS JOIN keeps SQLite from scanning the slugs for each base.
            listed, bases_table = json.dumps(list(bases)), "json_each(%s) AS b"
        sql = f"""
            SELECT t.slug FROM {bases_table} CROSS JOIN {table} AS t
             WHERE {condition.format(slug="slug")}
            UNION ALL
            SELECT t.old_slug FROM {bases_table} CROSS JOIN {redirects} AS t
             WHERE {condition.format(slug="old_slug")} AND t.{owner} IS NOT NULL
        """  # noqa: S608 (table names from the models, values as parameters)
        with connection.cursor() as cursor:
            cursor.execute(sql, [listed, listed])
            return [slug for (slug,) in cursor.fetchall()]


def free_slug(model, base):
    """A slug for one new row of `model` (Film.save, Person.save)."""
    return SlugAllocator(model).allocate([base])[0]
