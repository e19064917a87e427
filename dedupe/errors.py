"""Library errors; only the CLI turns them into messages and exit codes."""


class DedupeError(Exception):
    """Base class of every error dedupe raises on purpose."""

    exit_code = 1


class UsageError(DedupeError):
    """The caller asked for something that cannot work (bad option, missing input)."""

    exit_code = 2


class InputError(DedupeError):
    """An input file could not be read or parsed; carries the path and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(DedupeError):
    """The store is unusable (locked by another run, from a newer version, corrupt)."""


class OutputError(DedupeError):
    """A report could not be written (the run's results are in the store already)."""


class ModelError(DedupeError):
    """A model (embedding or spaCy pipeline) could not be loaded offline."""


class EngineError(DedupeError):
    """The engine asked for cannot run: `ray` not installed, or its cluster not reachable."""
