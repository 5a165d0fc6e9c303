"""The per-user learner (companion.store.adapt): exact corrections, learning from similar
corrected posts, and the guard that keeps unrelated posts as the model labelled them."""
from companion.store.adapt import Learner
from companion.store.features import digest, features, pack

THRESHOLDS = {"self_promotion": 0.5, "missing_disclosure": 0.5, "conversational": 0.5}


def model_labels(conversational: float = 0.1) -> dict:
    return {"self_promotion": {"score": 0.2, "flag": False},
            "missing_disclosure": {"score": 0.1, "flag": False},
            "conversational": {"score": conversational, "flag": conversational >= 0.5}}


def learner_with(texts, labels) -> Learner:
    learner = Learner(THRESHOLDS)
    learner.refit([(digest(t), labels, pack(features(t))) for t in texts])
    return learner


ASKS = ["Ask HN: How do you organise your notes?", "Ask HN: How do you learn a new language?",
        "Ask HN: How do you keep focus when working from home?"]


def test_an_exact_correction_wins_over_the_model_and_a_later_one_over_an_earlier():
    learner = Learner(THRESHOLDS)
    learner.refit([(digest(ASKS[0]), {"conversational": True}, None),
                   (digest(ASKS[0]), {"conversational": False, "self_promotion": True}, None)])
    labels, how = learner.adjust(ASKS[0].upper(), model_labels(0.9))
    assert how == {"source": "corrected", "corrections": []}
    assert labels["conversational"] == {"score": 0.0, "flag": False}
    assert labels["self_promotion"] == {"score": 1.0, "flag": True}
    assert labels["missing_disclosure"] == model_labels()["missing_disclosure"]


def test_similar_posts_learn_from_corrections_and_unrelated_ones_do_not():
    learner = learner_with(ASKS, {"conversational": True})
    labels, how = learner.adjust("Ask HN: How do you choose a new laptop?", model_labels())
    assert how == {"source": "learned"} and labels["conversational"]["flag"]
    assert labels["self_promotion"] == model_labels()["self_promotion"]   # only the corrected label
    unrelated = "Big summer sale on garden furniture, shop now"
    assert learner.adjust(unrelated, model_labels()) == (model_labels(), None)
    assert learner.similar(features(unrelated)) == []


def test_learning_can_be_switched_off_but_exact_corrections_still_apply():
    learner = learner_with(ASKS, {"conversational": True})
    similar = "Ask HN: How do you choose a new laptop?"
    assert learner.adjust(similar, model_labels(), learning=False) == (model_labels(), None)
    assert learner.adjust(ASKS[1], model_labels(), learning=False)[1]["source"] == "corrected"


def test_one_weak_neighbour_moves_a_score_less_than_many():
    one = learner_with(ASKS[:1], {"conversational": True})
    three = learner_with(ASKS, {"conversational": True})
    post = "Ask HN: How do you plan a trip?"
    moved_one = one.adjust(post, model_labels())[0]["conversational"]["score"]
    moved_three = three.adjust(post, model_labels())[0]["conversational"]["score"]
    assert 0.1 <= moved_one < moved_three


def test_features_keep_no_text():
    packed = pack(features("my secret words"))
    assert all(isinstance(k, int) for k, _ in packed)
    assert "secret" not in str(packed)
