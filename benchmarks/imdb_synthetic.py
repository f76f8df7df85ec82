"""Synthetic files in the format of IMDb's datasets, for import benchmarks.

    python benchmarks/imdb_synthetic.py FOLDER --titles 1000000

writes the six files (gzip, TSV, header, \\N for null) that
`manage.py import_imdb FOLDER` reads: by default 3 people and 10 principal
rows per title (1M titles → 3M people, 10M principals), two alternate titles
a title (some in Persian, Japanese, Arabic or Cyrillic script), a rating for
seven titles in ten. Deterministic: the same --titles and --seed give the
same bytes. IDs are sorted as IMDb sorts them. A few bad lines are sprinkled
in (one in 100,000) so the importer's reporting is part of what is timed.
No Django needed; runs in a few minutes at 1M titles (level-1 gzip).
"""

import argparse
import gzip
import json
import random
import time
from pathlib import Path

N = "\\N"
TYPES = ["movie"] * 16 + ["tvMovie"] * 2 + ["short", "tvSeries"]
GENRES = (
    "Action Adventure Animation Biography Comedy Crime Documentary Drama Family Fantasy "
    "History Horror Music Musical Mystery Romance Sci-Fi Sport Thriller War Western"
).split()
WORDS = (
    "night city river heaven children road winter house journey home shoes garden mirror "
    "wind rain sky bridge silent last blue red long little secret lost golden broken wild "
    "distant station cherry balloon cow taste wedding letter stranger island summer"
).split()
SCRIPTS = [
    ("IR", "fa", "شب شهر رود آسمان کودکان جاده زمستان خانه باغ باد باران طعم گیلاس کفش".split()),
    ("JP", "ja", "夜 街 川 空 子供 道 冬 家 最後 庭 千 尋 神隠し 物語 東京".split()),
    ("EG", "ar", "ليل مدينة نهر سماء أطفال طريق شتاء بيت الأخير حديقة حب سر".split()),
    ("RU", "ru", "ночь город река небо дети дорога зима дом последний сад любовь".split()),
    ("FR", "fr", "la nuit ville rivière ciel enfants route hiver maison jardin été".split()),
]
SYLLABLES = (
    "ka ri ma ja na sa la ta mo ha ze be da fa ro ni lu mi ko shi ya ve to re an el in or us"
).split()
PRINCIPAL_CATEGORIES = ["actor", "actress", "actor", "actress", "actor", "self", "director",
                        "writer", "producer", "composer", "cinematographer", "editor"]  # fmt: skip


def name(rng):
    """Diverse names (some 10^9 combinations), as real name lists are: a
    slug clash is the exception, not the rule."""
    first = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    return f"{first} {last}"


def title_text(rng):
    words = rng.sample(WORDS, rng.randint(1, 4))
    return " ".join(words).title()


def write(folder, name_, header, rows):
    # compresslevel=1: the benchmark times reading, not this writing.
    with gzip.open(folder / f"{name_}.tsv.gz", "wt", encoding="utf-8", compresslevel=1) as out:
        out.write("\t".join(header) + "\n")
        out.writelines(rows)


def generate(folder, titles, people=None, principals_per_title=10, seed=42):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    people = people or titles * 3
    started = time.monotonic()

    def step(label):
        print(f"[{time.monotonic() - started:6.1f}s] {label}", flush=True)

    step(f"title.basics: {titles:,} titles")

    def basics():
        r = random.Random(seed + 1)
        for i in range(1, titles + 1):
            primary = title_text(r)
            original = primary
            if r.random() < 0.3:
                _region, _lang, words = r.choice(SCRIPTS)
                original = " ".join(r.sample(words, r.randint(1, 3)))
            year = r.randint(1920, 2025)
            runtime = r.randint(60, 180) if r.random() < 0.9 else N
            genres = ",".join(sorted(r.sample(GENRES, r.randint(1, 3))))
            kind = r.choice(TYPES)
            if i % 100_000 == 50_000:
                year = "19x7"  # a non-numeric year, reported
            yield f"tt{i:07d}\t{kind}\t{primary}\t{original}\t0\t{year}\t{N}\t{runtime}\t{genres}\n"

    write(folder, "title.basics", ["tconst", "titleType", "primaryTitle", "originalTitle",
          "isAdult", "startYear", "endYear", "runtimeMinutes", "genres"], basics())  # fmt: skip

    step("title.ratings")

    def ratings():
        r = random.Random(seed + 2)
        for i in range(1, titles + 1):
            if r.random() < 0.7:
                votes = int(10 ** r.uniform(0.7, 6))
                yield f"tt{i:07d}\t{r.randint(10, 100) / 10}\t{votes}\n"

    write(folder, "title.ratings", ["tconst", "averageRating", "numVotes"], ratings())

    step("title.akas")

    def akas():
        r = random.Random(seed + 3)
        for i in range(1, titles + 1):
            for ordering in range(1, r.randint(1, 3) + 1):
                region, language, words = r.choice(SCRIPTS)
                title = " ".join(r.sample(words, r.randint(1, 3)))
                yield f"tt{i:07d}\t{ordering}\t{title}\t{region}\t{language}\timdbDisplay\t{N}\t0\n"

    write(folder, "title.akas", ["titleId", "ordering", "title", "region", "language", "types",
          "attributes", "isOriginalTitle"], akas())  # fmt: skip

    step(f"name.basics: {people:,} people")

    def names():
        r = random.Random(seed + 4)
        for j in range(1, people + 1):
            birth = r.randint(1890, 2005) if r.random() < 0.6 else N
            yield f"nm{j:07d}\t{name(r)}\t{birth}\t{N}\tactor\t{N}\n"

    write(folder, "name.basics", ["nconst", "primaryName", "birthYear", "deathYear",
          "primaryProfession", "knownForTitles"], names())  # fmt: skip

    step(f"title.principals: about {titles * principals_per_title:,} rows, and title.crew")
    crew_rows = []

    def principals():
        r = random.Random(seed + 5)
        for i in range(1, titles + 1):
            count = r.randint(principals_per_title - 4, principals_per_title + 4)
            director = r.randint(1, people)
            writer = r.randint(1, people)
            crew_rows.append(f"tt{i:07d}\tnm{director:07d}\tnm{writer:07d}\n")
            seen = set()
            for ordering in range(1, count + 1):
                category = PRINCIPAL_CATEGORIES[(ordering - 1) % len(PRINCIPAL_CATEGORIES)]
                # Busy people: a third of credits go to the first tenth of names.
                person = (
                    director
                    if category == "director"
                    else (
                        r.randint(1, max(1, people // 10))
                        if r.random() < 0.33
                        else r.randint(1, people)
                    )
                )
                if (person, category) in seen:
                    person = r.randint(1, people)
                seen.add((person, category))
                characters = N
                if category in ("actor", "actress", "self"):
                    characters = json.dumps([r.choice(WORDS).title()], ensure_ascii=False)
                if i % 100_000 == 70_000 and ordering == 1:
                    person = people + 1  # an unknown person ID, reported
                yield f"tt{i:07d}\t{ordering}\tnm{person:07d}\t{category}\t{N}\t{characters}\n"

    write(folder, "title.principals", ["tconst", "ordering", "nconst", "category", "job",
          "characters"], principals())  # fmt: skip
    write(folder, "title.crew", ["tconst", "directors", "writers"], crew_rows)
    step("done")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--titles", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=None, help="Default: 3 a title.")
    parser.add_argument("--principals-per-title", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    generate(args.folder, args.titles, args.people, args.principals_per_title, args.seed)


if __name__ == "__main__":
    main()
