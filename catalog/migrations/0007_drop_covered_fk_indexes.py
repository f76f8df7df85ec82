"""Drop the foreign keys' own single-column indexes where another index
already starts with the same column: credit_unique and credit_film_billing_idx
(film), credit_person_role_idx (person), outside_id_film_idx and
outside_id_person_idx (a second copy each), alternate_title_unique (film).
Every index is one more write per row, and an IMDb import writes millions of
credits. Only the indexes go: DROP INDEX on both databases, where AlterField
would rebuild the credits table on SQLite and re-check every foreign key on
PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models


# (index, table, column)
COVERED_INDEXES = [
    ("catalog_alternatetitle_film_id_556572b1", "catalog_alternatetitle", "film_id"),
    ("catalog_credit_film_id_bba416cd", "catalog_credit", "film_id"),
    ("catalog_credit_person_id_96f957f4", "catalog_credit", "person_id"),
    ("catalog_outsideid_film_id_6ab23f50", "catalog_outsideid", "film_id"),
    ("catalog_outsideid_person_id_a5fd86c2", "catalog_outsideid", "person_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_refold_search_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in COVERED_INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="alternatetitle",
                    name="film",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="alternate_titles",
                        to="catalog.film",
                    ),
                ),
                migrations.AlterField(
                    model_name="credit",
                    name="film",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="credits",
                        to="catalog.film",
                    ),
                ),
                migrations.AlterField(
                    model_name="credit",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="credits",
                        to="catalog.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="outsideid",
                    name="film",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outside_ids",
                        to="catalog.film",
                    ),
                ),
                migrations.AlterField(
                    model_name="outsideid",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outside_ids",
                        to="catalog.person",
                    ),
                ),
            ],
        ),
    ]
