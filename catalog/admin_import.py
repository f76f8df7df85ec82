"""Staff spreadsheets in the admin: import and export of films, people and
credits as CSV or XLSX, through django-import-export.

An upload is first run as a dry run in a transaction that is rolled back,
and the preview lists each row as new, changed, unchanged or in error (with
the cell's message); only a file without errors can be confirmed, which
runs it again for real. The resources (catalog/resources.py) hold the
columns, matching and validation; this module the admin side: who may,
which formats, where the upload waits between preview and confirmation,
and plain words when a file cannot be read at all.
"""

import zipfile

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import Truncator
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.tmp_storages import CacheStorage

from core.page_cache import invalidation

from .resources import CreditResource, FilmResource, PersonResource

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An XLSX file is a zip of XML: five compressed megabytes can unpack to
# gigabytes. Real sheets of 10,000 rows unpack to a few tens of megabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


class SheetCSV(base_formats.CSV):
    """CSV; exports are escaped by the resources (see resources.escape_formula)."""


class SheetXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        # Control characters cannot be stored in XLSX: they become "�"
        # rather than failing the whole export.
        self._escape_illegal_chars(dataset)
        return super().export_data(dataset, **kwargs)


SHEET_FORMATS = [SheetCSV, SheetXLSX]


class PreviewExpired(Exception):
    pass


class SharedCacheStorage(CacheStorage):
    """The upload waits in the shared cache between preview and confirmation,
    so any worker (or host, with Redis) can finish it; one hour is plenty."""

    CACHE_LIFETIME = 60 * 60
    CACHE_PREFIX = "sheet-upload-"

    def read(self):
        data = super().read()
        if data is None:
            raise PreviewExpired
        return data


class SheetImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it into smaller files."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        upload.seek(0)
        if upload.read(4) == b"PK\x03\x04":
            upload.seek(0)
            try:
                with zipfile.ZipFile(upload) as archive:
                    unpacked = sum(entry.file_size for entry in archive.infolist())
            except zipfile.BadZipFile:
                unpacked = 0  # reading it as a workbook reports the damage
            if unpacked > MAX_UNPACKED_BYTES:
                raise forms.ValidationError(
                    "The workbook unpacks to more than "
                    f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB. Split it into smaller files."
                )
        upload.seek(0)
        return upload


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and Export buttons on a change list. Staff need the model's
    add and change permissions to import, and view to export."""

    import_formats = SHEET_FORMATS
    export_formats = SHEET_FORMATS
    # Excel's "CSV UTF-8" starts with a byte-order mark; this reads both.
    from_encoding = "utf-8-sig"
    # And exports carry the mark, so Excel reads non-Latin titles right.
    to_encoding = "utf-8-sig"
    import_template_name = "catalog/admin/sheet_import.html"
    tmp_storage_class = SharedCacheStorage
    import_form_class = SheetImportForm

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):
            message = (
                "The file is not UTF-8 text. In your spreadsheet program, save it as "
                "“CSV UTF-8”, or as an Excel workbook (XLSX)."
            )
        else:
            message = (
                "The file could not be read as the format chosen. Check that it is a CSV "
                "file or an Excel workbook (XLSX) and that the format matches."
            )
        form.add_error("import_file", message)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        # The preview's writes were rolled back; what they marked stale in
        # the page cache would otherwise be retired at the next commit.
        invalidation.discard()
        return response

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except PreviewExpired:
            messages.error(request, "That preview has expired. Upload the file again.")
            opts = self.opts
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            Truncator(
                f"Imported {self.opts.verbose_name_plural}: {totals['new']} new, "
                f"{totals['update']} changed, {totals['skip']} unchanged."
            ).chars(200),
        )


class FilmSpreadsheetMixin(SpreadsheetAdminMixin):
    resource_classes = [FilmResource]

    def get_export_queryset(self, request):
        # An export lists every film's genres, countries and languages.
        return (
            super()
            .get_export_queryset(request)
            .prefetch_related("genres", "countries", "languages", "outside_ids")
        )


class PersonSpreadsheetMixin(SpreadsheetAdminMixin):
    resource_classes = [PersonResource]

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("outside_ids")


class CreditSpreadsheetMixin(SpreadsheetAdminMixin):
    resource_classes = [CreditResource]

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("film", "person")
