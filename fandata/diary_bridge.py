"""The diary app's side of an import, an export and an account deletion."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Viewing:
    film_id: int
    watched_on: date
    rewatch: bool = False


def import_viewings(user, viewings):
    return 0


def import_watchlist(user, film_ids):
    return 0


def diary_records(user):
    return []


def watchlist_records(user):
    return []


def forget_fan(user):
    pass
