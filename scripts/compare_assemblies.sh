#!/usr/bin/env bash
# Proof that a refactor changed no template: synthesize the same configs before and
# after, and compare the cloud assemblies byte for byte.
#
#   scripts/compare_assemblies.sh save DIR      # before the change: DIR/<config name>/
#   scripts/compare_assemblies.sh compare DIR   # after it: synthesize again, diff -r against DIR
#
# Configs compared (override with CONFIGS="a.yaml b.yaml"): the default and the two examples,
# each as it is in operation (every followed registry has an approved package recorded,
# every monitored baseline is ready: tests.recorded_models, tests.conftest.in_operation),
# so endpoints, schedules and the stream scorer are compared too. The configs' copies
# go to DIR/configs/ for both runs, so the paths inside the templates match.
#
# ENGINE=model-monitor sets monitoring.engine on every algorithm of the copies: proof
# that a config on Model Monitor synthesizes exactly what it did before the drift-checks
# engine existed (save on the old commit without ENGINE, compare with it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIGS="${CONFIGS:-config/default.yaml config/examples/three-stages.yaml config/examples/custom-servers.yaml}"
export PATH="$ROOT/.venv/bin:$PATH"
export CDK_DISABLE_CLI_TELEMETRY=true

usage() { echo "usage: $0 save|compare DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
mode="$1" dir="$2"

synth_all() {  # synth_all OUTDIR: one assembly per config under OUTDIR/<name>
  local out="$1" config name
  mkdir -p "$out" "$dir/configs"
  for config in $CONFIGS; do
    name="$(basename "$config" .yaml)"
    rm -rf "${out:?}/$name"
    if ! (cd "$ROOT" && python - "$config" "$dir/configs" "$out/$name" > "$out/$name.log" 2>&1 <<'PY'
import os
import sys
from pathlib import Path

import yaml

from tests.conftest import in_operation, synth_config
from tests.recorded_models import approved_everywhere

config = in_operation(sys.argv[1], Path(sys.argv[2]))
engine = os.environ.get("ENGINE")
if engine:
    data = yaml.safe_load(Path(config).read_text())
    for stage in data["stages"].values():
        for algorithm in stage["algorithms"].values():
            algorithm.setdefault("monitoring", {})["engine"] = engine
    Path(config).write_text(yaml.safe_dump(data, sort_keys=False))
assembly = synth_config(config, Path(sys.argv[3]), records=approved_everywhere(config))
sys.exit(1 if assembly.violations else 0)
PY
    ); then
      cat "$out/$name.log" >&2
      return 1
    fi
    rm -f "$out/$name.log"
    echo "synthesized $config -> $out/$name"
  done
}

case "$mode" in
  save) synth_all "$dir" ;;
  compare)
    after="$(mktemp -d)"
    trap 'rm -rf "$after"' EXIT
    synth_all "$after"
    status=0
    for config in $CONFIGS; do
      name="$(basename "$config" .yaml)"
      if diff -r "$dir/$name" "$after/$name"; then
        echo "identical: $name"
      else
        echo "DIFFERENT: $name"
        status=1
      fi
    done
    exit "$status"
    ;;
  *) usage ;;
esac
