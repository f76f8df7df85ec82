from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("films/<str:slug>/reviews/", views.FilmReviewListView.as_view(), name="film-review-list"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
]
