from django.urls import path

from . import feeds, views

app_name = "reviews"

urlpatterns = [
    path("films/<str:slug>/reviews/", views.FilmReviewListView.as_view(), name="film-review-list"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("reviews/feed/", feeds.NewestReviewsFeed(), name="review-feed-rss"),
    path("reviews/feed/atom/", feeds.NewestReviewsAtomFeed(), name="review-feed-atom"),
    path("films/<str:slug>/reviews/feed/", feeds.FilmReviewsFeed(), name="film-review-feed-rss"),
    path(
        "films/<str:slug>/reviews/feed/atom/",
        feeds.FilmReviewsAtomFeed(),
        name="film-review-feed-atom",
    ),
]
