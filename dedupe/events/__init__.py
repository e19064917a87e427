"""Events: `Claim`s and their articles in, vectors, near-duplicate groups and `Event`s out.

`embed` turns claim texts into unit vectors (cached in the store), `cluster` holds the FAISS
search and average linkage on arrays, `dating` gives undated articles a window from what they
state, `profiles` sums an article up for grouping (dates, participants, words, vectors) and
scores a pair on its signals (`FEATURES`), `grouping` links articles into time-aware events
(in one batch or night by night), `labels` names and describes an event, and `ids` carries
event ids from one run to the next.
"""
