"""Database helpers that know no feature."""

from dataclasses import dataclass

from django.db import connections, models
from django.db.models.expressions import OrderBy


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
