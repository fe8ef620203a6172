"""`make bench`: every benchmark, results printed and written to bench/results/."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import drift, serving, streaming, synth  # noqa: E402


def main() -> int:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "streaming.json").write_text(json.dumps(streaming.main(), indent=2) + "\n")
    print()
    (out / "serving.json").write_text(json.dumps(serving.main(), indent=2) + "\n")
    print()
    (out / "drift.json").write_text(json.dumps(drift.main(), indent=2) + "\n")
    print()
    synth.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
