"""Model quality: ground truth joined to captured predictions, metrics by scikit-learn.

Ground truth is Model Monitor's format (DG "Ingest Ground Truth labels and merge them
with predictions", model-monitor-model-quality-merge): one JSON line per labelled
request, {"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata":
{"eventId": "<the capture's inferenceId, else eventId>"}, "eventVersion": "0"}.
Binary classification counts the label 1 as positive.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson

from drift_checks.capture import lines, payload_text
from drift_checks.metrics import QUALITY_METRICS

WINDOW_MARKER = "window.json"  # written by the pipeline's Window step


@dataclass(frozen=True)
class Attributes:
    """Where the prediction is in a response (as Model Monitor's attributes): a 0-based
    column index for CSV output, a key of each predictions[] item (or the object) for JSON."""

    inference: str | None = None
    probability: str | None = None
    threshold: float = 0.5


@dataclass
class Joined:
    y_true: list[float] = field(default_factory=list)
    y_pred: list[float] = field(default_factory=list)
    y_prob: list[float | None] = field(default_factory=list)
    rejects: Counter[str] = field(default_factory=Counter)


def _values(part: dict) -> list:
    kind, text = payload_text(part)
    if kind == "json":
        doc = orjson.loads(text)
        return doc if isinstance(doc, list) else [doc]
    return [line.strip() for line in text.splitlines() if line.strip()]


def load_ground_truth(root: Path | None) -> tuple[dict[str, list[float]], Counter[str]]:
    truth: dict[str, list[float]] = {}
    rejects: Counter[str] = Counter()
    if root is None or not root.is_dir():
        return truth, rejects
    # Every uploaded file is read, whatever its suffix, except the run's window marker.
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != WINDOW_MARKER)
    for path in files:
        for line in lines(path):
            try:
                record = orjson.loads(line)
                key = record["eventMetadata"]["eventId"]
                labels = [float(v) for v in _values(record["groundTruthData"])]
                if not isinstance(key, str) or not labels:
                    raise TypeError
            except orjson.JSONDecodeError:
                rejects["malformed_json"] += 1
            except (KeyError, TypeError, ValueError, LookupError):
                rejects["malformed_record"] += 1
            else:
                truth[key] = labels
    return truth, rejects


def _field(item, name: str | None, csv: bool):
    if name is None:
        return None
    if csv:
        return item.split(",")[int(name)]
    return item.get(name) if isinstance(item, dict) else None


def predictions(output: dict, attrs: Attributes) -> list[tuple[float, float | None]]:
    """(label, probability) per row of a captured response."""
    kind, text = payload_text(output)
    if kind == "json":
        doc = orjson.loads(text)
        if isinstance(doc, dict) and isinstance(doc.get("predictions"), list):
            items = doc["predictions"]
        else:
            items = doc if isinstance(doc, list) else [doc]
    else:
        items = [line.strip() for line in text.splitlines() if line.strip()]
    csv = kind == "csv"
    out = []
    for item in items:
        prob = _field(item, attrs.probability, csv)
        prob = None if prob is None else float(prob)
        label = _field(item, attrs.inference, csv)
        if label is None:
            if prob is not None:
                label = 1.0 if prob >= attrs.threshold else 0.0
            elif csv:
                label = item.split(",")[0]
            else:
                label = item
        out.append((float(label), prob))
    return out


def join(truth: dict[str, list[float]], outputs: dict[str, dict], attrs: Attributes) -> Joined:
    joined = Joined()
    for key, output in outputs.items():
        try:
            rows = predictions(output, attrs)
        except (KeyError, TypeError, ValueError, IndexError, LookupError):
            joined.rejects["bad_prediction"] += 1
            continue
        labels = truth[key]
        if len(rows) != len(labels):
            joined.rejects["row_count_mismatch"] += 1
            continue
        for (pred, prob), label in zip(rows, labels, strict=True):
            joined.y_true.append(label)
            joined.y_pred.append(pred)
            joined.y_prob.append(prob)
    return joined


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def compute(problem: str, joined: Joined) -> dict[str, float]:
    """Model Monitor's metric names, computed by scikit-learn; undefined ones left out."""
    from sklearn import metrics as m

    t = np.asarray(joined.y_true, dtype=np.float64)
    p = np.asarray(joined.y_pred, dtype=np.float64)
    if t.size == 0:
        return {}
    if problem == "Regression":
        mse = m.mean_squared_error(t, p)
        out = {"mae": m.mean_absolute_error(t, p), "mse": mse, "rmse": math.sqrt(mse)}
        out["r2"] = m.r2_score(t, p) if t.size > 1 else math.nan
    elif problem == "BinaryClassification":
        t, p = (t == 1).astype(int), (p == 1).astype(int)
        tn, fp, fn, tp = m.confusion_matrix(t, p, labels=[0, 1]).ravel()
        kw = {"zero_division": 0}
        out = {
            "accuracy": m.accuracy_score(t, p),
            "precision": m.precision_score(t, p, **kw),
            "recall": m.recall_score(t, p, **kw),
            "f0_5": m.fbeta_score(t, p, beta=0.5, **kw),
            "f1": m.f1_score(t, p, **kw),
            "f2": m.fbeta_score(t, p, beta=2, **kw),
            "true_positive_rate": _ratio(tp, tp + fn),
            "true_negative_rate": _ratio(tn, tn + fp),
            "false_positive_rate": _ratio(fp, fp + tn),
            "false_negative_rate": _ratio(fn, fn + tp),
        }
        probs = joined.y_prob
        if all(v is not None for v in probs) and len(set(t.tolist())) == 2:
            out["auc"] = m.roc_auc_score(t, np.asarray(probs, dtype=np.float64))
    elif problem == "MulticlassClassification":
        kw = {"average": "weighted", "zero_division": 0}
        out = {
            "accuracy": m.accuracy_score(t, p),
            "weighted_precision": m.precision_score(t, p, **kw),
            "weighted_recall": m.recall_score(t, p, **kw),
            "weighted_f0_5": m.fbeta_score(t, p, beta=0.5, **kw),
            "weighted_f1": m.f1_score(t, p, **kw),
            "weighted_f2": m.fbeta_score(t, p, beta=2, **kw),
        }
    else:
        raise ValueError(problem)
    assert set(out) <= set(QUALITY_METRICS[problem])
    return {k: float(v) for k, v in out.items() if math.isfinite(float(v))}
