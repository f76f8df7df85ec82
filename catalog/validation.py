"""Plausibility checks: values the database would accept but no real film has.

The database's constraints refuse the impossible (a year before 1888, a
negative amount). These checks catch the likely typing and import mistakes
inside that range: a two-digit year read as 2097, a release before the film
existed, a runtime in seconds, a gross of $0 standing for "unknown". One set
of checks serves every way facts arrive, so each says no in the same words:

- the admin's forms, through the models' clean() (Film, ReleaseDate,
  BoxOfficeFigure), which ModelForm and full_clean() call;
- staff spreadsheets (catalog/admin_import.py), whose resources call
  full_clean() on every row;
- bulk importers (import_imdb), which build no model instance per row and
  call the functions below with plain values instead, e.g.

      problems = film_problems(year=row.year, runtime_minutes=row.runtime)
      if problems:
          report_bad_line(path, line_number, describe(problems))

Each function returns {field name: [message, …]}, empty when all is well, so
a caller can turn it into a ValidationError (`raise_if_any`) or a report line
(`describe`). Messages are plain language and name the value found.

`today` is a parameter only so tests can pin the date.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

# The longest films ever shown run a few days; anything above this is a
# runtime typed in seconds or a catalogue number in the wrong column.
MAX_RUNTIME_MINUTES = 1000


def next_year(today=None):
    """The latest plausible year of a film: announced films get a year ahead."""
    return (today or timezone.localdate()).year + 1


def film_problems(*, year=None, runtime_minutes=None, today=None):
    """Problems with a film's own facts (None means "not given": fine)."""
    problems = {}
    if year is not None and year > next_year(today):
        problems["year"] = [
            f"{year} is after next year ({next_year(today)}). Check for a typing mistake, "
            "such as a two-digit year read in the wrong century."
        ]
    if runtime_minutes is not None and runtime_minutes > MAX_RUNTIME_MINUTES:
        problems["runtime_minutes"] = [
            f"{runtime_minutes:,} minutes is longer than any film "
            f"(at most {MAX_RUNTIME_MINUTES:,}). Was it given in seconds?"
        ]
    return problems


def release_date_problems(*, date, film_year):
    """A release date must not come before the film's year of first release."""
    if date is None or film_year is None:
        return {}
    if isinstance(date, datetime.datetime):
        date = date.date()
    if date.year < film_year:
        return {
            "date": [
                f"{date:%d %B %Y} is before the film's year ({film_year}). Check the date, "
                "or the film's year if this is its first release."
            ]
        }
    return {}


def box_office_problems(*, amount):
    """A box-office figure of 0 means "unknown": leave the figure out instead."""
    if amount is not None and amount <= 0:
        return {
            "amount": [
                "An amount of 0 means the figure is unknown: leave it out instead of entering 0."
            ]
        }
    return {}


def raise_if_any(problems):
    """Raise the problems as a ValidationError on their fields, if any."""
    if problems:
        raise ValidationError(problems)


def describe(problems):
    """The problems as one line of plain text, for reports and logs."""
    return "; ".join(
        f"{field.replace('_', ' ')}: {message}"
        for field, messages in problems.items()
        for message in messages
    )
