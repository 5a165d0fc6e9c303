"""The two baselines every evaluation prints beside the shipped model.

- keyword: hand-written cues per label (what a careful keyword filter would do);
- tfidf_lr: TF-IDF word and character n-grams + logistic regression, trained on the shared
  train.jsonl, threshold 0.5 (needs scikit-learn, from the training extra).
"""
from __future__ import annotations

import re

import numpy as np

from companion.labels import LABEL_NAMES

LABELS = LABEL_NAMES

_SELF = re.compile(
    r"\b(?:my|our) (?:new )?(?:channel|book|shop|store|blog|podcast|single|album|song|video|app|course|"
    r"newsletter|music|mixtape|website|page|business|event|show)\b|\bsubscribe\b|\bcheck (?:me|us) out\b|"
    r"\bcheck out my\b|\blink in (?:my )?bio\b|\bdm (?:me|us)\b|\bwe'?re hiring\b|\bregister\b|\bshow hn\b|"
    r"\bshop now\b|\btune in\b|\$\d+|\bi introduced\b|\bsub ?4 ?sub\b",
    re.IGNORECASE)
_TIE = re.compile(
    r"amzn\.to|amazon\.[a-z.]+/\S*tag=|[?&](?:tag|ref|aff\w*)=|bit\.ly|rstyle\.me|shopstyle|go\.magik\.ly|"
    r"\buse (?:my )?code\b|\bpromo code\b|\bdiscount\b|\d+ ?% off\b|\bgifted\b|\bpartnered with\b|"
    r"\bsent me\b|\blink to buy\b|\bshop (?:the|my) look\b",
    re.IGNORECASE)
_DISCLOSED = re.compile(r"#ad\b|\bad:|#sponsored|\bsponsored\b|\baffiliate\b|\bcommission\b|paid partnership",
                        re.IGNORECASE)
_CONVERSE = re.compile(r"\?|^@\w+|\b(?:anyone|you guys|what do you think|thoughts)\b", re.IGNORECASE)


def keyword_predict(texts: list[str]) -> np.ndarray:
    return np.array([[
        int(bool(_SELF.search(t))),
        int(bool(_TIE.search(t)) and not _DISCLOSED.search(t)),
        int(bool(_CONVERSE.search(t)) and not _SELF.search(t)),
    ] for t in texts])


def tfidf_lr_predict(train_texts: list[str], train_gold: np.ndarray, texts: list[str]) -> np.ndarray:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    x_train = hstack([words.fit_transform(train_texts), chars.fit_transform(train_texts)]).tocsr()
    x = hstack([words.transform(texts), chars.transform(texts)]).tocsr()
    preds = []
    for j in range(train_gold.shape[1]):
        clf = LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")
        clf.fit(x_train, train_gold[:, j])
        preds.append(clf.predict_proba(x)[:, 1] >= 0.5)
    return np.stack(preds, axis=1).astype(int)
