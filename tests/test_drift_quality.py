"""The drift job's model quality in one process: responses as the built-ins write them,
metrics equal to scikit-learn's for each problem type."""

from __future__ import annotations

import json

import numpy as np
import pytest
from drift_checks import quality
from drift_checks.metrics import QUALITY_METRICS
from sklearn import metrics as skm


def out(data: str, encoding: str = "CSV") -> dict:
    ctype = "application/json" if encoding == "JSON" else "text/csv"
    return {"observedContentType": ctype, "mode": "OUTPUT", "data": data, "encoding": encoding}


def test_json_predictions_items_by_attribute():
    body = json.dumps(
        {
            "predictions": [
                {"score": 0.8, "predicted_label": 1},
                {"score": 0.1, "predicted_label": 0},
            ]
        }
    )
    attrs = quality.Attributes("predicted_label", "score")
    assert quality.predictions(out(body, "JSON"), attrs) == [(1.0, 0.8), (0.0, 0.1)]


def test_csv_columns_and_threshold():
    attrs = quality.Attributes(None, "1", threshold=0.7)
    assert quality.predictions(out("a,0.75\nb,0.5"), attrs) == [(1.0, 0.75), (0.0, 0.5)]
    assert quality.predictions(out("3.5"), quality.Attributes()) == [(3.5, None)]


def joined(t, p) -> quality.Joined:
    return quality.Joined(list(map(float, t)), list(map(float, p)), [None] * len(t))


def test_regression_equals_scikit_learn():
    rng = np.random.default_rng(0)
    t, p = rng.normal(size=200), rng.normal(size=200)
    got = quality.compute("Regression", joined(t, p))
    mse = skm.mean_squared_error(t, p)
    assert got == pytest.approx(
        {
            "mae": skm.mean_absolute_error(t, p),
            "mse": mse,
            "rmse": mse**0.5,
            "r2": skm.r2_score(t, p),
        }
    )
    assert set(got) == set(QUALITY_METRICS["Regression"])


def test_multiclass_equals_scikit_learn():
    rng = np.random.default_rng(1)
    t, p = rng.integers(0, 4, 300), rng.integers(0, 4, 300)
    got = quality.compute("MulticlassClassification", joined(t, p))
    kw = {"average": "weighted", "zero_division": 0}
    assert got == pytest.approx(
        {
            "accuracy": skm.accuracy_score(t, p),
            "weighted_precision": skm.precision_score(t, p, **kw),
            "weighted_recall": skm.recall_score(t, p, **kw),
            "weighted_f0_5": skm.fbeta_score(t, p, beta=0.5, **kw),
            "weighted_f1": skm.f1_score(t, p, **kw),
            "weighted_f2": skm.fbeta_score(t, p, beta=2, **kw),
        }
    )


def test_a_mismatched_or_broken_response_is_counted_not_fatal():
    truth = {"a": [1.0, 0.0], "b": [1.0]}
    outputs = {"a": out("0.9"), "b": out("{not json", "JSON")}
    j = quality.join(truth, outputs, quality.Attributes())
    assert j.y_true == []
    assert dict(j.rejects) == {"row_count_mismatch": 1, "bad_prediction": 1}
