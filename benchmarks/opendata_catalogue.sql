-- A synthetic catalogue for the open data dump's memory benchmark (BENCHMARKS.md,
-- "Issue 17: dump"): on a freshly migrated SQLite database,
--   sqlite3 db.sqlite3 ".parameter set :films 1000000" ".parameter set :people 250000" \
--       ".read benchmarks/opendata_catalogue.sql"
-- The search triggers are dropped: the dump never reads the search index.
DROP TRIGGER catalog_film_fts_insert;
DROP TRIGGER catalog_person_fts_insert;
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :films)
INSERT INTO catalog_film (id, title, original_title, slug, year, tagline, summary, synopsis, poster,
  external_rating_source, colour, aspect_ratio, sound_mix, rating_count, rating_sum, review_count,
  rating_histogram, search_text, source_name, source_author, created_at, updated_at, runtime_minutes)
SELECT i, 'Film number ' || i, 'Película ' || i, 'film-' || i, 1900 + i % 120,
  'A tagline for film ' || i, 'A short summary of film ' || i || ', in which things happen to people who ' || hex(randomblob(40)),
  '', '', '', 'colour', '1.85 : 1', '', i % 50, (i % 50) * 7 - (i % 50) * 0, 0,
  '[0,0,0,0,0,0,' || (i % 50) || ',0,0,0]', '', 'Synthetic data', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 80 + i % 60
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :people)
INSERT INTO catalog_person (id, name, slug, photo, biography, created_at, updated_at, search_text)
SELECT i, 'Person ' || i, 'person-' || i, '', 'Born somewhere. ' || hex(randomblob(30)), '2026-01-01 00:00:00', '2026-01-01 00:00:00', '' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :films * 2)
INSERT INTO catalog_credit (role, job, character, credited_as, billing_order, is_star, film_id, person_id)
SELECT CASE WHEN i % 2 THEN 'cast' ELSE 'crew' END, CASE WHEN i % 2 THEN '' ELSE 'Director' END,
  CASE WHEN i % 2 THEN 'Character ' || i ELSE '' END, '', i % 2, 0, (i + 1) / 2, 1 + i % :people FROM n;
INSERT INTO catalog_genre (id, name, slug) VALUES (1, 'Drama', 'drama'), (2, 'Comedy', 'comedy');
INSERT INTO catalog_film_genres (film_id, genre_id) SELECT id, 1 + id % 2 FROM catalog_film;
COMMIT;
