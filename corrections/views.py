from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from catalog.models import Film, Person
from core.pagination import ClampedPaginationMixin
from core.ratelimit import rate_limited

from . import services
from .forms import CorrectionForm
from .models import Correction


def _suggest(request, subject):
    form = CorrectionForm(request.POST or None, subject=subject, author=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, "Thank you: staff will check your correction. Its status is on this page."
        )
        return redirect("corrections:mine")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "corrections/suggest.html", {"form": form, "subject": subject}, status=status
    )


@login_required
@rate_limited("correction")
def suggest_film(request, slug):
    return _suggest(request, get_object_or_404(Film.objects.all(), slug=slug))


@login_required
@rate_limited("correction")
def suggest_person(request, slug):
    return _suggest(request, get_object_or_404(Person.objects.all(), slug=slug))


@method_decorator(login_required, name="dispatch")
class MyCorrectionsView(ClampedPaginationMixin, ListView):
    """The fan's own suggestions, newest first, with staff's decisions."""

    paginate_by = 20
    context_object_name = "corrections"
    template_name = "corrections/mine.html"

    def get_queryset(self):
        return Correction.objects.filter(author=self.request.user).with_subject()


@login_required
@require_POST
def dismiss(request):
    services.dismiss_notices(request.user)
    messages.success(request, "Done: those notices are dismissed.")
    return redirect("corrections:mine")
