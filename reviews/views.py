from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from catalog import structured_data
from catalog.models import Film
from catalog.pages import RatingSummary
from core.pagination import ClampedPaginationMixin
from core.ratelimit import rate_limited

from . import profile, services
from .forms import RatingForm, ReportForm, ReviewForm, star_label
from .models import DEFAULT_REVIEW_SORT, REVIEW_SORTS, Rating, Review


class FilmReviewListView(ClampedPaginationMixin, ListView):
    """All published reviews of one film, sorted by ?sort= (newest first)."""

    paginate_by = 10
    context_object_name = "reviews"
    template_name = "reviews/film_review_list.html"

    def get_queryset(self):
        self.film = get_object_or_404(Film, slug=self.kwargs["slug"])
        sort = self.request.GET.get("sort", "")
        self.sort = sort if sort in REVIEW_SORTS else DEFAULT_REVIEW_SORT
        return self.film.reviews.published().select_related("author").sorted_by(self.sort)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            film=self.film,
            sort=self.sort,
            sorts=[(key, label) for key, (label, _) in REVIEW_SORTS.items()],
            rating_summary=RatingSummary.for_film(self.film),
            **kwargs,
        )


class ReviewDetailView(DetailView):
    queryset = Review.objects.published().with_film()
    context_object_name = "review"

    def get_context_data(self, **kwargs):
        # The helpful/report buttons are a hole (reviews/holes.py).
        return super().get_context_data(
            structured_data=structured_data.review_data(
                self.object, self.request.build_absolute_uri
            ),
            **kwargs,
        )


def _rating_response(request, film, points, message):
    """JSON for the star widget's script, a redirect for a plain form post.
    `film` carries the counters the service has just written."""
    if request.headers.get("Accept", "").startswith("application/json"):
        context = {"film": film, "rating_summary": RatingSummary.for_film(film)}
        return JsonResponse(
            {
                "points": points,
                "message": message,
                "summary_html": render_to_string(
                    "catalog/includes/rating_summary.html", context, request=request
                ),
            }
        )
    messages.success(request, message)
    # Back to the stars, not the top of the page (#your-rating is the widget).
    return redirect(f"{film.get_absolute_url()}#your-rating")


@login_required
@rate_limited("rating")
def rating_set(request, slug):
    """Save or clear the fan's stars. GET shows the widget on a page of its own
    (where a logged-out visitor lands after logging in)."""
    if request.method == "POST":
        clearing = request.POST.get("action") == "clear"
        form = RatingForm(request.POST)
        if clearing or form.is_valid():
            # The services look the film up by its slug and lock it in one query.
            try:
                if clearing:
                    points, message = None, "Your rating is cleared."
                    film = services.clear_rating(request.user, slug)
                else:
                    points = form.cleaned_data["points"]
                    message = f"Saved: you rated it {star_label(points)} out of 5."
                    film = services.set_rating(request.user, slug, points)
            except Film.DoesNotExist:
                raise Http404("No film with that address.") from None
            return _rating_response(request, film, points, message)
        film = get_object_or_404(Film, slug=slug)
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"error": form.errors["points"][0]}, status=400)
        status = 400
    else:
        film = get_object_or_404(Film, slug=slug)
        form = RatingForm(initial={"points": Rating.objects.points_of(request.user, film)})
        status = 200
    return render(request, "reviews/rating_form.html", {"film": film, "form": form}, status=status)


@login_required
@rate_limited("review")
def review_create(request, slug):
    film = get_object_or_404(Film, slug=slug)
    existing = Review.objects.filter(film=film, author=request.user).first()
    if existing:
        messages.info(request, "You have already reviewed this film; here you can edit it.")
        return redirect(existing.get_edit_url())
    # The form's stars start from the fan's rating, which the review will show.
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        initial={"rating": Rating.objects.points_of(request.user, film)},
    )
    if request.method == "POST" and form.is_valid():
        review = form.save(commit=False)
        review.film = film
        review.author = request.user
        services.save_review(review, form.cleaned_data["rating"])
        messages.success(request, "Your review is published.")
        return redirect(review)
    return render(request, "reviews/review_form.html", {"film": film, "form": form})


@login_required
@rate_limited("review")
def review_edit(request, pk):
    # Looked up through the author: anyone else's review is a 404.
    review = get_object_or_404(
        Review.objects.select_related("film", "rating_row"), pk=pk, author=request.user
    )
    form = ReviewForm(request.POST if request.method == "POST" else None, instance=review)
    if request.method == "POST" and form.is_valid():
        services.save_review(form.save(commit=False), form.cleaned_data["rating"])
        messages.success(request, "Your review is updated.")
        return redirect(review if review.is_published else review.film)
    return render(
        request, "reviews/review_form.html", {"film": review.film, "form": form, "review": review}
    )


@login_required
def review_delete(request, pk):
    review = get_object_or_404(Review.objects.select_related("film"), pk=pk, author=request.user)
    if request.method == "POST":
        services.delete_review(review)
        messages.success(request, "Your review is deleted. Your star rating stays.")
        return redirect(review.film)
    return render(request, "reviews/review_confirm_delete.html", {"review": review})


@login_required
@require_POST
@rate_limited("helpful")
def review_helpful(request, pk):
    review = get_object_or_404(Review.objects.published(), pk=pk)
    if review.author_id == request.user.pk:
        raise Http404("Fans cannot vote on their own reviews.")
    helpful = request.POST.get("helpful") != "no"
    services.vote_helpful(request.user, review, helpful=helpful)
    messages.success(
        request,
        "Thanks: you marked this review helpful." if helpful else "Your helpful vote is removed.",
    )
    return redirect(review)


@login_required
@rate_limited("report")
def review_report(request, pk):
    review = get_object_or_404(Review.objects.published().with_film(), pk=pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.report_review(
            request.user, review, form.cleaned_data["reason"], form.cleaned_data["note"]
        )
        messages.success(request, "Thank you. Staff will look at this review.")
        return redirect(review)
    return render(request, "reviews/review_report.html", {"review": review, "form": form})


class FanPageMixin(ClampedPaginationMixin):
    """Shared by a fan's two public pages: looks the fan up by username."""

    paginate_by = 20

    def get_fan(self):
        return get_object_or_404(get_user_model(), username=self.kwargs["username"], is_active=True)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # The header counts the same rows (its reviews count, its chart's
        # total): the paginator takes that figure rather than count again.
        self.profile = profile.header(self.fan)
        paginator.count = self.count_in(self.profile)
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # paginates: the header is made
        return {**context, "fan": self.fan, "profile": self.profile}


class ProfileReviewsView(FanPageMixin, ListView):
    """A fan's public page: their published reviews, newest first."""

    template_name = "reviews/profile_reviews.html"
    context_object_name = "reviews"

    def get_queryset(self):
        self.fan = self.get_fan()
        return Review.objects.published().filter(author=self.fan).with_film().newest_first()

    def count_in(self, header):
        return header.review_count


class ProfileRatingsView(FanPageMixin, ListView):
    """A fan's ratings, latest first (those of staff-hidden reviews left out)."""

    template_name = "reviews/profile_ratings.html"
    context_object_name = "ratings"

    def get_queryset(self):
        self.fan = self.get_fan()
        return Rating.objects.counted().filter(user=self.fan).select_related("film")

    def count_in(self, header):
        return header.chart.total
