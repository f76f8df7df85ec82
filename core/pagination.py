"""Pagination that answers any ?page= value with a real page, never a 404."""

from django.core.paginator import Paginator
from django.db import connections
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
    long before that.

    Given `rows` (the list's queryset without its filters: the same columns,
    prefetches and default order), a page's rows are loaded by key from it;
    see `page` and `sorted_keys`."""

    max_pages = 50

    @cached_property
    def cap(self):
        return self.max_pages * self.per_page

    @cached_property
    def count(self):
        if self.sorted_keys is not None:
            return len(self.sorted_keys)
        object_list = self.object_list
        if hasattr(object_list, "order_by"):
            # Any cap + 1 rows are enough to count, so drop the ORDER BY.
            return object_list.order_by()[: self.cap + 1].count()
        return min(len(object_list), self.cap + 1)

    def __init__(self, object_list, per_page, *args, rows=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        # Where a page's rows are loaded from: the list's queryset without
        # its filters (the same columns, prefetches and default order).
        self.rows = rows

    @cached_property
    def sorted_keys(self):
        """The keys of the list's first cap + 1 rows in list order, when the
        database sorts every match to find any page anyway; None otherwise.

        A filtered list sorted on a column its filters' index does not order
        ("1990s, Iran, rated 4+" by title) costs the database a read of every
        match, for the count and again for the page. When SQLite's plan says
        it will sort ("USE TEMP B-TREE FOR ORDER BY"), one query reads the
        keys in order instead: their number is the count and each page a
        slice of them. When an index gives the order, the page query stops
        at the page, so the count and the page stay two queries. Asking for
        the plan costs a query of its own (a tenth of a millisecond); other
        databases skip it and keep the two queries.
        """
        if self.rows is None or not self.object_list.query.where:
            # Unfiltered, the list reads in the order of an index (see the
            # indexes on Film): no sort, and no plan to ask for.
            return None
        keys = self.object_list.values_list("pk", flat=True)[: self.cap + 1]
        connection = connections[keys.db]
        if connection.vendor != "sqlite":
            return None
        sql, params = keys.query.get_compiler(using=keys.db).as_sql()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            if not any(row[-1] == "USE TEMP B-TREE FOR ORDER BY" for row in cursor.fetchall()):
                return None
            cursor.execute(sql, params)
            return [key for (key,) in cursor.fetchall()]

    def page(self, number):
        if self.sorted_keys is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:  # as Paginator.page does
            top = self.count
        keys = self.sorted_keys[bottom:top]
        # A row deleted since its key was read is left out, not an error.
        by_key = self.rows.order_by().in_bulk(keys)
        return self._get_page([by_key[key] for key in keys if key in by_key], number, self)

    def _get_page(self, object_list, number, paginator):
        # Late row lookup: the filtered query finds only the page's keys,
        # then those rows are loaded by key. When the sort is not an index's
        # order (a decade's films by title) the database sorts every match;
        # sorting keys instead of whole rows keeps that cheap however many
        # films match. The rows come from the unfiltered queryset so the
        # database looks them up by key instead of running the filters again.
        if self.rows is not None and self.sorted_keys is None:
            rows = self.rows.filter(pk__in=object_list.values("pk"))
            if self.object_list.query.order_by:
                rows = rows.order_by(*self.object_list.query.order_by)
            object_list = rows
        return super()._get_page(object_list, number, paginator)

    @cached_property
    def is_capped(self):
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        if self.is_capped:
            return self.max_pages
        return super().num_pages
