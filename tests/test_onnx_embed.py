"""The onnx-int8 backend with the real MiniLM weights, against sentence-transformers on torch.

The export lands in the user's model cache (as in a real run), so only the first session on a
machine pays for it (about 15 s)."""

import datetime as dt
import json
import os

import numpy as np
import pytest

from dedupe.events import onnx
from dedupe.events.embed import load_embedder, minilm_path
from dedupe.pipeline import run
from dedupe.settings import Settings
from dedupe.store.database import Store

from .conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def int8():
    return load_embedder("all-MiniLM-L6-v2", "onnx-int8")


@pytest.fixture(scope="module")
def sentences():
    """The 462 sentences of the ECB+ dev slice: real news, 2 to 80 words."""
    lines = (ROOT / "tests/data/ecbplus/ecbplus_docs.jsonl").read_text().splitlines()
    found = [s["text"] for line in lines for s in json.loads(line)["sentences"]]
    return sorted(found, key=len)  # as embed_texts sends them: less padding


def test_tokens_equal_sentence_transformers(int8, minilm, sentences):
    # tokenizer.json pads and truncates to 128; sentence-transformers pads to the longest
    # text and truncates at 256, and the int8 backend must feed the model the same tokens
    batch = sentences[-64:] + ["word " * 400]
    expected = minilm.model.tokenizer(batch, padding=True, truncation=True, max_length=256)
    got = int8.tokenize(batch)
    assert got["input_ids"].tolist() == expected["input_ids"]
    assert got["attention_mask"].tolist() == expected["attention_mask"]
    assert got["input_ids"].shape[1] == 256


def test_int8_vectors_stay_close_to_fp32(int8, minilm, sentences):
    X, Y = minilm.embed(sentences), int8.embed(sentences)
    assert Y.dtype == np.float32 and Y.shape == X.shape
    assert np.allclose(np.linalg.norm(Y, axis=1), 1.0, atol=1e-5)
    cos = (X * Y).sum(axis=1)
    # Thresholds and cosines are compared with fp32 ones (duplicate_threshold 0.8,
    # conflict_similarity 0.55, event features); a 0.02 drop in the worst sentence moves a pair
    # across one only when it sits right at it. Measured here: worst 0.987, mean 0.995 (1000
    # random ECB+ sentences: worst 0.984, mean 0.995); full int8 weights, worst 0.972, fail.
    assert cos.min() >= 0.98
    assert cos.mean() >= 0.99


def test_a_texts_vector_does_not_depend_on_the_texts_batched_with_it(int8, sentences):
    """Dynamic quantisation scales activations by the whole input: batched, a short text's
    vector moved with its neighbours (cosine down to 0.992 on Reuters claims), so a night
    and one run over the same articles disagreed. Each text is run alone: the same bytes."""
    text = sentences[len(sentences) // 2]
    alone = int8.embed([text])
    with_long = int8.embed([text, *sentences[-20:]], batch_size=64)[0]
    with_short = int8.embed([*sentences[:30], text], batch_size=64)[-1]
    assert alone[0].tobytes() == with_long.tobytes() == with_short.tobytes()


def test_int8_keeps_the_ranking_of_a_paraphrase(int8):
    X = int8.embed(
        [
            "The council approved the budget on Friday.",
            "On Friday the budget was passed by the council.",
            "Heavy rain flooded the city centre.",
        ]
    )
    assert X[0] @ X[1] > X[0] @ X[2] + 0.3


def test_one_thread_under_omp_num_threads_gives_the_same_bytes(sentences, monkeypatch):
    # a Ray actor of one CPU gets OMP_NUM_THREADS=1 and embeds one text at a time; locally
    # a text runs on each core at once. The Ray engine's vectors must equal the local
    # engine's, so fewer texts at once must not change a bit
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    per_core = onnx.OnnxInt8Embedder(minilm_path(), onnx.model_cache_dir())
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    single = onnx.OnnxInt8Embedder(minilm_path(), onnx.model_cache_dir())
    assert per_core.threads == os.cpu_count() and single.threads == 1
    # each text on one thread of onnxruntime's own
    assert single.session.get_session_options().intra_op_num_threads == 1
    batch = sentences[-64:]
    assert single.embed(batch).tobytes() == per_core.embed(batch).tobytes()


def test_the_export_is_cached_and_reused(int8, monkeypatch):
    cache = onnx.model_cache_dir()
    path = onnx.quantised_model(int8.name, minilm_path(), cache)
    assert path.exists() and path.parent == cache

    def no_export(*args):
        raise AssertionError("exported again although cached")

    monkeypatch.setattr(onnx, "_export", no_export)
    assert onnx.quantised_model(int8.name, minilm_path(), cache) == path


def test_a_new_cache_folder_gets_a_fresh_export_and_no_half_files(tmp_path, monkeypatch):
    monkeypatch.setattr(onnx, "_export", lambda model_dir, path: path.write_bytes(b"fp32"))
    monkeypatch.setattr(onnx, "_quantise", lambda fp32, int8: int8.write_bytes(b"int8"))
    path = onnx.quantised_model("m", minilm_path(), tmp_path / "cache")
    assert path.read_bytes() == b"int8"
    assert os.listdir(tmp_path / "cache") == [path.name]


def test_seeds_give_the_same_events_and_findings_as_torch(tmp_path):
    now = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    reports = {}
    for backend in ("torch", "onnx-int8"):
        settings = Settings(embed_backend=backend)
        store = tmp_path / f"{backend}.db"
        reports[backend] = run([str(SEEDS)], settings, store, tmp_path / backend, now).report
        # each backend's vectors are cached under its own fingerprint only
        other = Settings(embed_backend="onnx-int8" if backend == "torch" else "torch")
        with Store.open(store) as opened:
            keys = [row[0] for row in opened.db.execute("SELECT text_hash FROM vectors")]
            assert opened.get_vectors(keys, settings.vector_fingerprint()).keys() == set(keys)
            assert not opened.get_vectors(keys, other.vector_fingerprint())

    def events(r):
        return sorted((e["id"], sorted(a["id"] for a in e["articles"])) for e in r["events"])

    def findings(r):
        return sorted((f["id"], f["kind"], f["event_id"], f["subject"]) for f in r["findings"])

    assert len(events(reports["torch"])) == 3 and len(findings(reports["torch"])) == 3
    assert events(reports["onnx-int8"]) == events(reports["torch"])
    assert findings(reports["onnx-int8"]) == findings(reports["torch"])
