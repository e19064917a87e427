"""MiniLM on ONNX Runtime with int8 weights: the `onnx-int8` embedding backend.

The first use exports the installed sentence-transformers weights to ONNX (torch), quantises
the weights to int8 per output channel (dynamic quantisation: activations are quantised on the
fly), and caches the result on disk; later runs load the cached file with onnxruntime and the
`tokenizers` library only, without importing torch. Pooling is sentence-transformers' own:
the mean of the token vectors under the attention mask (the base class L2-normalises).

Per-channel, not per-tensor: one scale per weight matrix (onnxruntime's default) puts the
worst cosine to the fp32 vectors near 0.81 on news sentences (mean 0.957); per output channel,
with the feed-forward blocks' first matrices kept in fp32, at 0.98 or more (mean 0.995).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from dedupe.errors import ModelError
from dedupe.events.embed import Embedder
from dedupe.settings import ONNX_EXPORT

log = logging.getLogger(__name__)

# names the export and quantisation recipe: a new one rebuilds the cached file and, through
# the vector fingerprint, re-embeds stored claims
RECIPE = ONNX_EXPORT
# The feed-forward block's first matrix (384 -> 1536) reads a LayerNorm output whose few
# outlier channels make a per-tensor int8 scale of its activations coarse; kept in fp32 it
# costs a third of the int8 speed-up and lifts the worst cosine to fp32 on 1000 ECB+
# sentences from 0.972 to 0.984 (mean 0.992 -> 0.995). No other single kind of matrix, and
# no single layer, lifts it above 0.98 (measured; see docs/performance.md).
KEEP_FP32 = "/intermediate/dense/MatMul"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def model_cache_dir(setting: str = "") -> Path:
    """Where exported models are kept: the `model_cache` setting, else $DEDUPE_MODEL_CACHE,
    else $XDG_CACHE_HOME/dedupe (~/.cache/dedupe)."""
    if setting:
        return Path(setting).expanduser()
    if os.environ.get("DEDUPE_MODEL_CACHE"):
        return Path(os.environ["DEDUPE_MODEL_CACHE"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "dedupe"


def weights_key(model_dir: Path) -> str:
    """A short hash of the weights file, the onnxruntime version and the recipe: a cached
    export is used only for the weights and quantiser that made it."""
    import onnxruntime

    digest = hashlib.sha256()
    with (model_dir / "model.safetensors").open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"{onnxruntime.__version__}/{RECIPE}".encode())
    return digest.hexdigest()[:16]


def quantised_model(name: str, model_dir: Path, cache_dir: Path) -> Path:
    """The int8 ONNX file of model `name` (sentence-transformers weights in `model_dir`),
    exported and quantised into `cache_dir` on first use (written under a temporary name, then
    renamed, so a half-written file is never used)."""
    target = cache_dir / f"{name}-{weights_key(model_dir)}.int8.onnx"
    if target.exists():
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(
            f"cannot create the model cache {cache_dir} ({exc}); "
            "set DEDUPE_MODEL_CACHE or the model_cache setting to a writable folder"
        ) from exc
    log.info("exporting %s to ONNX int8 in %s (once)", model_dir, cache_dir)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        fp32 = Path(tmp) / "model.onnx"
        _export(model_dir, fp32)
        int8 = Path(tmp) / "model.int8.onnx"
        _quantise(fp32, int8)
        os.replace(int8, target)
    return target


def _export(model_dir: Path, path: Path) -> None:
    """The transformer (without pooling) as ONNX: token vectors for a padded batch."""
    import torch
    from transformers import AutoModel

    class TokenVectors(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(model_dir)).eval()

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    example = (
        torch.ones((2, 8), dtype=torch.long),
        torch.ones((2, 8), dtype=torch.long),
        torch.zeros((2, 8), dtype=torch.long),
    )
    # the tracer warns about shape checks it freezes: none of them depends on the batch
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            TokenVectors().eval(),
            example,
            str(path),
            input_names=list(_INPUTS),
            output_names=["token_embeddings"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*_INPUTS, "token_embeddings"]},
            opset_version=17,
            dynamo=False,
        )


def _quantise(fp32: Path, int8: Path) -> None:
    """Int8 weights, one scale per output channel, except the first matrix of each
    feed-forward block (see `KEEP_FP32`)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep = [n.name for n in onnx.load(str(fp32)).graph.node if n.name.endswith(KEEP_FP32)]
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs advice for static quantisation
    try:
        quantize_dynamic(
            str(fp32),
            str(int8),
            per_channel=True,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=keep,
        )
    finally:
        root.setLevel(level)


class OnnxInt8Embedder(Embedder):
    """MiniLM with int8 weights on onnxruntime's CPU provider; same pooling as
    sentence-transformers (mask-weighted mean of the token vectors)."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, model_dir: Path, cache_dir: Path) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(
                f"the onnx-int8 backend needs onnxruntime and onnx ({exc}); "
                "pip install onnxruntime onnx"
            ) from exc
        path = quantised_model(self.name, model_dir, cache_dir)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # texts run one per core, each on one thread (`embed_batch`): a Ray actor sets
        # OMP_NUM_THREADS to its share of the CPUs, and threads beyond that only contend
        threads = os.environ.get("OMP_NUM_THREADS", "")
        self.threads = int(threads) if threads.isdigit() else (os.cpu_count() or 1)
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        # idle threads sleep instead of spinning between operators: the same vectors (bit for
        # bit) for a third less CPU, and faster whenever other work shares the cores (on 2
        # busy cores 1,500 Reuters claims took 6.4 s of CPU instead of 9.8 s, 16 to 26 s of
        # wall time instead of 22 to 44 s; docs/performance.md)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        # tokenizer.json pads and truncates to a fixed 128; sentence-transformers pads each
        # batch to its longest text and truncates at its own max_seq_length (256)
        config = json.loads((model_dir / "sentence_bert_config.json").read_text())
        self.tokenizer: Any = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(config["max_seq_length"]))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.calls = 0

    def tokenize(self, texts: list[str]) -> dict[str, np.ndarray]:
        encoded = self.tokenizer.encode_batch(texts)
        return {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
        }

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        """Each text run on its own, on one thread, as many at once as there are cores.
        Dynamic int8 quantisation scales the activations by the whole input, so in a batch a
        text's vector would depend on the texts beside it (a night and one run over the same
        articles would differ; cosine to a text's own vector as low as 0.992); alone it is
        the same vector in any run, nothing is padded, and one thread per text wastes no
        time handing small matrices between threads: 1.5 times the speed of batches of 64
        on two threads (docs/performance.md). The threads live for one batch only, so none
        is running when spaCy forks its workers."""
        self.calls += 1
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with ThreadPoolExecutor(min(self.threads, len(texts))) as pool:
            return np.vstack(list(pool.map(self._embed_one, texts)))

    def _embed_one(self, text: str) -> np.ndarray:
        inputs = self.tokenize([text])
        (tokens,) = self.session.run(["token_embeddings"], inputs)
        return tokens.mean(axis=1)  # one unpadded text: every token counts
