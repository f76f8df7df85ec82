"""Builders for watchlists, diaries, lists and follows in tests; each returns saved rows."""

import datetime

from diary import services
from diary.models import FilmList


def make_list(owner, *films, title="My list", **fields):
    film_list = services.save_list(FilmList(owner=owner, title=title, **fields))
    for film in films:
        services.add_to_list(film_list, film)
    film_list.refresh_from_db()
    return film_list


def log(fan, film, day=None, **fields):
    return services.log_viewing(fan, film, watched_on=day or datetime.date(2026, 1, 15), **fields)
