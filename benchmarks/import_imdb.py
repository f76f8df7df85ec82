"""Benchmark of manage.py import_imdb on synthetic IMDb files.

    nice python benchmarks/import_imdb.py --titles 100000 --runs 3 --databases sqlite,postgres

For each database and run: a fresh database (SQLite: a new file in /tmp;
PostgreSQL: the database named by --postgres, dropped and made again),
`migrate` and `seed_catalogue` (as `make import-imdb` does, so that the
page benchmark run.py, whose queries look for the seed film and its
people, can be pointed at the result), then the import of the same files
twice, each in its own process:
the first run's principal rows per second and peak memory (the process's
maximum resident set size, from wait4), and the second run's time, whose
ratio to the first is the re-run speed-up. Prints a Markdown table of the
medians and every run. Files come from benchmarks/imdb_synthetic.py
(generated into --folder when missing).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def count_principals(folder, title_types=("movie", "tvMovie")):
    """Principal rows of the titles the import takes (its default types)."""
    import gzip

    wanted = set()
    with gzip.open(Path(folder) / "title.basics.tsv.gz", "rt", encoding="utf-8") as basics:
        next(basics)
        for line in basics:
            fields = line.split("\t", 2)
            if fields[1] in title_types:
                wanted.add(fields[0])
    n = 0
    with gzip.open(Path(folder) / "title.principals.tsv.gz", "rt", encoding="utf-8") as rows:
        next(rows)
        for line in rows:
            if line[: line.index("\t")] in wanted:
                n += 1
    return n


def run(args, env):
    """(seconds, peak RSS in MB, exit status) of a child process."""
    started = time.monotonic()
    process = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if status:
        sys.stderr.write(output.decode(errors="replace")[-3000:])
        raise SystemExit(f"{' '.join(args)} failed")
    return seconds, usage.ru_maxrss / 1024, output.decode(errors="replace")


def fresh_database(kind, postgres_url, n):
    env = dict(os.environ, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="benchmark", DJANGO_PAGE_CACHE="1")
    if kind == "sqlite":
        path = Path(f"/tmp/import-bench-{os.getpid()}-{n}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        base, _, name = postgres_url.rpartition("/")
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True
        )
        subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        env["DATABASE_URL"] = postgres_url
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "seed_catalogue", "-v0"], env)
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5433/imports_bench")
    parser.add_argument("--folder", default=None, help="Default: /tmp/imdb-synthetic-<titles>")
    args = parser.parse_args()
    folder = Path(args.folder or f"/tmp/imdb-synthetic-{args.titles}")
    if not (folder / "title.principals.tsv.gz").exists():
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "benchmarks" / "imdb_synthetic.py"),
                str(folder),
                "--titles",
                str(args.titles),
            ],
            check=True,
        )
    principals = count_principals(folder)
    print(
        f"{args.titles:,} titles, {principals:,} principal rows of movies and TV films, in {folder}"
    )
    results = {}
    for kind in args.databases.split(","):
        for n in range(args.runs):
            env = fresh_database(kind, args.postgres, n)
            command = [PYTHON, "manage.py", "import_imdb", str(folder), "--batch-size", "5000"]
            first, rss, output = run(command, env)
            again, rss_again, output_again = run(command, env)
            assert "Nothing changed" in output_again, output_again[-2000:]
            row = {
                "seconds": first,
                "rows_per_s": principals / first,
                "rss_mb": max(rss, rss_again),
                "rerun_seconds": again,
                "speedup": first / again,
            }
            results.setdefault(kind, []).append(row)
            print(
                f"{kind} run {n + 1}: first {first:,.1f} s"
                f" ({row['rows_per_s']:,.0f} principal rows/s),"
                f" peak RSS {row['rss_mb']:,.0f} MB, re-run {again:,.1f} s ({row['speedup']:.1f}×)",
                flush=True,
            )
    print()
    print(
        "| database | principal rows/s (median) | first run, s | peak RSS, MB"
        " | re-run, s | speed-up |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for kind, rows in results.items():
        med = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        print(
            f"| {kind} | {med['rows_per_s']:,.0f} | {med['seconds']:,.1f} | {med['rss_mb']:,.0f} |"
            f" {med['rerun_seconds']:,.1f} | {med['speedup']:.1f}× |"
        )


if __name__ == "__main__":
    main()
