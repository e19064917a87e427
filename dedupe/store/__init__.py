"""Store: the SQLite file that keeps every record between runs.

`database.Store` holds articles, claims, cached vectors, grouping state, runs and their
results, each write that must stand together in one transaction; `migrations` are its
numbered schema changes; `review` records editors' confirm/dismiss decisions and lists the
findings with their review state.
"""
