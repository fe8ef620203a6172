"""`python -m drift_checks profile|check` (the contract: containers/drift/README.md)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from drift_checks import capture, quality, report, stats
from drift_checks.metrics import QUALITY_METRICS, metric_data
from drift_checks.rows import Reservoir, RowSink

# The drift statistics run on seeded uniform samples of at most this many rows of the
# reference data and of the window (memory and time bounded whatever the window size;
# a sample of 50,000 puts the noise of the normalised Wasserstein distance near 0.01).
SAMPLE_ROWS = 50_000
SEED = 20_240_601
PROFILE_VERSION = 1


class BadReference(Exception):
    """The reference (profile output) is missing or broken: the run must fail."""


def _csv_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))


def profile(data: Path, output: Path) -> int:
    rejects: Counter[str] = Counter()
    reservoir = Reservoir(SAMPLE_ROWS, SEED)
    sink = RowSink(None, rejects, reservoir.add)
    for path in _csv_files(data):
        with path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                sink.csv_text(line)
    sink.flush()
    if sink.rows == 0 or sink.ncols is None:
        print(f"drift_checks profile: no numeric CSV rows under {data}", file=sys.stderr)
        return 2
    sample = reservoir.sample(sink.ncols)
    features = []
    for j in range(sink.ncols):
        col = sample[:, j]
        kind = stats.kind_of(col)
        entry = {
            "name": f"_c{j}",
            "kind": kind,
            "min": float(col.min()),
            "max": float(col.max()),
            "mean": float(col.mean()),
            "std": float(col.std()),
        }
        if kind == "categorical":
            entry["categories"] = [float(v) for v in np.unique(col)]
        features.append(entry)
    output.mkdir(parents=True, exist_ok=True)
    np.save(output / "reference.npy", sample, allow_pickle=False)
    doc = {
        "version": PROFILE_VERSION,
        "columns": sink.ncols,
        "rows_profiled": sink.rows,
        "rows_rejected": dict(sorted(rejects.items())),
        "sample_rows": int(sample.shape[0]),
        "seed": SEED,
        "features": features,
    }
    (output / "profile.json").write_text(json.dumps(doc, indent=2) + "\n")
    print(f"profiled {sink.rows} rows x {sink.ncols} columns -> {output}")
    return 0


def load_reference(root: Path) -> tuple[dict[str, Any], np.ndarray]:
    try:
        doc = json.loads((root / "profile.json").read_text())
        sample = np.load(root / "reference.npy", allow_pickle=False)
        ncols = int(doc["columns"])
        names = [f["name"] for f in doc["features"]]
        kinds = [f["kind"] for f in doc["features"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise BadReference(f"{root}: {type(e).__name__}: {e}") from e
    if (
        doc.get("version") != PROFILE_VERSION
        or sample.ndim != 2
        or sample.shape[1] != ncols
        or sample.shape[0] == 0
        or len(names) != ncols
        or not set(kinds) <= {"numeric", "categorical"}
    ):
        raise BadReference(f"{root}: profile.json and reference.npy do not agree")
    return doc, sample


def read_window(root: Path) -> dict[str, Any] | None:
    marker = next(iter(sorted(root.rglob("window.json"))), None) if root.is_dir() else None
    if marker is None:
        return None
    try:
        doc = json.loads(marker.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict):
        return None
    return {k: str(doc[k]) for k in ("start", "end", "run") if k in doc}


def check(args: argparse.Namespace) -> int:
    try:
        doc, reference = load_reference(args.reference)
    except BadReference as e:
        print(f"drift_checks check: bad reference {e}", file=sys.stderr)
        return 2
    names = [f["name"] for f in doc["features"]]
    kinds = [f["kind"] for f in doc["features"]]
    truth, truth_rejects = quality.load_ground_truth(args.ground_truth)
    if not args.problem_type:
        truth = {}
    rejects: Counter[str] = Counter()
    reservoir = Reservoir(SAMPLE_ROWS, SEED + 1)
    sink = RowSink(int(doc["columns"]), rejects, reservoir.add)
    scanned = capture.scan(args.capture, sink, frozenset(truth))
    current = reservoir.sample(sink.ncols)
    drifts = stats.drift(names, kinds, reference, current) if sink.rows else []
    drifted = sum(d.drifted for d in drifts)
    share = drifted / len(drifts) if drifts else 0.0
    model_quality = None
    matched = 0
    if args.problem_type:
        attrs = quality.Attributes(
            args.inference_attribute, args.probability_attribute, args.probability_threshold
        )
        joined = quality.join(truth, scanned.matched, attrs)
        truth_rejects.update(joined.rejects)
        matched = len(joined.y_true)
        if matched:
            model_quality = quality.compute(args.problem_type, joined)
    summary = {
        "window": read_window(args.capture),
        "rows_analysed": sink.rows,
        "rows_rejected": {k: v for k, v in sorted(rejects.items()) if v},
        "dataset_drift": bool(drifts) and share > args.drift_share,
        "drifted_share": share,
        "features": {
            d.name: {
                "score": d.score,
                "drifted": d.drifted,
                "method": d.method,
                "p_value": d.p_value,
                "kind": d.kind,
            }
            for d in drifts
        },
        "model_quality": model_quality,
        "ground_truth_matched": matched,
        "ground_truth_rejected": {k: v for k, v in sorted(truth_rejects.items()) if v},
        "sample_rows": {"reference": int(reference.shape[0]), "current": int(current.shape[0])},
    }
    out: Path = args.output
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, allow_nan=False) + "\n")
    (out / "metrics.json").write_text(
        json.dumps(metric_data(summary), indent=2, allow_nan=False) + "\n"
    )
    (out / "report.html").write_text(report.render(summary, drifts, reference, current))
    print(
        f"analysed {sink.rows} rows, rejected {sum(rejects.values())}, "
        f"drifted {drifted}/{len(drifts)}, ground truth matched {matched}"
    )
    return 0


def _share(value: str) -> float:
    share = float(value)
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not between 0 and 1")
    return share


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m drift_checks")
    sub = p.add_subparsers(dest="command", required=True)
    prof = sub.add_parser("profile", help="profile the reference data (headerless CSV)")
    prof.add_argument("--data", type=Path, required=True)
    prof.add_argument("--output", type=Path, required=True)
    chk = sub.add_parser("check", help="compare a capture window with the reference")
    chk.add_argument("--capture", type=Path, required=True)
    chk.add_argument("--reference", type=Path, required=True)
    chk.add_argument("--ground-truth", type=Path)
    chk.add_argument("--problem-type", choices=sorted(QUALITY_METRICS))
    chk.add_argument("--inference-attribute")
    chk.add_argument("--probability-attribute")
    chk.add_argument("--probability-threshold", type=float, default=0.5)
    chk.add_argument("--drift-share", type=_share, default=0.5)
    chk.add_argument("--output", type=Path, required=True)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "profile":
        return profile(args.data, args.output)
    return check(args)
