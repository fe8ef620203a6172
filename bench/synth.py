"""Synth benchmark: the default app against a one-bucket CDK app.

Each run is a fresh process (what `cdk synth` pays: interpreter, jsii runtime,
constructs, nag, writing the assembly). Runs alternate between the two apps so
machine noise hits both alike; we report medians and the ratio of medians.
Results are printed and written to bench/results/synth.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = json.loads((ROOT / "cdk.json").read_text())["context"]


def _time_synth(script: str, config: str | None) -> float:
    context = {**CONTEXT, **({"config": config} if config else {})}
    with tempfile.TemporaryDirectory() as outdir:
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "CDK_OUTDIR": outdir,
            "CDK_CONTEXT_JSON": json.dumps(context),
        }
        start = time.perf_counter()
        subprocess.run([sys.executable, script], cwd=ROOT, env=env, check=True)
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--config", default="config/default.yaml")
    args = parser.parse_args(argv or [])

    baseline: list[float] = []
    project: list[float] = []
    for _ in range(args.runs):
        baseline.append(_time_synth("bench/baseline_app.py", None))
        project.append(_time_synth("app.py", args.config))

    result = {
        "runs": args.runs,
        "config": args.config,
        "baseline_one_bucket_s": {"median": statistics.median(baseline), "all": baseline},
        "project_s": {"median": statistics.median(project), "all": project},
        "ratio_of_medians": statistics.median(project) / statistics.median(baseline),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "synth.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"synth, {args.runs} runs each, medians (fresh process per run):")
    print(f"  one-bucket app      {result['baseline_one_bucket_s']['median']:6.2f} s")
    print(f"  {args.config:<19} {result['project_s']['median']:6.2f} s")
    print(f"  ratio               {result['ratio_of_medians']:6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
