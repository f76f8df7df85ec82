"""Country and language names from ISO reference data (pycountry), so that
nobody types "Iran" or "Persian" by hand and every import names them alike.

- Countries: ISO 3166-1 alpha-2 codes ("IR"), plus the withdrawn codes films
  still carry (ISO 3166-3: "SU", the Soviet Union; "YU", Yugoslavia…).
- Languages: BCP 47 tags as Language.code holds them ("fa", "pt-BR", "cmn"):
  the primary subtag is an ISO 639-1 or 639-3 code, a region subtag adds its
  country ("Portuguese (Brazil)").

The short everyday name is used where ISO gives one ("Iran", not "Iran,
Islamic Republic of"). An unknown code gives None: callers say so rather
than invent a name.
"""

import re

import pycountry
from django.utils.text import slugify

_PARENTHESES = re.compile(r"\s*\([^)]*\)")


def country_name(code):
    """The name of the country with this ISO 3166-1 alpha-2 code, or None."""
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        return None
    country = pycountry.countries.get(alpha_2=code)
    if country is not None:
        return getattr(country, "common_name", None) or country.name
    withdrawn = pycountry.historic_countries.get(alpha_2=code)
    if withdrawn is not None:
        # "USSR, Union of Soviet Socialist Republics" → "USSR".
        return withdrawn.name.split(",")[0]
    return None


def language_name(code):
    """The name of the language with this BCP 47 tag, or None."""
    parts = (code or "").strip().replace("_", "-").split("-")
    primary = parts[0].lower()
    if primary.isascii() and len(primary) == 2:
        language = pycountry.languages.get(alpha_2=primary)
    elif primary.isascii() and len(primary) == 3:
        language = pycountry.languages.get(alpha_3=primary)
    else:
        return None
    if language is None:
        return None
    # "Modern Greek (1453-)" → "Modern Greek".
    name = _PARENTHESES.sub("", getattr(language, "common_name", None) or language.name)
    regions = [part for part in parts[1:] if len(part) == 2 and part.isalpha()]
    region = country_name(regions[0]) if regions else None
    return f"{name} ({region})" if region else name


def iso_slug(name):
    return slugify(name) or None


def iso_countries():
    """(code, name) of every current ISO 3166-1 country."""
    return [(country.alpha_2, country_name(country.alpha_2)) for country in pycountry.countries]
