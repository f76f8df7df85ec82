from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from core.ratelimit import rate_limited

from . import exporter, importer, services
from .forms import AccountDeleteForm, ImportChoicesForm, ImportUploadForm
from .models import PendingImport
from .uploads import UploadError


@login_required
def index(request):
    """Your data: bring it in (and an upload waiting to be confirmed), take
    it out, or delete the account."""
    pending = PendingImport.objects.current_for(request.user)
    return render(request, "fandata/index.html", {"pending": pending})


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


@login_required
@rate_limited("import")
def import_upload(request):
    """Upload a Letterboxd or IMDb export; on success, its preview."""
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            importer.prepare(request.user, form.cleaned_data["export"])
        except UploadError as error:
            form.add_error("export", str(error))
        else:
            return redirect("fandata:import-preview")
    status = 400 if request.method == "POST" else 200
    return render(request, "fandata/import_upload.html", {"form": form}, status=status)


@login_required
@rate_limited("import")
def import_preview(request):
    """What the upload would change; confirming writes it, cancelling forgets it."""
    pending = PendingImport.objects.current_for(request.user)
    if pending is None:
        messages.info(request, "Nothing is waiting to be imported: upload your export first.")
        return redirect("fandata:import")
    if request.method == "POST" and request.POST.get("action") == "cancel":
        pending.delete()
        messages.info(request, "Import cancelled: nothing was saved.")
        return redirect("fandata:index")
    preview = importer.Preview(pending)
    form = ImportChoicesForm(preview, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        written = importer.apply(request.user, pending, form.choices())
        messages.success(request, importer.summary(written))
        return redirect("fandata:index")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "fandata/import_preview.html", {"preview": preview, "form": form}, status=status
    )


@login_required
@require_POST
@rate_limited("export")
def export(request):
    """All of the fan's data as a ZIP in Letterboxd's layout."""
    data = exporter.export_zip(request.user, request.build_absolute_uri)
    name = f"{request.user.get_username()}-{timezone.now():%Y-%m-%d}.zip"
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
