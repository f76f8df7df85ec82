from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from core.ratelimit import rate_limited

from . import services
from .forms import AccountDeleteForm


@login_required
def index(request):
    """Your data: bring it in, take it out, or delete the account."""
    return render(request, "fandata/index.html")


@login_required
# Each post tries a password: limited like logging in.
@rate_limited("account-delete")
def account_delete(request):
    form = AccountDeleteForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(request.user, keep_reviews=form.keep_reviews)
        logout(request)
        messages.success(request, "Your account is deleted. Goodbye, and thank you.")
        return redirect("catalog:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "fandata/account_delete.html", {"form": form}, status=status)
