"""The embed_backend, device, model_cache and spacy_processes settings: validation, which
fingerprints they change, and how the device and cache folder are chosen (no model loaded)."""

import pytest

from dedupe.errors import ModelError, UsageError
from dedupe.events.embed import load_embedder, resolve_device
from dedupe.events.onnx import model_cache_dir
from dedupe.nightly import grouping_fingerprint
from dedupe.settings import Settings, load_settings


def test_backend_and_device_come_from_the_settings_file(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('embed_backend = "onnx-int8"\ndevice = "cpu"\n')
    s = load_settings(path)
    assert (s.embed_backend, s.device) == ("onnx-int8", "cpu")
    assert Settings().embed_backend == "auto" and Settings().device == "auto"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"embed_backend": "onnx"}, "embed_backend must be auto or one of torch, onnx-int8"),
        ({"device": "gpu"}, "device must be auto, cpu, cuda or cuda:N"),
        ({"device": "cuda:x"}, "device must be auto, cpu, cuda or cuda:N"),
        ({"embed_backend": "onnx-int8", "device": "cuda"}, "onnx-int8 runs on the CPU"),
        ({"spacy_processes": -1}, "spacy_processes must be 0"),
    ],
)
def test_bad_values_say_how_to_fix_them(changes, message):
    with pytest.raises(UsageError, match=message):
        load_settings(None, **changes)


def test_good_devices_are_accepted():
    for device in ("auto", "cpu", "cuda", "cuda:1"):
        assert Settings(embed_backend="torch", device=device).device == device
    assert Settings(device="cpu").device == "cpu"  # onnx-int8 runs on the CPU anyway


def test_only_the_backend_changes_the_vector_fingerprint():
    torch = Settings(embed_backend="torch")
    # torch keeps the key cached vectors had before backends existed
    assert torch.vector_fingerprint() == torch.fingerprint("model")
    assert Settings(embed_backend="onnx-int8").vector_fingerprint() != torch.vector_fingerprint()
    for same in (
        torch.replace(device="cpu"),
        torch.replace(model_cache="/elsewhere"),
        torch.replace(spacy_processes=1),
        torch.replace(batch_size=8),
    ):
        assert same.vector_fingerprint() == torch.vector_fingerprint()
        assert grouping_fingerprint(same) == grouping_fingerprint(torch)
    assert grouping_fingerprint(Settings(embed_backend="onnx-int8")) != grouping_fingerprint(torch)
    int8 = Settings(embed_backend="onnx-int8")
    assert Settings(device="cpu").vector_fingerprint() == int8.vector_fingerprint()


@pytest.mark.parametrize("gpu", [True, False])
def test_auto_backend_is_torch_where_a_gpu_embeds_else_onnx_int8(monkeypatch, gpu):
    """The fingerprints name the backend "auto" resolves to, so a store keeps its vectors and
    grouping when "auto" is written out, and re-embeds when it moves between a GPU and a CPU."""
    import torch

    from dedupe.events import embed

    monkeypatch.setattr(embed, "_nvidia_driver", lambda: gpu)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: gpu)
    expected = "torch" if gpu else "onnx-int8"
    auto = Settings()
    assert auto.backend() == expected
    same = Settings(embed_backend=expected)
    assert auto.vector_fingerprint() == same.vector_fingerprint()
    assert grouping_fingerprint(auto) == grouping_fingerprint(same)
    # a device setting that rules the GPU in or out decides, whatever the machine has
    assert Settings(device="cpu").backend() == "onnx-int8"
    assert Settings(device="cuda").backend() == "torch"


def test_a_new_recipe_re_embeds(monkeypatch):
    from dedupe import settings as module

    int8, torch = Settings(embed_backend="onnx-int8"), Settings(embed_backend="torch")
    before = (int8.vector_fingerprint(), torch.vector_fingerprint(), grouping_fingerprint(int8))
    monkeypatch.setitem(module.EMBED_BACKENDS, "onnx-int8", "int8-other-recipe")
    assert int8.vector_fingerprint() != before[0]
    assert grouping_fingerprint(int8) != before[2]
    assert torch.vector_fingerprint() == before[1]


def test_auto_device_is_cuda_only_when_torch_sees_a_gpu(monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda"
    assert resolve_device("cuda:1") == "cuda:1"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    assert resolve_device("cpu") == "cpu"
    with pytest.raises(ModelError, match="torch sees no CUDA GPU"):
        resolve_device("cuda")


def test_unknown_backend_or_model_is_a_model_error():
    with pytest.raises(ModelError, match="no backend 'tpu'"):
        load_embedder("all-MiniLM-L6-v2", "tpu")
    with pytest.raises(ModelError, match="unknown embedding model"):
        load_embedder("word2vec")


def test_model_cache_setting_then_environment_then_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DEDUPE_MODEL_CACHE", raising=False)
    assert model_cache_dir() == tmp_path / "xdg" / "dedupe"
    monkeypatch.setenv("DEDUPE_MODEL_CACHE", str(tmp_path / "env"))
    assert model_cache_dir() == tmp_path / "env"
    assert model_cache_dir(str(tmp_path / "set")) == tmp_path / "set"


@pytest.mark.slow
def test_torch_backend_on_a_gpu_gives_the_cpu_vectors():
    """Runs only where torch sees CUDA: `device = "auto"` picks the GPU, and its fp32 vectors
    equal the CPU's up to float rounding."""
    import torch

    if not torch.cuda.is_available():
        pytest.skip("no CUDA GPU here")
    from dedupe.events.embed import MiniLMEmbedder

    texts = ["The central bank raised rates on Tuesday.", "Floods hit the capital."]
    gpu, cpu = MiniLMEmbedder("auto"), MiniLMEmbedder("cpu")
    assert gpu.device == "cuda"
    assert (gpu.embed(texts) * cpu.embed(texts)).sum(axis=1).min() > 0.9999
