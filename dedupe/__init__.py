"""dedupe: cross-article event deduplication and consistency checking for news."""

__version__ = "0.1.0"
