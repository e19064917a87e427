"""Embedding alone, on each backend and device this machine has: texts/s and closeness.

Usage: python scripts/bench_embed.py (--store DB | --texts FILE) [--write-texts FILE]
                                     [--batch-sizes 64,256,1024] [--devices cpu,cuda]
                                     [--repeat 2] [--limit N] [--json]

Encodes the distinct claim texts of a dedupe store (or a file of one text per line, e.g. one
written by `--write-texts` on another machine) sorted by length, in batches, as `embed_texts`
sends them, with dedupe's embedders: `torch` (sentence-transformers fp32) on each device,
`onnx-int8` on the CPU, and fp16 on a CUDA device (measured only: no backend ships it). Each
row gives texts/s and the least and mean cosine of its vectors to the CPU fp32 vectors of the
same texts (the reference every backend is held to: `onnx-int8` passed at >= 0.98 worst),
computed first, untimed.

Where torch sees a GPU this is the figure issue 12 asks for; `python scripts/bench.py` gives
the whole pipeline. Each row warms its model up before its clock starts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from dedupe.events.embed import (  # noqa: E402
    Embedder,
    MiniLMEmbedder,
    length_batches,
    load_embedder,
)

WARM_UP = ["The central bank raised its main interest rate by a quarter point on Tuesday."] * 8


def read_texts(args: argparse.Namespace) -> list[str]:
    """Distinct texts from the store or the file, sorted by length (then text)."""
    if args.store:
        from dedupe.store.database import Store

        with Store.open(args.store) as store:
            texts = {c.text for c in store.load_claims()}
    else:
        texts = {line for line in args.texts.read_text(encoding="utf-8").splitlines() if line}
    ordered = sorted(texts, key=lambda t: (len(t), t))
    if args.limit and args.limit < len(ordered):  # every k-th text: all lengths stay in
        ordered = ordered[:: len(ordered) // args.limit][: args.limit]
    return ordered


class HalfEmbedder(MiniLMEmbedder):
    """The torch embedder with its weights in fp16 (CUDA only)."""

    def __init__(self, device: str) -> None:
        super().__init__(device)
        self.model.half()


def embedders(devices: list[str]) -> list[tuple[str, str, Callable[[], Embedder]]]:
    """(backend, device, loader) of each row to measure."""
    rows: list[tuple[str, str, Callable[[], Embedder]]] = []
    for device in devices:
        rows.append(("torch fp32", device, lambda d=device: MiniLMEmbedder(d)))
        if device.startswith("cuda"):
            rows.append(("torch fp16", device, lambda d=device: HalfEmbedder(d)))
        else:
            rows.append(
                ("onnx-int8", device, lambda: load_embedder("all-MiniLM-L6-v2", "onnx-int8"))
            )
    return rows


def timed(
    embedder: Embedder, texts: list[str], batch_size: int, repeat: int
) -> tuple[float, np.ndarray]:
    """The best of `repeat` timings of embedding `texts` in batches of `batch_size` (after a
    warm-up), in seconds, and the vectors."""
    embedder.embed(WARM_UP, batch_size)
    sync = _cuda_sync(embedder)
    batches = length_batches(texts, [len(t) for t in texts], batch_size)
    best = float("inf")
    for _ in range(repeat):
        sync()
        start = time.perf_counter()
        X = np.vstack(list(embedder.embed_many(batches, batch_size)))
        sync()
        best = min(best, time.perf_counter() - start)
    return best, X


def _cuda_sync(embedder: Embedder) -> Callable[[], None]:
    device = getattr(embedder, "device", "cpu")
    if not str(device).startswith("cuda"):
        return lambda: None
    import torch

    return torch.cuda.synchronize


def measure(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    texts = read_texts(args)
    devices = args.devices or ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    # what every row is held to: torch fp32 on the CPU, in batches of the first size
    reference = MiniLMEmbedder("cpu").embed(texts, args.batch_sizes[0])
    rows = []
    for backend, device, load in embedders(devices):
        try:
            start = time.perf_counter()
            embedder = load()
            load_seconds = time.perf_counter() - start
        except Exception as exc:  # a backend this machine cannot run is a row that says why
            rows.append({"backend": backend, "device": device, "error": f"{exc}"[:200]})
            continue
        for batch_size in args.batch_sizes:
            seconds, X = timed(embedder, texts, batch_size, args.repeat)
            cos = (X * reference).sum(axis=1)
            rows.append(
                {
                    "backend": backend,
                    "device": device,
                    "batch_size": batch_size,
                    "load_seconds": round(load_seconds, 1),
                    "seconds": round(seconds, 2),
                    "texts_per_second": round(len(texts) / seconds, 1),
                    "min_cosine_to_cpu_fp32": round(float(cos.min()), 5),
                    "mean_cosine_to_cpu_fp32": round(float(cos.mean()), 5),
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return {
        "texts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / max(len(texts), 1), 1),
        "gpu": gpu,
        "torch": torch.__version__,
        "cpu_threads": torch.get_num_threads(),
        "rows": rows,
    }


def print_table(m: dict[str, Any]) -> None:
    print(
        f"{m['texts']} distinct texts (mean {m['mean_chars']} chars); torch {m['torch']}, "
        f"{m['cpu_threads']} CPU threads; GPU: {m['gpu'] or 'none'}"
    )
    print("| backend | device | batch | texts/s | seconds | min cos | mean cos |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in m["rows"]:
        if "error" in r:
            print(f"| {r['backend']} | {r['device']} | - | error: {r['error']} | | | |")
            continue
        print(
            f"| {r['backend']} | {r['device']} | {r['batch_size']} | {r['texts_per_second']} | "
            f"{r['seconds']} | {r['min_cosine_to_cpu_fp32']} | {r['mean_cosine_to_cpu_fp32']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--store", type=Path, help="a dedupe store: its distinct claim texts")
    source.add_argument("--texts", type=Path, help="a file of texts, one per line")
    parser.add_argument("--write-texts", type=Path, help="write the texts here and stop")
    parser.add_argument(
        "--batch-sizes", type=lambda s: [int(x) for x in s.split(",")], default=[64, 256, 1024]
    )
    parser.add_argument(
        "--devices", type=lambda s: s.split(","), help="default: cpu, and cuda where torch sees it"
    )
    parser.add_argument("--repeat", type=int, default=2, help="timings per row; the best counts")
    parser.add_argument("--limit", type=int, help="the first N texts by length only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.write_texts:
        texts = read_texts(args)
        args.write_texts.write_text("".join(t.replace("\n", " ") + "\n" for t in texts))
        print(f"wrote {len(texts)} texts to {args.write_texts}")
        return
    m = measure(args)
    if args.json:
        print(json.dumps(m, indent=2))
    else:
        print_table(m)


if __name__ == "__main__":
    main()
