"""The drift job (containers/drift/) run as a real process on synthetic capture windows
in SageMaker's format: drift found where injected and nowhere else, bad lines counted,
model quality equal to scikit-learn's, an empty window is data, not an error."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn import metrics as skm

from tests import drift_capture as dc

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "containers" / "drift")}
DRIFTED = {2: 0.5, 9: 0.6}  # feature 2: mean + 0.5 sd; feature 9 (0/1 flag): 30% -> 60%
WINDOW = {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T11:00:00Z", "run": "r-1"}
JUNK = {
    "malformed_json": ["{not json", '{"captureData": '],
    "malformed_record": [
        '{"eventVersion": "0"}',
        "[1, 2]",
        '{"captureData": {"endpointInput": 3}}',
    ],
    "bad_base64": [
        dc.line(np.zeros((1, 10)), event_id="b64", encoding="CSV").replace(
            '"encoding":"CSV"', '"encoding":"BASE64"', 1
        )
    ],
    "wrong_column_count": [dc.line(np.zeros((1, 9)), event_id="short")],
    "non_numeric": [
        dc.line(np.zeros((1, 10)), event_id="nan").replace('"data":"0,', '"data":"x,', 1),
        dc.line(np.zeros((1, 10)), event_id="empty").replace('"data":"0,', '"data":",', 1),
    ],
}


def job(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "drift_checks", *args],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> int:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    return proc.returncode


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("drift")
    rng = np.random.default_rng(7)
    dc.write_reference(base / "reference_data", dc.frame(rng, 20_000))
    finish(job("profile", "--data", str(base / "reference_data"), "--output", str(base / "ref")))

    # Drifted window: 4000 rows in SageMaker's encodings, junk lines in one file, and
    # 300 requests with an inferenceId, a probability answer and a ground-truth label.
    drifted = base / "drifted"
    dc.write_window(drifted, dc.frame(rng, 4000, DRIFTED), seed=1)
    (drifted / "window.json").write_text(json.dumps(WINDOW))
    probs = rng.random(300)
    labels = (rng.random(300) < probs).astype(int)
    hour = drifted / "AllTraffic" / "2026" / "12" / "01" / "11"
    hour.mkdir(parents=True)
    labelled = [
        dc.line(
            dc.frame(rng, 1, DRIFTED),
            event_id=f"ev-{i}",
            inference_id=f"inf-{i}",
            output=f"{p:.6f}",
            encoding="BASE64" if i % 2 else "CSV",
        )
        for i, p in enumerate(probs)
    ]
    junk = [line for lines in JUNK.values() for line in lines]
    (hour / "labelled.jsonl").write_text("\n".join(labelled[:150] + junk + labelled[150:]) + "\n")
    truth = base / "ground_truth" / "2026" / "12" / "01" / "11"
    truth.mkdir(parents=True)
    truth_lines = [dc.ground_truth_line(f"inf-{i}", str(y)) for i, y in enumerate(labels)]
    # Uploaded labels need no .jsonl suffix (Model Monitor's layout names only the hour);
    # the window marker the manifest may list beside them is not a label file.
    (truth / "labels.jsonl").write_text("\n".join(truth_lines[:150]) + "\n")
    (truth / "labels-part-2").write_text("\n".join(truth_lines[150:]) + "\n")
    (base / "ground_truth" / "window.json").write_text('{"start": null}')

    calm = base / "calm"
    dc.write_window(calm, dc.frame(rng, 4000), seed=2)
    empty = base / "empty"
    empty.mkdir()
    (empty / "window.json").write_text(json.dumps(WINDOW))

    ref = str(base / "ref")
    procs = {
        "drifted": job(
            "check",
            "--capture",
            str(drifted),
            "--reference",
            ref,
            "--ground-truth",
            str(base / "ground_truth"),
            "--problem-type",
            "BinaryClassification",
            "--probability-attribute",
            "0",
            "--probability-threshold",
            "0.5",
            "--drift-share",
            "0.1",
            "--output",
            str(base / "out-drifted"),
        ),
        "calm": job(
            "check", "--capture", str(calm), "--reference", ref, "--output", str(base / "out-calm")
        ),
        "empty": job(
            "check",
            "--capture",
            str(empty),
            "--reference",
            ref,
            "--ground-truth",
            str(base / "nothing"),
            "--problem-type",
            "Regression",
            "--output",
            str(base / "out-empty"),
        ),
    }
    out = {"base": base, "labels": labels, "probs": probs}
    for name, proc in procs.items():
        finish(proc)
        d = base / f"out-{name}"
        out[name] = {
            "summary": json.loads((d / "summary.json").read_text()),
            "metrics": json.loads((d / "metrics.json").read_text()),
            "html": (d / "report.html").read_text(),
        }
    return out


def test_profile_writes_the_reference(runs):
    doc = json.loads((runs["base"] / "ref" / "profile.json").read_text())
    assert doc["columns"] == 10
    assert doc["rows_profiled"] == 20_000
    kinds = [f["kind"] for f in doc["features"]]
    assert kinds == ["numeric"] * 9 + ["categorical"]
    assert doc["features"][9]["categories"] == [0.0, 1.0]


def test_injected_drift_flags_exactly_those_features(runs):
    s = runs["drifted"]["summary"]
    assert {n for n, f in s["features"].items() if f["drifted"]} == {"_c2", "_c9"}
    assert s["drifted_share"] == pytest.approx(0.2)
    assert s["dataset_drift"] is True
    assert s["features"]["_c2"]["method"] == "wasserstein_norm"
    assert s["features"]["_c9"]["method"] == "jensenshannon"
    assert s["window"] == WINDOW


def test_no_drift_is_not_flagged(runs):
    s = runs["calm"]["summary"]
    assert s["rows_analysed"] == 4000
    assert not any(f["drifted"] for f in s["features"].values())
    assert s["dataset_drift"] is False
    assert s["rows_rejected"] == {}
    assert s["window"] is None
    assert s["model_quality"] is None


def test_bad_lines_are_counted_by_reason_and_the_rest_analysed(runs):
    s = runs["drifted"]["summary"]
    assert s["rows_rejected"] == {k: len(v) for k, v in JUNK.items()}
    assert s["rows_analysed"] == 4000 + 300
    rejected = next(m for m in runs["drifted"]["metrics"] if m["MetricName"] == "RowsRejected")
    assert rejected["Value"] == sum(len(v) for v in JUNK.values())


def test_ground_truth_metrics_equal_scikit_learn(runs):
    s = runs["drifted"]["summary"]
    labels, probs = runs["labels"], runs["probs"]
    pred = (probs >= 0.5).astype(int)
    assert s["ground_truth_matched"] == 300
    q = s["model_quality"]
    tn, fp, fn, tp = skm.confusion_matrix(labels, pred).ravel()
    expected = {
        "accuracy": skm.accuracy_score(labels, pred),
        "precision": skm.precision_score(labels, pred),
        "recall": skm.recall_score(labels, pred),
        "f0_5": skm.fbeta_score(labels, pred, beta=0.5),
        "f1": skm.f1_score(labels, pred),
        "f2": skm.fbeta_score(labels, pred, beta=2),
        # the captured probabilities went through "%.6f"
        "auc": skm.roc_auc_score(labels, np.round(probs, 6)),
        "true_positive_rate": tp / (tp + fn),
        "true_negative_rate": tn / (tn + fp),
        "false_positive_rate": fp / (fp + tn),
        "false_negative_rate": fn / (fn + tp),
    }
    assert q == pytest.approx(expected, abs=1e-12)
    published = {m["MetricName"]: m["Value"] for m in runs["drifted"]["metrics"]}
    assert {k: published[k] for k in expected} == pytest.approx(expected, abs=1e-12)


def test_empty_window_is_no_data_not_an_error(runs):
    s = runs["empty"]["summary"]
    assert s["rows_analysed"] == 0
    assert s["features"] == {}
    assert s["model_quality"] is None
    assert s["window"] == WINDOW
    assert runs["empty"]["metrics"] == [
        {"MetricName": "RowsAnalysed", "Value": 0.0, "Unit": "Count", "Dimensions": []},
        {"MetricName": "RowsRejected", "Value": 0.0, "Unit": "Count", "Dimensions": []},
    ]
    assert "No data in this window" in runs["empty"]["html"]


def test_metrics_json_is_metric_datum_shaped(runs):
    data = runs["drifted"]["metrics"]
    scores = {
        m["Dimensions"][0]["Value"]: m["Value"]
        for m in data
        if m["MetricName"] == "FeatureDriftScore"
    }
    assert set(scores) == {f"_c{j}" for j in range(10)}
    for m in data:
        assert set(m) == {"MetricName", "Value", "Unit", "Dimensions"}
        assert m["Unit"] in {"Count", "None"}
    names = {m["MetricName"] for m in data}
    assert {"RowsAnalysed", "RowsRejected", "DriftedFeatureShare", "DatasetDrift"} <= names


def test_report_is_self_contained(runs):
    page = runs["drifted"]["html"]
    assert page.count("<svg") == 10
    assert "<script" not in page
    assert "http://" not in page
    assert "https://" not in page
    assert "_c2" in page


def test_a_broken_reference_fails_the_run(tmp_path: Path):
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "profile.json").write_text("{}")
    proc = job(
        "check",
        "--capture",
        str(tmp_path),
        "--reference",
        str(tmp_path / "ref"),
        "--output",
        str(tmp_path / "out"),
    )
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "bad reference" in err
    assert not (tmp_path / "out").exists()


def test_base64_is_decoded(runs):
    # the fixture's windows hold BASE64 lines (every 13th request and half the labelled
    # ones); a BASE64 payload decodes to the same row as its CSV twin
    from drift_checks.capture import payload_text

    row = "1,2,3"
    encoded = {
        "data": base64.b64encode(row.encode()).decode(),
        "encoding": "BASE64",
        "observedContentType": "text/csv",
    }
    assert payload_text(encoded) == ("csv", row)
