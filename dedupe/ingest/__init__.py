"""Ingest: files, folders, stdin and feeds in, `Article` records (or `IngestFailure`s) out.

`read.read_articles` walks the inputs and turns each into an article or a reported failure
with its path and reason; `decoding` turns bytes into text (encodings, binary detection),
`feeds` reads RSS/Atom files, feed lists and URLs, and `boilerplate` strips ads, share
buttons and page tails from the text.
"""
