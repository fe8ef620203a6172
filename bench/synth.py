"""Synth benchmark: the default app (1 stage) and a 3-stage app against a one-bucket CDK app.

Each run is a fresh process, measured two ways: the app process alone (what the
CDK CLI starts: interpreter, jsii runtime, constructs, rule packs, assembly
write), and the whole `cdk synth` command a user runs (the CLI's own start-up and
assembly read on top). Runs interleave the apps so machine noise hits each alike;
we report medians of wall time and of peak resident memory (every process of the
run together, sampled from /proc), the ratio of the default app to the one-bucket
app, and of 3 stages to 1. Results are printed and written to bench/results/synth.json.
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
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BASELINE_APP = "bench/baseline_app.py"
CONTEXT = json.loads((ROOT / "cdk.json").read_text())["context"]
SAMPLE_SECONDS = 0.01
CLI = ["npx", "--no-install", "cdk", "synth", "--quiet", "--no-notices", "--no-version-reporting"]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, from /proc (0 once gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def _measure(command: list[str], env: dict[str, str]) -> Run:
    with tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read()[-2000:]
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{tail}")
        return Run(seconds, peak / 1024)


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "CDK_DISABLE_CLI_TELEMETRY": "true",
    }


def _synth(script: str, config: str | None) -> Run:
    """The app process alone, given the context the CLI would pass."""
    context = {**CONTEXT, **({"config": config} if config else {})}
    with tempfile.TemporaryDirectory() as outdir:
        env = {**_env(), "CDK_OUTDIR": outdir, "CDK_CONTEXT_JSON": json.dumps(context)}
        return _measure([sys.executable, script], env)


def _cli_synth(script: str, config: str | None) -> Run:
    """`cdk synth` as `make synth` runs it (cdk.json's context, the CLI's own work)."""
    with tempfile.TemporaryDirectory() as outdir:
        command = [*CLI, "--app", f"{sys.executable} {script}", "-o", outdir]
        return _measure(command + (["-c", f"config={config}"] if config else []), _env())


def three_stage_config(directory: Path, base: str) -> str:
    """`base`'s single stage copied to three stages (dev, staging, prod)."""
    config = yaml.safe_load((ROOT / base).read_text())
    (stage,) = config["stages"].values()
    config["stages"] = dict.fromkeys(("dev", "staging", "prod"), stage)
    path = directory / "three-stages.yaml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def _summary(runs: list[Run]) -> dict[str, object]:
    return {
        "median_s": statistics.median(r.seconds for r in runs),
        "median_peak_rss_mb": statistics.median(r.peak_rss_mb for r in runs),
        "all_s": [round(r.seconds, 3) for r in runs],
        "all_peak_rss_mb": [round(r.peak_rss_mb, 1) for r in runs],
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--config", default="config/default.yaml")
    args = parser.parse_args(argv or [])

    apps: dict[str, list[Run]] = {
        "one-bucket": [],
        "1 stage": [],
        "3 stages": [],
        "one-bucket, cdk synth": [],
        "1 stage, cdk synth": [],
    }
    with tempfile.TemporaryDirectory() as scratch:
        three = three_stage_config(Path(scratch), args.config)
        for _ in range(args.runs):
            apps["one-bucket"].append(_synth(BASELINE_APP, None))
            apps["1 stage"].append(_synth("app.py", args.config))
            apps["3 stages"].append(_synth("app.py", three))
            apps["one-bucket, cdk synth"].append(_cli_synth(BASELINE_APP, None))
            apps["1 stage, cdk synth"].append(_cli_synth("app.py", args.config))

    summary = {name: _summary(runs) for name, runs in apps.items()}
    seconds = {name: s["median_s"] for name, s in summary.items()}
    result = {
        "runs": args.runs,
        "config": args.config,
        "apps": summary,
        "ratio_1_stage_to_one_bucket": seconds["1 stage"] / seconds["one-bucket"],
        "ratio_1_stage_to_one_bucket_cdk_synth": (
            seconds["1 stage, cdk synth"] / seconds["one-bucket, cdk synth"]
        ),
        "ratio_3_stages_to_1_stage": seconds["3 stages"] / seconds["1 stage"],
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "synth.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"synth of {args.config}, {args.runs} fresh processes each, medians:")
    print(f"  {'app':<22} {'wall s':>7} {'peak RSS MB':>12}")
    for name, s in summary.items():
        print(f"  {name:<22} {s['median_s']:7.2f} {s['median_peak_rss_mb']:12.0f}")
    ratios = (
        ("1 stage / one-bucket, app process", "ratio_1_stage_to_one_bucket"),
        ("1 stage / one-bucket, cdk synth", "ratio_1_stage_to_one_bucket_cdk_synth"),
        ("3 stages / 1 stage, app process", "ratio_3_stages_to_1_stage"),
    )
    for label, key in ratios:
        print(f"  {label:<36} {result[key]:5.2f}x  (target <= 2)")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
