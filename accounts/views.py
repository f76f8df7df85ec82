from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme

from core.ratelimit import rate_limited

from .forms import LoginForm, SignUpForm


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
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_username()}! You can now rate and review.")
        return redirect(safe_next(request, reverse("catalog:home")))
    return render(request, "accounts/signup.html", {"form": form, "next": safe_next(request, "")})


class SiteNameMixin:
    """Django's auth views put the request's host in `site_name` (there is no
    Sites framework here), which overrides the context processor's and gave
    titles like "Log in · 127.0.0.1:8021"; every page says the site's name."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["site_name"] = settings.SITE_NAME
        return context


@method_decorator(rate_limited("login", account_field="username"), name="dispatch")
class LoginView(SiteNameMixin, auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


@method_decorator(rate_limited("password-reset"), name="dispatch")
class PasswordResetView(SiteNameMixin, auth_views.PasswordResetView):
    success_url = reverse_lazy("accounts:password-reset-done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordChangeView(SiteNameMixin, auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordChangeDoneView(SiteNameMixin, auth_views.PasswordChangeDoneView):
    pass


class PasswordResetDoneView(SiteNameMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(SiteNameMixin, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(SiteNameMixin, auth_views.PasswordResetCompleteView):
    pass
