"""Database helpers that know no feature."""

import json
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import connections, models
from django.db.models.expressions import OrderBy
from django.db.models.functions import Cast, JSONObject, RowNumber


class OrderedIndex(models.Index):
    """An index whose expressions say where nulls go, like the ORDER BY it
    serves: `OrderedIndex(F("rating_average").desc(nulls_last=True), "title")`.

    PostgreSQL can walk an index for an ORDER BY only when the nulls order
    matches too (DESC means NULLS FIRST there unless the index says
    otherwise), so the index must spell it out. SQLite has no NULLS clause
    in CREATE INDEX and needs none: its planner serves either nulls order
    from a plain ASC or DESC index. There the clause is dropped.
    Plain field names are indexed ascending.
    """

    def __init__(self, *expressions, **kwargs):
        expressions = [
            models.F(expression) if isinstance(expression, str) else expression
            for expression in expressions
        ]
        super().__init__(*expressions, **kwargs)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "sqlite":
            plain = self.clone()
            plain.expressions = tuple(_without_nulls_order(e) for e in self.expressions)
            return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


def _without_nulls_order(expression):
    if isinstance(expression, OrderBy) and (expression.nulls_first or expression.nulls_last):
        return OrderBy(expression.expression, descending=expression.descending)
    return expression


# Below this many rows (by PostgreSQL's estimate) a table is counted exactly:
# COUNT(*) reads every row, which costs nothing at ten thousand and tens of
# milliseconds at a million (issue 14: the home page's two counts took 26 ms
# at 100,000 films).
EXACT_COUNT_BELOW = 10_000


@dataclass(frozen=True)
class RowCount:
    """How many rows a table holds, and whether that is an estimate."""

    value: int
    estimated: bool = False

    def __str__(self):
        if self.estimated:
            return f"about {_three_significant_digits(self.value):,}"
        return f"{self.value:,}"


def _three_significant_digits(value):
    return round(value, 3 - len(str(value))) if value >= 1000 else value


def row_counts(*models, using="default"):
    """The number of rows of each model's table, as RowCounts, in one query.

    Exact on SQLite (which counts a table's smallest index quickly) and on
    small PostgreSQL tables. On a PostgreSQL table of EXACT_COUNT_BELOW rows
    or more it is the planner's estimate, pg_class.reltuples, which
    autovacuum's ANALYZE keeps within a few percent: what a "100,000 films in
    the catalogue" line needs, for free. The exact COUNT(*) sits in a CASE
    branch, a subplan PostgreSQL runs only when that branch is taken.
    """
    connection = connections[using]
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns, joins, params = [], [], []
            for n, table in enumerate(tables):
                columns.append(
                    f"CASE WHEN c{n}.reltuples >= %s THEN c{n}.reltuples::bigint "
                    f"ELSE (SELECT COUNT(*) FROM {table}) END, c{n}.reltuples >= %s"
                )
                params += [EXACT_COUNT_BELOW, EXACT_COUNT_BELOW]
                joins.append(f"pg_class c{n}")
            conditions = " AND ".join(f"c{n}.oid = %s::regclass" for n in range(len(models)))
            params += [model._meta.db_table for model in models]
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {', '.join(joins)} WHERE {conditions}", params
            )
            row = cursor.fetchone()
            return [RowCount(int(row[2 * n]), bool(row[2 * n + 1])) for n in range(len(models))]
        counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)
        cursor.execute(f"SELECT {counts}")
        return [RowCount(value) for value in cursor.fetchone()]


class ShortList:
    """One list of ShortLists: a queryset, the order its rows come in (its
    model's Meta.ordering unless given), and optionally:

    - `fields`: the columns to load (every one by default; the others are
      deferred, as with `only()`);
    - `related`: `{"person": ("name", "slug")}` loads those columns of each
      row's person too, as `select_related("person").only(…)` would;
    - `limit`: the first rows only, as a slice would.
    """

    def __init__(self, queryset, *order_by, fields=None, related=None, limit=None):
        self.queryset = queryset
        self.model = queryset.model
        self.order_by = order_by or tuple(self.model._meta.ordering)
        if not self.order_by:
            raise ValueError(f"{self.model.__name__} has no ordering: give one")
        if fields is not None:
            fields = (*fields, *(related or {}))  # each relation's own key column
        self.fields = _loadable(self.model, fields)
        self.related = {}
        for name, names in (related or {}).items():
            foreign_key = self.model._meta.get_field(name)
            self.related[name] = (foreign_key, _loadable(foreign_key.related_model, names))
        self.limit = limit

    def branch(self, name):
        """The list's part of the UNION: its name, each row's place in the
        list and the row as a JSON object."""
        columns = {field.attname: _as_json(field, field.attname) for field in self.fields}
        for relation, (_, fields) in self.related.items():
            for field in fields:
                path = f"{relation}__{field.attname}"
                columns[path] = _as_json(field, path)
        branch = (
            self.queryset.order_by()
            .annotate(
                fetched_list=models.Value(name),
                fetched_place=models.Window(RowNumber(), order_by=self.order_by),
                fetched_row=JSONObject(**columns),
            )
            .values_list("fetched_list", "fetched_place", "fetched_row")
        )
        if self.limit is not None:
            branch = branch.filter(fetched_place__lte=self.limit)
        return branch

    def instance(self, row, using):
        """The model instance a JSON row stands for, each value as the field
        reads it from the database (dates from their ISO text, and so on)."""
        instance = _from_json(self.model, self.fields, row, using)
        for relation, (foreign_key, fields) in self.related.items():
            if row[foreign_key.attname] is not None:
                values = {field.attname: row[f"{relation}__{field.attname}"] for field in fields}
                setattr(
                    instance, relation, _from_json(foreign_key.related_model, fields, values, using)
                )
        return instance


class ShortCount:
    """A count among ShortLists: how many rows a queryset has, fetched
    with the lists as one more branch (its list name, the count, no row)
    and given back as an int."""

    def __init__(self, queryset):
        self.queryset = queryset

    def branch(self, name):
        # Grouped by the list's name: one row with the count, none when
        # the queryset is empty (fetch() then gives 0).
        return (
            self.queryset.order_by()
            .annotate(fetched_list=models.Value(name))
            .values("fetched_list")
            .annotate(
                fetched_place=models.Count("*"),
                fetched_row=models.Value(None, output_field=models.JSONField()),
            )
            .values_list("fetched_list", "fetched_place", "fetched_row")
        )


def _loadable(model, names):
    """The model's concrete fields of those names (all by default), primary
    key always included; refused when JSON cannot carry one back."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if names is None or field.primary_key or field.name in names or field.attname in names
    ]
    for field in fields:
        if field.get_internal_type() in _NOT_IN_JSON:
            raise TypeError(f"{model.__name__}.{field.name}: ShortLists cannot load it")
    return fields


def _as_json(field, path):
    if field.get_internal_type() == "DecimalField":
        return Cast(path, models.CharField())  # exact digits, not a float
    return models.F(path)


def _from_json(model, fields, row, using):
    return model.from_db(
        using,
        [field.attname for field in fields],
        [field.to_python(row[field.attname]) for field in fields],
    )


# Column types a JSON object does not carry back faithfully, or that no
# list needs yet: datetimes lose their time zone on SQLite, JSON is nested
# as text there, bytes have no JSON form.
_NOT_IN_JSON = {"DateTimeField", "TimeField", "DurationField", "JSONField", "BinaryField"}

# The primary key the lists are compiled for, then replaced by the real one
# in the parameters: no row has it, and no list's own parameters (its name,
# an ordering's constants) come near it.
STAND_IN_PK = -7_036_854_775_807


class ShortLists:
    """A detail page's short lists of one object, in one query:

        FILM_LISTS = ShortLists(
            Film,
            genres=lambda film: ShortList(film.genres.all()),
            trivia=lambda film: ShortList(film.trivia_items.all()),
        )
        FILM_LISTS.fetch(film)  # {"genres": [Genre, …], "trivia": [Trivia, …]}

    A list may also be a ShortCount, fetched as a number.

    A film page shows a dozen little lists (genres, countries, trivia,
    outside IDs…), most of a few rows or none. Queried one by one, each
    costs a round trip and, three times more, Django's building and
    compiling of the query: at a million films, 11 lists took 17 ms of the
    page's 55 (issue 14, BENCHMARKS.md). Here each list is one branch of a
    UNION ALL returning its rows as JSON objects, made back into instances
    field by field, and the UNION is compiled once per process and
    database, for a stand-in primary key that each fetch replaces among the
    parameters. That leans on `QuerySet.query.sql_with_params()`, Django's
    own compiling step rather than a public API: catalog/tests/
    test_film_page_lists.py pins it (same instances as the querysets give,
    for films of every kind, on both databases), and compiling refuses SQL
    in which the stand-in key is not a parameter. Not for long lists: a
    JSON object costs more per row than plain columns.
    """

    def __init__(self, model, **lists):
        self.model = model
        self.lists = lists
        self._compiled = {}

    def add(self, name, make):
        """One more list, from an app that adds to the page at start-up,
        before the first fetch compiles them all."""
        if self._compiled:
            raise RuntimeError(f"{name}: the lists are compiled already; add lists at start-up")
        if name in self.lists:
            raise ValueError(f"{name}: there is a list of that name already")
        self.lists[name] = make

    def fetch(self, instance, using="default"):
        sql, params, short_lists = self._compiled_for(using)
        params = [instance.pk if param == STAND_IN_PK else param for param in params]
        fetched = {name: [] for name in short_lists}
        counts = {name: 0 for name, short in short_lists.items() if isinstance(short, ShortCount)}
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            for name, place, row in cursor.fetchall():
                if name in counts:
                    counts[name] = place
                    continue
                row = json.loads(row) if isinstance(row, str) else row
                fetched[name].append((place, short_lists[name].instance(row, using)))
        return {
            name: [instance for _, instance in sorted(placed, key=lambda pair: pair[0])]
            for name, placed in fetched.items()
        } | counts

    def _compiled_for(self, using):
        if using not in self._compiled:
            stand_in = self.model(pk=STAND_IN_PK)
            short_lists = {name: make(stand_in) for name, make in self.lists.items()}
            branches = [short_list.branch(name) for name, short_list in short_lists.items()]
            union = branches[0].union(*branches[1:], all=True).using(using)
            sql, params = union.query.sql_with_params()
            if STAND_IN_PK not in params or str(STAND_IN_PK) in sql:
                raise RuntimeError("The lists' primary key is not a parameter of their SQL")
            self._compiled[using] = (sql, list(params), short_lists)
        return self._compiled[using]


# How many times psycopg sees a statement on a connection before preparing
# it (psycopg's own default).
PREPARE_AFTER = 5


@contextmanager
def prepared_statements(using="default"):
    """Within the block, PostgreSQL keeps the connection's statements prepared.

    Django sends each query as text with its values written in, so
    PostgreSQL parses and plans it every time. The film page's lists query
    (ShortLists) takes 3 ms to plan and 1.6 ms to run at a million films.
    In this block the connection's cursors bind values apart (psycopg's
    server-side binding, as Django's `server_side_binding` option does),
    and psycopg prepares a statement the PREPARE_AFTER-th time it sees it.
    After five runs PostgreSQL plans a prepared statement once, for any
    values (a generic plan), when that plan costs no more than planning
    each run.

    Measured in-process at 899,704 films (BENCHMARKS.md): the film page's
    queries went from 10.3 ms to 3.7 ms. Use it where a page's queries
    differ only by a key (a film's page, a person's). Don't use it on
    filtered lists or search: a plan chosen for "drama" may be a bad plan
    for a rare genre.

    It changes only psycopg's public settings on the open connection
    (`cursor_factory`, `prepare_threshold`) and restores them at the end.
    It does nothing on SQLite, or with DATABASE_PREPARED_STATEMENTS=0
    (needed behind PgBouncer in transaction mode before 1.21).
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        yield
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = connection.connection
    saved = raw.cursor_factory, raw.prepare_threshold
    raw.cursor_factory, raw.prepare_threshold = ServerBindingCursor, PREPARE_AFTER
    try:
        yield
    finally:
        raw.cursor_factory, raw.prepare_threshold = saved


def with_prepared_statements(view):
    """A view whose queries, the template's included, run in
    prepared_statements(): the response is rendered inside the block."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with prepared_statements():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
        return response

    return wrapped
