"""schema.org descriptions of pages, for search engines (JSON-LD).

Each function turns rows a view has already loaded into a plain dict; none of
them queries the database. `absolute` turns a path into a full URL (the view
passes `request.build_absolute_uri`), because JSON-LD consumers read the data
away from the page.

Ratings are described on the scale the page shows them: a film's fans' rating
in stars out of 5 (half steps), one review's rating in points out of 10.
"""

from django.templatetags.static import static

from core.links import slug_url
from core.seo import DEFAULT_SHARE_IMAGE

from .images import share_url

SCHEMA = "https://schema.org"


def share_image_url(film, absolute):
    """The picture link previews and the Movie use: the poster, else the
    film's title card (share_cards.py; Google wants an image on a Movie)."""
    if film is None:
        return absolute(static(DEFAULT_SHARE_IMAGE))
    if film.poster:
        return absolute(share_url(film.poster))
    return absolute(slug_url("catalog:film-share-card", film.slug))


def person_ref(person, absolute):
    return {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}


def review_rating(review):
    return {
        "@type": "Rating",
        "ratingValue": review.rating,
        "bestRating": 10,
        "worstRating": 1,
    }


def review_data(review, absolute, *, with_item=True):
    """A Review; with_item=False when it is nested inside its Movie.

    Unrated reviews get no reviewRating; `movie_data` leaves them out since
    Google requires a rating on every review it shows as a snippet.
    """
    data = {
        "@type": "Review",
        "name": review.title,
        "url": absolute(review.get_absolute_url()),
        "author": {"@type": "Person", "name": review.author_display},
    }
    if review.rating is not None:
        data["reviewRating"] = review_rating(review)
    if review.published_at:
        data["datePublished"] = review.published_at.date().isoformat()
    if with_item:
        # The film page lists reviews as excerpts; only the review's own
        # page carries its whole text, here as on screen.
        data["reviewBody"] = review.body
        film = review.film
        data["itemReviewed"] = {
            "@type": "Movie",
            "name": film.title,
            "url": absolute(film.get_absolute_url()),
            "image": share_image_url(film, absolute),
        }
        if film.year:
            data["itemReviewed"]["dateCreated"] = str(film.year)
        data = {"@context": SCHEMA, **data}
    return data


def movie_data(page, reviews, absolute):
    """A Movie from the film page's data (catalog.pages.FilmPage) and the
    reviews its page shows."""
    film = page.film
    alternate_names = []
    if film.shows_original_title:
        alternate_names.append(film.original_title)
    alternate_names += [alt.title for alt in page.alternate_titles]
    data = {
        "@context": SCHEMA,
        "@type": "Movie",
        "name": film.title,
        "url": absolute(film.get_absolute_url()),
        "image": share_image_url(film, absolute),
    }
    if alternate_names:
        data["alternateName"] = alternate_names
    same_as = [outside_id.url for outside_id in page.outside_ids if outside_id.url]
    if same_as:
        data["sameAs"] = same_as
    if film.year:
        # The year of first release; ISO 8601 allows a year on its own.
        data["dateCreated"] = str(film.year)
    release_dates = [release.date for release in page.release_dates]
    if release_dates:
        data["datePublished"] = min(release_dates).isoformat()
    if film.summary or film.synopsis:
        data["description"] = film.summary or film.synopsis
    if film.runtime_minutes:
        data["duration"] = f"PT{film.runtime_minutes}M"
    genres = [genre.name for genre in page.genres]
    if genres:
        data["genre"] = genres
    if page.directors:
        data["director"] = [person_ref(c.person, absolute) for c in page.directors]
    if page.top_cast:
        data["actor"] = [person_ref(c.person, absolute) for c in page.top_cast]
    if film.rating_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": round(film.rating_average / 2, 2),
            "bestRating": 5,
            "worstRating": 0.5,
            "ratingCount": film.rating_count,
            "reviewCount": film.review_count,
        }
    rated = [review_data(r, absolute, with_item=False) for r in reviews if r.rating is not None]
    if rated:
        data["review"] = rated
    return data


def person_data(person, absolute, credits=(), outside_ids=()):
    """A Person: who the page is about, what they do (jobTitle: "Actor",
    "Director"…) and the other names they were credited under; the films
    they work in are linked from the Movies' own actor and director.
    `outside_ids` are the person's OutsideId rows the view loaded (sameAs)."""
    data = {
        "@context": SCHEMA,
        "@type": "Person",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
    }
    if person.photo:
        data["image"] = absolute(share_url(person.photo))
    if person.biography:
        data["description"] = person.biography
    same_as = [outside_id.url for outside_id in outside_ids if outside_id.url]
    if same_as:
        data["sameAs"] = same_as
    jobs = []
    for credit in credits:
        job = "Actor" if credit.role == "cast" else credit.job
        if job and job not in jobs:
            jobs.append(job)
    if jobs:
        data["jobTitle"] = jobs
    other_names = sorted(
        {c.credited_as for c in credits if c.credited_as and c.credited_as != person.name}
    )
    if other_names:
        data["alternateName"] = other_names
    return data
