"""Pagination that answers any ?page= value with a real page, never a 404."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


def clamped_page_number(raw, num_pages):
    """Turn whatever the visitor typed into the nearest existing page number.

    Letters, blanks and negatives mean the first page; numbers past the end
    mean the last page. Long digit strings are cut before int() so a
    thousand-digit "page" costs nothing.
    """
    raw = (raw or "").strip()
    if raw == "last":
        return num_pages
    # isascii(): str.isdigit() also accepts "²" and other digits int() refuses.
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > 9:
        return num_pages
    return min(max(int(raw), 1), num_pages)


class ClampedPaginationMixin:
    """For ListView: out-of-range or malformed pages show the nearest page."""

    paginator_class = Paginator

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        number = clamped_page_number(self.request.GET.get(self.page_kwarg), paginator.num_pages)
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None:
            context["page_range"] = page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
        return context


class CappedPaginator(Paginator):
    """Counts at most `max_pages` pages' worth of rows (plus one), so a page
    of a huge list never pays for an exact COUNT(*) over the whole table.
    Past the cap the list says "more than …" and offers numbered links to the
    first `max_pages` pages: a reader narrows the filters or changes the sort
    long before that."""

    max_pages = 50

    @cached_property
    def cap(self):
        return self.max_pages * self.per_page

    @cached_property
    def count(self):
        object_list = self.object_list
        if hasattr(object_list, "order_by"):
            # Any cap + 1 rows are enough to count, so drop the ORDER BY.
            return object_list.order_by()[: self.cap + 1].count()
        return min(len(object_list), self.cap + 1)

    @cached_property
    def is_capped(self):
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        if self.is_capped:
            return self.max_pages
        return super().num_pages
