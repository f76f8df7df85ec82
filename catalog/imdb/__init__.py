"""Importing IMDb's non-commercial datasets (manage.py import_imdb).

- files: the six files as IMDb documents them, read line by line, bad lines
  reported with file, line number and reason;
- idmap: compact maps from IMDb's numeric IDs to ours, so memory stays flat;
- bulk: batched inserts and updates (executemany on SQLite, COPY on PostgreSQL);
- importer: the passes over the files, matching, provenance and batches.
"""
