"""What the reviews app puts on pages it does not own.

- Holes (core/page_cache/holes.py), filled for each visitor on every request:
  the fan's own stars on a film page, the "write a review" link, and the
  helpful/report/edit buttons under a review.
- Sections of the catalogue's film and home pages (catalog/pages.py): the
  latest reviews, loaded when the page is rendered afresh, then cached with it.
"""

from functools import lru_cache
from types import SimpleNamespace

from django.db.models import Exists, OuterRef

from catalog.pages import FILM_PAGE, HOME_PAGE, Section, register_section
from core.page_cache import holes

from .forms import RatingForm
from .models import HelpfulVote, Rating, Review

LATEST_REVIEWS_ON_FILM_PAGE = 3
LATEST_REVIEWS_ON_HOME_PAGE = 6


@lru_cache(maxsize=16)
def star_inputs(points):
    """The widget's ten radio inputs with `points` (None: unrated) checked.
    The same HTML for every fan who gave the same points, so it is rendered
    once per process: ten inputs through the form renderer cost more than
    the rest of a fan's cached film page (BENCHMARKS.md, issue 13)."""
    return RatingForm(initial={"points": points}, auto_id="id_rating_%s")["points"].as_widget()


@holes.register("film-rating")
def film_rating(request, slug):
    """The star widget: one query for a fan's own rating, none for a visitor."""
    my_rating = None
    if request.user.is_authenticated:
        my_rating = (
            Rating.objects.filter(film__slug=slug, user=request.user)
            .values_list("points", flat=True)
            .first()
        )
    return holes.render_template(
        "reviews/includes/rating_widget.html",
        request,
        {
            "film": SimpleNamespace(slug=slug),
            "my_rating": my_rating,
            "star_inputs": star_inputs(my_rating),
        },
    )


@holes.register("write-review")
def write_review(request, slug):
    return holes.render_template(
        "reviews/includes/write_review_link.html", request, {"film_slug": slug}
    )


@holes.register("review-actions")
def review_actions(request, pk):
    """Helpful vote and report buttons, or the author's own edit and delete
    links: one query for a fan, none for a visitor."""
    context = {"review": SimpleNamespace(pk=pk), "voted_helpful": False}
    if request.user.is_authenticated:
        votes = HelpfulVote.objects.filter(review=OuterRef("pk"), user=request.user)
        review = (
            Review.objects.filter(pk=pk).annotate(voted=Exists(votes)).only("author_id").first()
        )
        if review is None:
            return ""
        context = {"review": review, "voted_helpful": review.voted}
    return holes.render_template("reviews/includes/review_actions.html", request, context)


@register_section(FILM_PAGE)
def latest_reviews_of_film(film):
    # No query when the film's exact counter (reviews.services keeps it)
    # says it has no published review, as most films of an imported
    # catalogue have not: 1.4 ms of a 15 ms page at a million films.
    reviews = []
    if film.review_count:
        reviews = list(
            film.reviews.published()
            .select_related("author")
            .newest_first()[:LATEST_REVIEWS_ON_FILM_PAGE]
        )
    return Section(
        "reviews/includes/film_page_reviews.html",
        {"film": film, "reviews": reviews},
        json_ld_reviews=reviews,
    )


@register_section(HOME_PAGE)
def latest_reviews(_):
    reviews = Review.objects.published().with_film().newest_first()[:LATEST_REVIEWS_ON_HOME_PAGE]
    return Section("reviews/includes/home_page_reviews.html", {"reviews": list(reviews)})
