"""report.html: one self-contained page (inline CSS and SVG; no script, no link, no
network), a table of every feature and reference-vs-current histograms."""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from drift_checks.stats import FeatureDrift, category_counts

W, H, BINS = 360, 120, 30
STYLE = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f3f3f3}.drifted{color:#b00020;font-weight:bold}.ok{color:#2e7d32}
.feature{display:inline-block;margin:1em 1em 0 0;vertical-align:top}
.ref{fill:#1f77b4;opacity:.45}.cur{fill:#ff7f0e;opacity:.45}"""


def _bars(shares: np.ndarray, top: float, cls: str) -> str:
    width = W / shares.size
    return "".join(
        f'<rect class="{cls}" x="{i * width:.1f}" y="{H - h:.1f}" width="{width:.1f}" '
        f'height="{h:.1f}"/>'
        for i, h in enumerate(shares / top * (H - 4))
    )


def _histogram(ref: np.ndarray, cur: np.ndarray, kind: str) -> tuple[str, str]:
    if kind == "categorical":
        cats = np.unique(ref)
        r, c = category_counts(ref, cats), category_counts(cur, cats)
        axis = ", ".join(f"{v:g}" for v in cats) + ", other"
    else:
        lo, hi = np.quantile(np.concatenate([ref, cur]), [0.005, 0.995])
        t = np.linspace(0.0, 1.0, BINS + 1)
        edges = np.unique(lo * (1 - t) + hi * t)  # no overflow near the float limits
        if edges.size < 2:
            edges = np.array([lo - 0.5, lo + 0.5]) if abs(lo) < 1e300 else np.array([lo, lo])
        r = np.histogram(np.clip(ref, edges[0], edges[-1]), edges)[0]
        c = np.histogram(np.clip(cur, edges[0], edges[-1]), edges)[0]
        axis = f"{edges[0]:.4g} … {edges[-1]:.4g}"
    r = r / max(r.sum(), 1)
    c = c / max(c.sum(), 1)
    top = max(float(r.max()), float(c.max()), 1e-12)
    svg = (
        f'<svg width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img">'
        + _bars(r, top, "ref")
        + _bars(c, top, "cur")
        + "</svg>"
    )
    return svg, axis


def render(
    summary: dict[str, Any],
    drifts: list[FeatureDrift],
    reference: np.ndarray,
    current: np.ndarray,
) -> str:
    e = html.escape
    window = summary["window"] or {}
    rejected = summary["rows_rejected"]
    head = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>Drift report {e(str(window.get('run', '')))}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Drift report</h1>",
        f"<p>Window: {e(str(window.get('start', '?')))} to {e(str(window.get('end', '?')))}"
        f" (run {e(str(window.get('run', '?')))})</p>",
        f"<p>Rows analysed: <b>{summary['rows_analysed']}</b>; rejected: "
        + (", ".join(f"{e(k)} {v}" for k, v in sorted(rejected.items())) or "none")
        + "</p>",
    ]
    if summary["rows_analysed"] == 0:
        head.append("<p class='drifted'>No data in this window: nothing to compare.</p>")
    else:
        verdict = "drifted" if summary["dataset_drift"] else "ok"
        head.append(
            f"<p class='{verdict}'>Dataset drift: {summary['dataset_drift']} "
            f"({summary['drifted_share']:.0%} of features drifted)</p>"
        )
    if summary["model_quality"]:
        head.append(f"<h2>Model quality ({summary['ground_truth_matched']} rows matched)</h2>")
        head.append("<table><tr><th>metric</th><th>value</th></tr>")
        head += [
            f"<tr><td>{e(k)}</td><td>{v:.4f}</td></tr>"
            for k, v in sorted(summary["model_quality"].items())
        ]
        head.append("</table>")
    body = []
    if drifts:
        body.append("<h2>Features</h2><table><tr><th>feature</th><th>kind</th><th>method</th>")
        body.append("<th>score</th><th>p-value</th><th>drifted</th></tr>")
        for d in drifts:
            cls = "drifted" if d.drifted else "ok"
            body.append(
                f"<tr><td>{e(d.name)}</td><td>{d.kind}</td><td>{d.method}</td>"
                f"<td>{d.score:.4f}</td><td>{d.p_value:.3g}</td>"
                f"<td class='{cls}'>{d.drifted}</td></tr>"
            )
        body.append("</table><h2>Reference (blue) vs current (orange), share of rows</h2>")
        for j, d in enumerate(drifts):
            try:
                svg, axis = _histogram(reference[:, j], current[:, j], d.kind)
            except (ValueError, FloatingPointError):  # the page must not fail the run
                svg, axis = "<p>(no plot: values out of range)</p>", ""
            cls = "drifted" if d.drifted else "ok"
            body.append(
                f"<div class='feature'><div class='{cls}'>{e(d.name)} — {d.method} "
                f"{d.score:.3f}</div>{svg}<div>{e(axis)}</div></div>"
            )
    return "\n".join([*head, *body, "</body></html>"]) + "\n"
