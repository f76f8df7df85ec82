from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from catalog import structured_data
from catalog.models import Film
from catalog.pagination import ClampedPaginationMixin

from .models import Review


class FilmReviewListView(ClampedPaginationMixin, ListView):
    """All published reviews of one film, newest first."""

    paginate_by = 10
    context_object_name = "reviews"
    template_name = "reviews/film_review_list.html"

    def get_queryset(self):
        self.film = get_object_or_404(Film, slug=self.kwargs["slug"])
        return self.film.reviews.published().select_related("author").newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(film=self.film, **kwargs)


class ReviewDetailView(DetailView):
    queryset = Review.objects.published().with_film()
    context_object_name = "review"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structured_data=structured_data.review_data(
                self.object, self.request.build_absolute_uri
            ),
            **kwargs,
        )
