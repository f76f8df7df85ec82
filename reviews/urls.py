from django.urls import path

from core.page_cache.invalidation import fan_family, film_family, review_family
from core.page_cache.views import cache_page_for_everyone

from . import feeds, views

# Cached whole for everyone (core/page_cache); the buttons that differ per
# fan are holes (reviews/holes.py).
for_film_reviews = cache_page_for_everyone(lambda kw: [film_family(kw["slug"])], ["page", "sort"])
for_review = cache_page_for_everyone(lambda kw: [review_family(kw["pk"])])
for_fan = cache_page_for_everyone(lambda kw: [fan_family(kw["username"])], ["page"])

app_name = "reviews"

urlpatterns = [
    path(
        "films/<str:slug>/reviews/",
        for_film_reviews(views.FilmReviewListView.as_view()),
        name="film-review-list",
    ),
    path("films/<str:slug>/reviews/new/", views.review_create, name="review-create"),
    path("films/<str:slug>/rating/", views.rating_set, name="rating-set"),
    path("reviews/<int:pk>/", for_review(views.ReviewDetailView.as_view()), name="review-detail"),
    path("reviews/feed/", feeds.NewestReviewsFeed(), name="review-feed-rss"),
    path("reviews/feed/atom/", feeds.NewestReviewsAtomFeed(), name="review-feed-atom"),
    path("films/<str:slug>/reviews/feed/", feeds.FilmReviewsFeed(), name="film-review-feed-rss"),
    path(
        "films/<str:slug>/reviews/feed/atom/",
        feeds.FilmReviewsAtomFeed(),
        name="film-review-feed-atom",
    ),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review-edit"),
    path("reviews/<int:pk>/delete/", views.review_delete, name="review-delete"),
    path("reviews/<int:pk>/helpful/", views.review_helpful, name="review-helpful"),
    path("reviews/<int:pk>/report/", views.review_report, name="review-report"),
    path("fans/<str:username>/", for_fan(views.ProfileReviewsView.as_view()), name="profile"),
    path(
        "fans/<str:username>/ratings/",
        for_fan(views.ProfileRatingsView.as_view()),
        name="profile-ratings",
    ),
]
