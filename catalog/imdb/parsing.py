"""Reading one line of IMDb's files into checked values: a BadLine says why not."""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.text import fold

from .. import validation
from ..models import FIRST_FILM_YEAR, Credit, Film
from .files import BadLine, title_number

MAX_TITLE = Film._meta.get_field("title").max_length
MAX_JOB = Credit._meta.get_field("job").max_length
CAST_CATEGORIES = {"actor", "actress", "self", "archive_footage"}


def match_key(text):
    """Titles and names compared for matching: folded, spaces and hyphens
    ignored ("Mir Karimi" is "Mirkarimi")."""
    return "".join(fold(text).split())


@dataclass
class Title:
    line: int
    number: int
    title: str
    original_title: str
    year: int | None
    runtime: int | None
    genres: tuple

    def values(self):
        return {
            "title": self.title,
            "original_title": self.original_title,
            "year": self.year,
            "runtime_minutes": self.runtime,
        }


def credit_role(category, job):
    """(role, job) of a principal's category: actors are cast, the rest crew
    with the category as the job ("director" → "Director")."""
    if category in CAST_CATEGORIES:
        return Credit.Role.CAST, ""
    return Credit.Role.CREW, (category.replace("_", " ").capitalize() or "Crew")[:MAX_JOB]


def parse_int(text, what):
    if text is None:
        return None
    if not text.isdigit():
        raise BadLine(f"non-numeric {what}: {text!r:.40}")
    return int(text)


def parse_rating(text):
    """IMDb's averageRating as tenths (8.2 → 82)."""
    try:
        value = Decimal(text)
    except (InvalidOperation, TypeError):
        raise BadLine(f"non-numeric rating: {text!r:.40}") from None
    if not value.is_finite() or not 0 <= value <= 10:
        raise BadLine(f"rating out of range: {text!r:.40} is not between 0 and 10")
    return int((value * 10).to_integral_value())


def parse_characters(text):
    """The JSON array of a principal's characters, as strings."""
    if text is None:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        raise BadLine(f"characters is not a JSON array: {text!r:.40}") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadLine(f"characters is not a JSON array: {text!r:.40}")
    return [v.strip() for v in value if v.strip()]


def parse_title(line, tconst, primary, original, start, runtime, genres):
    number = title_number(tconst)
    if not primary:
        raise BadLine("no title")
    for text in (primary, original or ""):
        if len(text) > MAX_TITLE:
            raise BadLine(f"absurdly long title: {len(text):,} characters (at most {MAX_TITLE})")
    year = parse_int(start, "year")
    if year is not None and year < FIRST_FILM_YEAR:
        raise BadLine(f"year out of range: {year} is before the first film ({FIRST_FILM_YEAR})")
    minutes = parse_int(runtime, "runtime")
    if minutes == 0:
        minutes = None
    problems = validation.film_problems(year=year, runtime_minutes=minutes)
    if problems:
        raise BadLine(f"implausible: {validation.describe(problems)}")
    return Title(
        line=line,
        number=number,
        title=primary,
        original_title=original if original and original != primary else "",
        year=year,
        runtime=minutes,
        genres=tuple(dict.fromkeys(g for g in (genres or "").split(",") if g))[:10],
    )
