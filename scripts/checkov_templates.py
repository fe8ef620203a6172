#!/usr/bin/env python3
"""checkov over a cloud assembly's templates: fail on what `.checkov-skips.yaml` does not accept.

Usage: scripts/checkov_templates.py [ASSEMBLY_DIR ...]   (default: cdk.out)

Prints one line per unaccepted finding and per stale skip entry; exit status 1
when there is any, 0 when clean. checkov runs offline (`--skip-download`) from
its own virtualenv, `.tools/checkov`, which `make setup` installs.
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = ROOT / ".tools" / "checkov" / "bin" / "checkov"
SKIPS = ROOT / ".checkov-skips.yaml"


@dataclass(frozen=True)
class Finding:
    check: str
    name: str
    template: str
    logical_id: str

    def __str__(self) -> str:
        return f"{self.template}: {self.logical_id}: {self.check} {self.name}"


@dataclass(frozen=True)
class Skip:
    check: str
    resources: tuple[str, ...]
    reason: str

    def accepts(self, finding: Finding) -> bool:
        return finding.check == self.check and any(
            fnmatch.fnmatchcase(finding.logical_id, pattern) for pattern in self.resources
        )


def load_skips(path: Path = SKIPS) -> list[Skip]:
    entries = yaml.safe_load(path.read_text()) or []
    return [Skip(e["check"], tuple(e["resources"]), e["reason"]) for e in entries]


def run_checkov(*assemblies: Path) -> list[Finding]:
    """checkov's failed checks over every template of `assemblies` (one run each, in parallel)."""
    if not CHECKOV.exists():
        raise SystemExit(f"{CHECKOV} is missing: run `make setup`")
    with ThreadPoolExecutor() as pool:
        return [f for found in pool.map(_checkov, assemblies) for f in found]


def _checkov(assembly: Path) -> list[Finding]:
    result = subprocess.run(
        [
            str(CHECKOV),
            "--directory",
            str(assembly),
            "--framework",
            "cloudformation",
            "--skip-download",
            "--quiet",
            "--compact",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):  # 1: findings; anything else: checkov failed
        raise SystemExit(f"checkov failed ({result.returncode}): {result.stderr.strip()}")
    reports = json.loads(result.stdout or "[]")
    reports = reports if isinstance(reports, list) else [reports]
    return [
        Finding(
            check=failed["check_id"],
            name=failed["check_name"],
            template=failed["file_path"].lstrip("/"),
            logical_id=failed["resource"].split(".", 1)[1],
        )
        for report in reports
        if isinstance(report, dict) and "results" in report
        for failed in report["results"]["failed_checks"]
    ]


def problems(findings: list[Finding], skips: list[Skip]) -> list[str]:
    """Unaccepted findings, then skip entries (or patterns) that accept nothing."""
    out = [f"not accepted: {f}" for f in findings if not any(s.accepts(f) for s in skips)]
    for skip in skips:
        for pattern in skip.resources:
            narrowed = Skip(skip.check, (pattern,), skip.reason)
            if not any(narrowed.accepts(f) for f in findings):
                out.append(f"stale skip in {SKIPS.name}: {skip.check} {pattern} matches nothing")
    return out


def main(argv: list[str]) -> int:
    assemblies = [Path(arg) for arg in argv[1:]] or [ROOT / "cdk.out"]
    findings = run_checkov(*assemblies)
    found = problems(findings, load_skips())
    for line in found:
        print(line)
    skips = load_skips()
    accepted = sum(any(s.accepts(f) for s in skips) for f in findings)
    print(f"checkov: {accepted} accepted findings, {len(found)} problems", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
