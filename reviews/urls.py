from django.urls import path

from catalog.page_cache import cached_for_anonymous, film_scopes

from . import feeds, views

app_name = "reviews"

urlpatterns = [
    path(
        "films/<str:slug>/reviews/",
        cached_for_anonymous(film_scopes)(views.FilmReviewListView.as_view()),
        name="film-review-list",
    ),
    path("films/<str:slug>/reviews/new/", views.review_create, name="review-create"),
    path("films/<str:slug>/rating/", views.rating_set, name="rating-set"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
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
    path("fans/<str:username>/", views.ProfileReviewsView.as_view(), name="profile"),
    path(
        "fans/<str:username>/ratings/", views.ProfileRatingsView.as_view(), name="profile-ratings"
    ),
]
