"""Batched writes: one statement (or one COPY) per table per batch.

Rows are plain tuples in a fixed column order, with ids chosen beforehand
(PostgreSQL: reserved from the table's sequence; SQLite: past the largest
id, safe because the site's SQLite transactions take the write lock when
they begin), so no row has to be read back to learn its id.
"""

from django.db import connection
from django.db.models import JSONField


class Table:
    """Inserts into one model's table. Columns not given take the field's
    default, so a field added to the model later needs no change here."""

    def __init__(self, model, given):
        self.model = model
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if not field.generated and (field.attname in given or not field.primary_key)
        ]
        self.columns = [field.attname for field in self.fields]
        self.defaults = [
            None if field.attname in given else self.prep(field, field.get_default())
            for field in self.fields
        ]
        self.pairs = list(zip(self.columns, self.defaults, strict=True))
        self.json_fields = [
            (i, field) for i, field in enumerate(self.fields) if isinstance(field, JSONField)
        ]
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.column_sql = ", ".join(quote(field.column) for field in self.fields)
        self.placeholders = ", ".join(["%s"] * len(self.fields))

    @staticmethod
    def prep(field, value):
        return field.get_db_prep_save(value, connection)

    def row(self, values):
        """A tuple for insert() from {attname: value}; JSON values as Python objects."""
        row = [values[c] if c in values else d for c, d in self.pairs]
        for i, field in self.json_fields:
            if field.attname in values:
                row[i] = self.prep(field, row[i])
        return row

    def insert(self, cursor, rows, ignore_conflicts=False):
        if not rows:
            return
        if connection.vendor == "postgresql" and not ignore_conflicts:
            with cursor.cursor.copy(f"COPY {self.table} ({self.column_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
        cursor.executemany(
            f"INSERT INTO {self.table} ({self.column_sql}) VALUES ({self.placeholders}){suffix}",
            rows,
        )


def update(cursor, model, columns, rows):
    """UPDATE model SET columns… WHERE id = last value, for each row tuple."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(model._meta.get_field(c).column)} = %s" for c in columns)
    cursor.executemany(f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE id = %s", rows)


def delete(cursor, model, ids):
    """DELETE the rows with these ids, a thousand a statement. No signals
    and no per-row reads, unlike QuerySet.delete() on a model with
    receivers: the caller refreshes what they would, once a batch."""
    table = connection.ops.quote_name(model._meta.db_table)
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        placeholders = ", ".join(["%s"] * len(part))
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({placeholders})", part)


def reserve_ids(cursor, model, count):
    """`count` fresh primary keys for model's table."""
    if count == 0:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        # The sequence's name first, then nextval() of it as a constant:
        # pg_get_serial_sequence() inside the nextval() call ran once a row,
        # 5.5 µs against nextval's own 0.5 µs.
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0].replace("'", "''").replace("%", "%%")
        cursor.execute(
            f"SELECT nextval('{sequence}'::regclass) FROM generate_series(1, %s)", [count]
        )
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
    start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))
