from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import ListView

from catalog.pagination import ClampedPaginationMixin
from reviews.models import Rating, Review

from .forms import LoginForm, SignUpForm
from .ratelimit import rate_limited


def safe_next(request, fallback):
    """The `next` address if it is a path on this site, else `fallback`.

    Only paths starting with "/" pass, so redirect() never mistakes a visitor's
    value for a URL name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@rate_limited("signup")
def signup(request):
    if request.user.is_authenticated:
        return redirect(safe_next(request, reverse("catalog:home")))
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="accounts.backends.CachedAccountBackend")
        messages.success(request, f"Welcome, {user.get_username()}! You can now rate and review.")
        return redirect(safe_next(request, reverse("catalog:home")))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


@method_decorator(rate_limited("login", account_field="username"), name="dispatch")
class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


@method_decorator(rate_limited("password-reset"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("accounts:password-reset-done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class FanPageMixin(ClampedPaginationMixin):
    """Shared by a fan's two public pages: looks the fan up by username."""

    paginate_by = 20

    def get_fan(self):
        return get_object_or_404(get_user_model(), username=self.kwargs["username"], is_active=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(fan=self.fan, **kwargs)


class ProfileReviewsView(FanPageMixin, ListView):
    """A fan's public page: their published reviews, newest first."""

    template_name = "accounts/profile_reviews.html"
    context_object_name = "reviews"

    def get_queryset(self):
        self.fan = self.get_fan()
        return Review.objects.published().filter(author=self.fan).with_film().newest_first()


class ProfileRatingsView(FanPageMixin, ListView):
    """A fan's ratings, latest first (those of staff-hidden reviews left out)."""

    template_name = "accounts/profile_ratings.html"
    context_object_name = "ratings"

    def get_queryset(self):
        self.fan = self.get_fan()
        return Rating.objects.counted().filter(user=self.fan).select_related("film")
