from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import OpenDataConsentForm
from .models import Dump


def download(request):
    """The latest dump's files, licence and schema. One query."""
    dump = Dump.objects.latest_first().first()
    return render(
        request,
        "opendata/download.html",
        {"dump": dump, "licence": dump.licence if dump else settings.OPEN_DATA_LICENCE},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    """A fan says whether their reviews go into the open data dump."""
    # An unticked box sends nothing: an empty POST is still a submission.
    data = request.POST if request.method == "POST" else None
    form = OpenDataConsentForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.instance.reviews_in_open_data:
            messages.success(request, "Your reviews will be in the next open data dump.")
        else:
            messages.success(request, "Your reviews will not be in the next open data dump.")
        return redirect("opendata:consent")
    return render(request, "opendata/consent.html", {"form": form})
