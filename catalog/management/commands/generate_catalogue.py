"""Fill a database with a large synthetic catalogue, for benchmarks and load tests.

Everything it makes is marked: films and people have slugs starting with
"synthetic-", films say `source_name = "Synthetic data"`, fans are users named
"synthetic-fan-…" with unusable passwords. The same --seed gives the same
catalogue, row for row. Never run it against a database with real visitors.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateTimeField

from catalog.models import (
    BoxOfficeFigure,
    Country,
    Credit,
    Film,
    Genre,
    Language,
    Person,
)
from catalog.search import rebuild_sqlite_search_index
from core.page_cache import invalidation
from core.text import index_text

SYNTHETIC_SOURCE = "Synthetic data"
SLUG_PREFIX = "synthetic-"
BATCH = 5_000
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)

GENRES = [
    "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama",
    "Family", "Fantasy", "History", "Horror", "Music", "Mystery", "Romance",
    "Science Fiction", "Thriller", "War", "Western",
]  # fmt: skip

COUNTRIES = [
    ("IR", "Iran"), ("US", "United States"), ("FR", "France"), ("GB", "United Kingdom"),
    ("DE", "Germany"), ("IT", "Italy"), ("ES", "Spain"), ("JP", "Japan"), ("CN", "China"),
    ("KR", "South Korea"), ("IN", "India"), ("RU", "Russia"), ("EG", "Egypt"),
    ("BR", "Brazil"), ("MX", "Mexico"), ("AR", "Argentina"), ("SE", "Sweden"),
    ("DK", "Denmark"), ("PL", "Poland"), ("TR", "Turkey"), ("GR", "Greece"),
    ("CA", "Canada"), ("AU", "Australia"), ("NG", "Nigeria"), ("LB", "Lebanon"),
]  # fmt: skip

LANGUAGES = [
    ("fa", "Persian"), ("en", "English"), ("fr", "French"), ("de", "German"),
    ("it", "Italian"), ("es", "Spanish"), ("ja", "Japanese"), ("zh", "Chinese"),
    ("ko", "Korean"), ("hi", "Hindi"), ("ru", "Russian"), ("ar", "Arabic"),
    ("pt", "Portuguese"), ("sv", "Swedish"), ("pl", "Polish"), ("tr", "Turkish"),
    ("el", "Greek"),
]  # fmt: skip

# Per language: words for original titles in their own script, and the
# country that mostly makes films in it.
TITLE_WORDS = {
    "en": ("US", "night city river last heaven children road silent winter house "
           "of the a and blue red long journey home little secret shoes garden".split()),
    "fr": ("FR", "la le nuit ville rivière ciel enfants route hiver maison dernier "
           "été amour jardin bleu petit secret".split()),
    "es": ("ES", "la el noche ciudad río cielo niños camino invierno casa último "
           "amor jardín azul secreto".split()),
    "fa": ("IR", "بچه‌های آسمان شب شهر رود کودکان جاده زمستان خانه آخرین باغ "
           "رنگ خدا باد باران طعم گیلاس کفش".split()),
    "ar": ("EG", "ليل مدينة نهر سماء أطفال طريق شتاء بيت الأخير حديقة حب سر".split()),
    "ru": ("RU", "ночь город река небо дети дорога зима дом последний сад любовь "
           "сталкер зеркало солнце".split()),
    "ja": ("JP", "夜 街 川 空 子供 道 冬 家 最後 庭 千 尋 神隠し 物語 東京".split()),
    "zh": ("CN", "夜 城市 河 天空 孩子 路 冬天 家 最后 花园 红 高粱 霸王 别姬".split()),
    "ko": ("KR", "밤 도시 강 하늘 아이들 길 겨울 집 마지막 정원 봄 여름".split()),
    "hi": ("IN", "रात शहर नदी आसमान बच्चे रास्ता सर्दी घर आखिरी बाग".split()),
    "el": ("GR", "νύχτα πόλη ποτάμι ουρανός παιδιά δρόμος χειμώνας σπίτι".split()),
}  # fmt: skip
ENGLISH_ADJECTIVES = (
    "silent last blue red long little secret lost golden broken wild distant".split()
)
ENGLISH_NOUNS = (
    "night city river heaven children road winter house journey home shoes garden "
    "mirror stalker wind rain sky bridge"
).split()
LANGUAGE_WEIGHTS = {"en": 40, "fr": 8, "es": 6, "fa": 10, "ar": 5, "ru": 6, "ja": 7,
                    "zh": 6, "ko": 5, "hi": 5, "el": 2}  # fmt: skip
LANGUAGE_CODES = list(LANGUAGE_WEIGHTS)
LANGUAGE_WEIGHT_VALUES = list(LANGUAGE_WEIGHTS.values())

FIRST_NAMES = (
    "Majid Bahare Amir Kamal Nafise Reza Zohre Ali Sara Leila Hamid Maryam Jean Marie "
    "Pierre Anne Carlos Lucia Akira Yuki Wei Li Min-jun Ji-woo Arjun Priya Ivan Olga "
    "Ahmed Fatima John Emma Nikos Eleni Lars Ingrid Omar Layla Hana Kenji"
).split()
LAST_NAMES = (
    "Majidi Seddiqi Mirkarimi Hashemian Naji Karimi Rahimi Farhadi Kiarostami Panahi "
    "Dubois Martin Garcia Lopez Tanaka Suzuki Wang Zhang Kim Park Sharma Gupta Ivanov "
    "Petrova Hassan Haddad Smith Jones Papadopoulos Andersson Nielsen Novak Yilmaz Jafar-Mohammadi"
).split()
NATIVE_NAMES = ["مجید مجیدی", "بهاره صدیقی", "Андрей Тарковский", "宮崎 駿", "张艺谋", "봉준호"]
CHARACTERS = (
    "Ali Zahra Father Mother Teacher Doctor Driver Stranger Girl Boy Soldier Friend".split()
)
CREW_JOBS = ["Writer", "Cinematographer", "Editor", "Composer", "Producer"]


class RawInserter:
    """Plain multi-row INSERTs for one model: several times faster than
    bulk_create, which dominates at millions of rows. Columns the generator
    does not set get the model field's default (a fixed date for dates, so
    the output stays deterministic), so fields added later keep working."""

    def __init__(self, model, given):
        fields = [
            field
            for field in model._meta.concrete_fields
            if not field.generated and (field.attname in given or not field.primary_key)
        ]
        self.columns = [field.attname for field in fields]
        self.defaults = []
        for field in fields:
            if field.attname in given:
                self.defaults.append(None)
            elif isinstance(field, DateTimeField):
                self.defaults.append(db_datetime(EPOCH))
            else:
                self.defaults.append(field.get_db_prep_save(field.get_default(), connection))
        quote = connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table),
            ", ".join(quote(field.column) for field in fields),
            ", ".join(["%s"] * len(fields)),
        )
        self.rows = []

    def add(self, values):
        self.rows.append(
            tuple(
                values[column] if column in values else default
                for column, default in zip(self.columns, self.defaults, strict=True)
            )
        )

    def flush(self, cursor):
        if self.rows:
            cursor.executemany(self.sql, self.rows)
            self.rows = []


def db_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


class Command(BaseCommand):
    help = (
        "Generate a synthetic catalogue (films, people, credits, genres, countries, "
        "languages, box office, fans, ratings, reviews) for benchmarks. Deterministic "
        "for a given --seed; every row is marked synthetic."
    )

    def add_arguments(self, parser):
        parser.add_argument("--films", type=int, default=1_000)
        parser.add_argument("--ratings", type=int, default=None, help="Default: 10 a film.")
        parser.add_argument("--fans", type=int, default=None, help="Default: films / 5, ≥ 100.")
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, films, ratings, fans, seed, **options):
        if films < 1 or films > 2_000_000:
            raise CommandError("--films must be between 1 and 2,000,000.")
        if Film.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise CommandError(
                "This database already holds synthetic films; use a fresh database "
                "(e.g. DATABASE_URL=sqlite:////tmp/bench.sqlite3)."
            )
        self.rng = random.Random(seed)
        self.ratings = films * 10 if ratings is None else ratings
        self.fan_count = max(100, films // 5) if fans is None else fans
        self.started = time.monotonic()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # A 512 MB page cache for this connection: with the default
                # 2 MB, every insert into the credits' and ratings' indexes
                # goes back to the file.
                cursor.execute("PRAGMA cache_size = -524288")
        with transaction.atomic():
            self.make_taxonomies()
            self.make_people(max(50, films * 3 // 2))
            self.make_fans()
            self.make_films(films)
            self.reset_sequences()
            # Rows made in bulk send no signals: the whole page cache goes,
            # in one write, once this commits.
            invalidation.invalidate_everything()
        self.step("search index")
        rebuild_sqlite_search_index(connection)
        self.step("ANALYZE")
        # Fresh planner statistics, so list filters pick the selective index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.step("done")

    def reset_sequences(self):
        """Rows were written with explicit ids; PostgreSQL's id sequences must
        move past them (SQLite needs nothing)."""
        models = [Film, Person, Credit, BoxOfficeFigure, get_user_model(), self.Review, self.Rating]
        models += [Film.genres.through, Film.countries.through, Film.languages.through]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def step(self, label):
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f}s] {label}")

    def make_taxonomies(self):
        self.step("genres, countries, languages")
        self.genres = [
            Genre.objects.get_or_create(
                name=name, defaults={"slug": name.lower().replace(" ", "-")}
            )[0].pk
            for name in GENRES
        ]
        self.countries = {
            code: Country.objects.get_or_create(
                code=code, defaults={"name": name, "slug": name.lower().replace(" ", "-")}
            )[0].pk
            for code, name in COUNTRIES
        }
        self.languages = {
            code: Language.objects.get_or_create(
                code=code, defaults={"name": name, "slug": name.lower()}
            )[0].pk
            for code, name in LANGUAGES
        }

    def make_people(self, count):
        self.step(f"{count:,} people")
        rng = self.rng
        start = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        people = RawInserter(Person, {"id", "name", "slug", "biography", "search_text"})
        # A few people are credited under another spelling ("Mir Karimi").
        self.stage_names = {}
        for n in range(count):
            pk = start + n
            if rng.random() < 0.01:
                name = rng.choice(NATIVE_NAMES)
            else:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            credited = []
            if rng.random() < 0.03:
                first, _, last = name.partition(" ")
                stage = f"{first} {last[:3]} {last[3:]}" if len(last) > 5 else f"{first[0]}. {last}"
                self.stage_names[pk] = stage
                credited.append(stage)
            people.add(
                {
                    "id": pk,
                    "name": name,
                    "slug": f"{SLUG_PREFIX}person-{pk}",
                    "biography": "Synthetic person generated for benchmarks.",
                    "search_text": index_text(name, *credited),
                }
            )
        with connection.cursor() as cursor:
            people.flush(cursor)
        self.person_ids = list(range(start, start + count))
        self.busy_ids = self.person_ids[: max(10, count // 5)]

    def make_fans(self):
        self.step(f"{self.fan_count:,} fans")
        User = get_user_model()
        start = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        fans = RawInserter(User, {"id", "username", "password"})
        for n in range(self.fan_count):
            # "!" is an unusable password: nobody can log in as a fan.
            fans.add({"id": start + n, "username": f"synthetic-fan-{start + n}", "password": "!"})
        with connection.cursor() as cursor:
            fans.flush(cursor)
        self.fan_ids = list(range(start, start + self.fan_count))

    def make_films(self, count):
        """Films with everything hanging off them, written a chunk at a time
        so memory stays flat at any size."""
        self.step(f"{count:,} films with credits, ratings and reviews")
        start = (Film.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        # By label: the catalogue imports no feature app (fans' rows are the
        # reviews app's, made here only so benchmarks have realistic data).
        self.Rating = apps.get_model("reviews", "Rating")
        self.Review = apps.get_model("reviews", "Review")
        self.next_review_id = (
            self.Review.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        self.tables = {
            "film": RawInserter(
                Film,
                {"id", "title", "original_title", "slug", "year", "summary", "runtime_minutes",
                 "source_name", "created_at", "search_text", "rating_count", "rating_sum",
                 "rating_histogram", "review_count"},
            ),
            "genre": RawInserter(Film.genres.through, {"film_id", "genre_id"}),
            "country": RawInserter(Film.countries.through, {"film_id", "country_id"}),
            "language": RawInserter(Film.languages.through, {"film_id", "language_id"}),
            "box_office": RawInserter(BoxOfficeFigure, {"film_id", "kind", "amount"}),
            "credit": RawInserter(
                Credit,
                {"film_id", "person_id", "role", "job", "character", "credited_as",
                 "billing_order", "is_star"},
            ),
            "review": RawInserter(
                self.Review,
                {"id", "film_id", "author_id", "title", "body", "published_at", "source"},
            ),
            # A reviewed rating points at the review that shows its stars.
            "rating": RawInserter(self.Rating, {"film_id", "user_id", "points", "review_id"}),
        }  # fmt: skip
        # Ratings with a long tail: a few films get most of them.
        weights = [self.rng.paretovariate(1.3) for _ in range(count)]
        self.ratings_per_weight = self.ratings / sum(weights)
        for n, weight in enumerate(weights):
            self.make_film(start + n, n, weight)
            if (n + 1) % BATCH == 0:
                self.flush()
                if (n + 1) % 20_000 == 0:
                    self.step(f"{n + 1:,} films")
        self.flush()

    def add(self, table, **values):
        self.tables[table].add(values)

    def flush(self):
        # Films first (the dict's order), then the rows that point at them.
        with connection.cursor() as cursor:
            for table in self.tables.values():
                table.flush(cursor)

    def make_film(self, pk, n, weight):
        rng = self.rng
        lang = rng.choices(LANGUAGE_CODES, LANGUAGE_WEIGHT_VALUES)[0]
        country_code, words = TITLE_WORDS[lang]
        title = self.english_title()
        original = (
            "" if lang == "en" else " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))
        )
        year = min(2025, max(1920, int(rng.gauss(1995, 20))))
        runtime = rng.randint(70, 180)
        for genre in rng.sample(self.genres, rng.randint(1, 3)):
            self.add("genre", film_id=pk, genre_id=genre)
        codes = {country_code} | ({rng.choice(COUNTRIES)[0]} if rng.random() < 0.2 else set())
        for code in sorted(codes):
            self.add("country", film_id=pk, country_id=self.countries[code])
        self.add("language", film_id=pk, language_id=self.languages[lang])
        if rng.random() < 0.6:
            amount = rng.randint(10, 20_000) * 10_000
            self.add("box_office", film_id=pk, kind="budget", amount=amount)
        if rng.random() < 0.5:
            amount = rng.randint(1, 50_000) * 10_000
            self.add("box_office", film_id=pk, kind="gross", amount=amount)
        self.make_credits(pk)
        histogram, review_count = self.make_ratings(pk, round(weight * self.ratings_per_weight))
        self.add(
            "film",
            id=pk,
            title=title,
            original_title=original,
            slug=f"{SLUG_PREFIX}film-{pk}",
            year=year,
            summary="A synthetic film generated for benchmarks.",
            runtime_minutes=runtime,
            source_name=SYNTHETIC_SOURCE,
            created_at=db_datetime(EPOCH + timedelta(minutes=n)),
            search_text=index_text(title, original),
            **Film.rating_counters(histogram),
            rating_histogram=Film._meta.get_field("rating_histogram").get_db_prep_save(
                histogram, connection
            ),
            review_count=review_count,
        )

    def english_title(self):
        rng = self.rng
        adjective, noun, other = (
            rng.choice(ENGLISH_ADJECTIVES),
            rng.choice(ENGLISH_NOUNS),
            rng.choice(ENGLISH_NOUNS),
        )
        pattern = rng.randrange(5)
        if pattern == 0:
            return f"The {adjective.capitalize()} {noun.capitalize()}"
        if pattern == 1:
            return f"{noun.capitalize()} of {other.capitalize()}"
        if pattern == 2:
            return f"Children of the {adjective.capitalize()} {noun.capitalize()}"
        if pattern == 3:
            return noun.capitalize()
        return f"{adjective.capitalize()} {noun.capitalize()} {rng.randint(2, 9)}"

    def make_credits(self, film_id):
        """About fifteen credits: a director, five other crew jobs and six to
        eleven actors, some credited under another spelling of their name."""
        rng = self.rng
        people = self.person_ids
        crew = len(CREW_JOBS) + 1
        chosen = set()
        while len(chosen) < crew + rng.randint(6, 11):
            # Prolific people: a fifth of the people hold most credits.
            chosen.add(rng.choice(self.busy_ids) if rng.random() < 0.6 else rng.choice(people))
        chosen = sorted(chosen)
        rng.shuffle(chosen)
        for job, person in zip(["Director", *CREW_JOBS], chosen[:crew], strict=True):
            self.add(
                "credit",
                film_id=film_id,
                person_id=person,
                role="crew",
                job=job,
                character="",
                credited_as="",
                billing_order=None,
                is_star=False,
            )
        for order, person in enumerate(chosen[crew:], start=1):
            stage = self.stage_names.get(person)
            self.add(
                "credit",
                film_id=film_id,
                person_id=person,
                role="cast",
                job="",
                character=rng.choice(CHARACTERS),
                credited_as=stage if stage and rng.random() < 0.5 else "",
                billing_order=order,
                is_star=order <= 3,
            )

    def make_ratings(self, film_id, count):
        """One rating per fan and film around the film's own mean; about one
        rating in twenty comes with a review. Returns the film's histogram
        (how many gave 1…10 points) and review count, matching the rows."""
        rng = self.rng
        mean = rng.gauss(6.5, 1.5)
        count = min(count, len(self.fan_ids))
        histogram = [0] * 10
        reviews = 0
        for fan in rng.sample(self.fan_ids, count):
            points = min(10, max(1, round(rng.gauss(mean, 1.8))))
            histogram[points - 1] += 1
            review_id = None
            if rng.random() < 0.05:
                reviews += 1
                review_id = self.next_review_id
                self.next_review_id += 1
                self.add(
                    "review",
                    id=review_id,
                    film_id=film_id,
                    author_id=fan,
                    title=f"Synthetic review of film {film_id}",
                    body="Synthetic review text generated for benchmarks.",
                    published_at=db_datetime(EPOCH + timedelta(minutes=film_id, seconds=fan % 60)),
                    source=SYNTHETIC_SOURCE,
                )
            self.add("rating", film_id=film_id, user_id=fan, points=points, review_id=review_id)
        return histogram, reviews
