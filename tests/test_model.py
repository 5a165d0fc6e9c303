"""The shipped model and its runtime: parity with PyTorch, batching, long posts, text prep."""
import json
import subprocess
import sys

import numpy as np
import pytest

from companion.rules.links import find_links
from companion.model import TAIL_TOKENS, Classifier, default_model_dir, encode
from companion.rules.textprep import normalize


# The largest difference measured between the shipped int8 model and PyTorch on the parity
# posts is 0.073 logits (on a CPU without VNNI; scripts/model/requantize.py); parity.json's own
# tolerance (0.5, from scripts/model/export.py) would let a seven times worse model pass.
PARITY_TOLERANCE = 0.15


def test_the_shipped_graph_computes_the_same_on_cpus_without_vnni():
    """Without VNNI, onnxruntime adds uint8 x int8 products in 16 bits, which 8-bit weights can
    overflow (the 8-bit graph shipped before lost 0.01 dev macro-F1 on such a CPU); 7-bit weights
    cannot, nor can MatMulNBits at fp32 accuracy (scripts/model/requantize.py)."""
    onnx = pytest.importorskip("onnx")
    from scripts.model.requantize import NBITS_ACCURACY, WEIGHT_LIMIT, int8_weights, nbits_accuracy

    model = onnx.load(str(default_model_dir() / "campfire.int8.onnx"))
    weights = int8_weights(model)
    assert len(weights) == 20  # 14 MatMulInteger + 6 QAttention in the shipped graph
    widest = max(int(np.abs(w.astype(np.int16)).max()) for w in weights.values())
    assert widest <= WEIGHT_LIMIT and 2 * 255 * widest <= 32767
    assert nbits_accuracy(model) == [NBITS_ACCURACY] * 6


def test_shipped_int8_model_matches_pytorch_reference(classifier):
    parity = json.loads((default_model_dir() / "parity.json").read_text())
    reference = np.array(parity["torch_logits"])
    shipped = classifier.logits(parity["posts"])
    assert np.abs(shipped - reference).max() <= min(PARITY_TOLERANCE, parity["tolerance"])
    thresholds = np.array([label.threshold for label in classifier.labels])
    sigmoid = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    assert ((sigmoid(shipped) >= thresholds) == (sigmoid(reference) >= thresholds)).all()


def test_predict_keeps_order_and_shape(classifier):
    texts = ["lol", "Has anyone tried a standing desk? Worth it?", "Check out my channel and subscribe!!"]
    results = classifier.predict(texts)
    assert len(results) == 3
    for result in results:
        assert list(result) == classifier.label_names
        for value in result.values():
            assert 0.0 <= value["score"] <= 1.0
            assert isinstance(value["flag"], bool)
    alone = [classifier.predict([t])[0] for t in texts]
    for batched, single in zip(results, alone):
        for name in classifier.label_names:
            assert batched[name]["score"] == pytest.approx(single[name]["score"], abs=0.03)


def test_predict_empty_list(classifier):
    assert classifier.predict([]) == []


def test_flags_follow_thresholds(classifier):
    result = classifier.predict(["Show HN: a tiny static site generator"])[0]
    for label in classifier.labels:
        assert result[label.name]["flag"] == (result[label.name]["score"] >= label.threshold)


def test_long_post_keeps_its_ending(classifier):
    ending = "zebra giraffe disclosure"
    text = " ".join(["word"] * 600) + " " + ending
    row = encode(classifier.tokenizer, [text], classifier.max_length)[0]
    assert len(row) == classifier.max_length
    tail_ids = classifier.tokenizer.encode(ending, add_special_tokens=False).ids
    assert row[-1 - len(tail_ids):-1] == tail_ids
    assert len(tail_ids) < TAIL_TOKENS


def test_long_post_label_depends_on_its_ending(classifier):
    body = " ".join(["We walked along the river and talked about the weather all afternoon."] * 40)
    plain = classifier.scores([body])[0]
    pitched = classifier.scores([body + " Subscribe to my channel and buy my course at mysite.com/course"])[0]
    assert not np.allclose(plain, pitched, atol=1e-3)


def test_short_post_is_not_padded_to_window(classifier):
    row = encode(classifier.tokenizer, ["hello there"], classifier.max_length)[0]
    assert len(row) < 10


@pytest.mark.parametrize("markers", [("[CLS]", "[SEP]"), ("<s>", "</s>")])
def test_encode_frames_a_post_with_the_vocabularys_own_start_and_end_markers(markers):
    # BERT's vocabulary (the shipped MiniLM) or RoBERTa-style (a larger teacher, train.py --base)
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"[UNK]": 0, markers[0]: 1, markers[1]: 2, "hello": 3, "there": 4}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    assert encode(tokenizer, ["hello there"], 16)[0] == [1, 3, 4, 2]


def test_normalize_names_links_and_emoji():
    text = normalize("Love it 😍 https://amzn.to/3xYz and www.amazon.com/dp/B01?tag=jane-20 or https://example.org/a")
    assert "(smiling face with heart-eyes)" in text
    assert "amzn.to shortener link" in text
    assert "amazon.com affiliate link" in text
    assert "example.org link" in text
    assert "http" not in text


@pytest.mark.parametrize("url, kind", [
    ("https://amzn.to/3xYz", "shortener"),
    ("https://www.amazon.com/dp/B01?tag=jane-20", "affiliate"),
    ("https://rstyle.me/n/abc", "affiliate"),
    ("https://shop.example.com/item?ref=anna", "affiliate"),
    ("https://www.etsy.com/listing/123", "shop"),
    ("https://en.wikipedia.org/wiki/Campfire", "link"),
])
def test_link_kinds(url, kind):
    links = find_links(f"see {url}, thanks")
    assert [(link.url, link.kind) for link in links] == [(url, kind)]


def test_serving_path_does_not_import_torch():
    code = ("import sys; from companion.model import Classifier; from companion import label_cli; "
            "Classifier.load().predict(['hi']); "
            "bad = [m for m in ('torch', 'transformers', 'sklearn') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_model_folder_is_a_clear_error(tmp_path):
    from companion.model import ModelError

    with pytest.raises(ModelError, match="cannot load the model"):
        Classifier.load(tmp_path)


def test_model_input_leads_with_the_rules_evidence():
    from companion.rules.textprep import model_input

    tied = model_input("Use my code JANE20 for 20% off https://amzn.to/3xYz")
    assert tied.startswith("[tie: ")
    assert "discount code" in tied.split("]")[0]
    assert "[disclosure: none]" in tied
    assert model_input("#ad my code JANE20 https://amzn.to/3xYz").count("[disclosure: clear]") == 1
    assert model_input("Has anyone tried a standing desk?") == "Has anyone tried a standing desk?"


MIXED = ["lol", "Use my code JANE20 for 20% off https://amzn.to/3xYz", "Has anyone tried a standing desk? Worth it?",
         " ".join(["A long description of a video about cameras and lenses."] * 30) + " #ad",
         "Check out my channel and subscribe!! 🔥🔥", "@sam that's great news, congrats!", "Show HN: a tiny static site generator",
         "Day 3 of the trip 1️⃣ #️⃣ © 2024 — café ☕"]


def test_runs_on_several_cores_give_the_same_logits_as_one(classifier):
    from scripts.bench.variants import ParallelClassifier  # the benchmark's alternative to the shipped one run at a time

    serial = Classifier(classifier.session, classifier.tokenizer, classifier.config, batch_size=2)
    parallel = ParallelClassifier(classifier.session, classifier.tokenizer, classifier.config, batch_size=2, workers=3)
    texts = MIXED * 3
    assert np.array_equal(parallel.logits(texts), serial.logits(texts))


def test_a_reading_passed_in_gives_the_same_input_as_reading_again(classifier):
    from companion.rules.reading import analyze

    readings = [analyze(t) for t in MIXED]
    assert encode(classifier.tokenizer, MIXED, 128, readings) == encode(classifier.tokenizer, MIXED, 128)


class _AlwaysMaybeEmoji:
    def isdisjoint(self, _text):
        return False


def test_emoji_shortcut_changes_nothing(monkeypatch):
    import emoji

    import companion.rules.textprep as textprep

    sample = [k for i, k in enumerate(emoji.EMOJI_DATA) if i % 37 == 0]
    texts = MIXED + [f"x{e}y {e} 1{e}" for e in sample] + ["plain ascii #1 and 2 (c) (r) tm", "naïve café — “quotes”"]
    fast = [normalize(t) for t in texts]
    monkeypatch.setattr(textprep, "_EMOJI_CHARS", _AlwaysMaybeEmoji())
    assert fast == [normalize(t) for t in texts]
    assert "(fire)" in fast[4] and "(keycap 1)" in fast[7]
