"""Give a synthetic catalogue outside ratings, as IMDb's would look, for the
benchmarks (issue 14): four films in five get a vote count spread over six
orders of magnitude (10 to about 3 million, most of them small) and a rating
between 2.0 and 9.5. Deterministic (a function of the film's id), so every
database made with the same --films gets the same figures.

    DATABASE_URL=… .venv/bin/python benchmarks/fill_outside_ratings.py

Only rows marked synthetic are touched (`source_name = 'Synthetic data'`).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Three independent uniform numbers in [0, 1) from the id: the second, third
# and fourth outputs of the MINSTD Lehmer generator seeded with it (the first
# is id × 48271, which does not wrap below 44,000 films, so it would follow
# the id).
P = 2147483647


def _lehmer(steps):
    x = "CAST(id AS BIGINT)"
    for _ in range(steps):
        x = f"(({x} * 48271) % {P})"
    return x


U1, U2, U3 = (f"({_lehmer(steps)} / {P}.0)" for steps in (2, 3, 4))
SQL = f"""
UPDATE catalog_film SET
    external_rating_votes = CASE WHEN {U1} < 0.8
        THEN CAST(floor(power(10, 1 + 5.5 * {U2} * {U2})) AS INTEGER) END,
    external_rating = CASE WHEN {U1} < 0.8 THEN round(2 + 7.5 * {U3}, 1) END
WHERE source_name = 'Synthetic data'
"""


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        sql = SQL
        if connection.vendor == "postgresql":
            sql = sql.replace(", 1) END", "::numeric, 1) END")
        cursor.execute(sql)
        print(f"{cursor.rowcount:,} synthetic films updated")
        if connection.vendor == "postgresql":
            connection.set_autocommit(True)
            cursor.execute("VACUUM ANALYZE catalog_film")
        else:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
