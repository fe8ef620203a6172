"""Tables for bench/serving.py: throughput, the floors, and each request's time split."""

from __future__ import annotations

TARGETS = {"csv 100x64": 0.70, "csv 100x1": 0.50}  # issue 21: share of raw predict calls/s


def split(results: dict, name: str, cell: str) -> dict:
    """Microseconds per request: total, and its HTTP floor, decode, predict, encode and
    the rest (batching, the predict thread, request handling beyond the floor).

    Concurrency 1: the median latency a client sees (p50: stalls from other tenants
    of a shared machine stay out). Above: server core time per request (the server's
    cores over its requests/s), the HTTP floor measured the same way."""
    fmt, shape = cell.split()
    rows, concurrency = map(int, shape.split("x"))
    scale = len(results["server_cpus"]) if concurrency > 1 else 1
    ours, floor = results["cells"][name][cell], results["cells"]["floor"][cell]
    codecs = results["codecs"]["before" if name == "before" else "ours"][str(rows)]
    formed = max(rows, round(ours["batch_rows"]))
    raw = results["raw_seconds"]
    if concurrency == 1:
        total, http = ours["p50_ms"] * 1000, floor["p50_ms"] * 1000
    else:
        total, http = scale * 1e6 / ours["rps"], scale * 1e6 / floor["rps"]
    parts = {
        "total": total,
        "http floor": http,
        "decode": codecs[f"decode {fmt}"],
        "predict": raw[str(formed)] * 1e6 * rows / formed,
        "encode": codecs["encode csv" if fmt == "csv" else "encode json"],
    }
    parts["rest"] = parts["total"] - sum(v for k, v in parts.items() if k != "total")
    parts["batch"] = formed
    parts["share of raw"] = ours["rps"] * raw[str(rows)]
    return parts


def report(results: dict) -> None:
    cells, raw = results["cells"], results["raw_seconds"]
    pinned = "pinned with taskset" if results["pinned"] else "not pinned (one core)"
    print(
        f"model server: {results['model']}; medians of {results['runs']} rounds of "
        f"{results['seconds']:g} s; load average {results['load_average'][0]:.1f}"
    )
    print(
        f"cores: server {len(results['server_cpus'])} (cpu {results['server_cpus']}, "
        f"{results['workers']} workers, 1 model thread each), load generator "
        f"{len(results['load_cpus'])} (cpu {results['load_cpus']}), {pinned}"
    )
    others = [n for n in ("flask", "before") if n in cells]
    head = f"{'request':>12} | {'ours req/s':>10} {'p50 ms':>7} {'p99 ms':>7} |"
    for other in others:
        head += f" {other + ' req/s':>12} {'p50 ms':>7} | {'ours/' + other:>12} |"
    head += f" {'ours/raw':>8}"
    print(head)
    print("-" * len(head))
    for cell, ours in cells["ours"].items():
        rows = cell.split()[1].split("x")[0]
        line = f"{cell:>12} | {ours['rps']:>10.0f} {ours['p50_ms']:>7.2f} {ours['p99_ms']:>7.2f} |"
        for other in others:
            theirs = cells[other].get(cell)
            if theirs:
                line += f" {theirs['rps']:>12.0f} {theirs['p50_ms']:>7.2f} |"
                line += f" {ours['rps'] / theirs['rps']:>11.2f}x |"
            else:
                line += f" {'—':>12} {'':>7} | {'':>12} |"
        line += f" {ours['rps'] * raw[rows]:>7.0%}"
        print(line)
    print(
        "raw predict per call: "
        + ", ".join(
            f"{b} rows {s * 1e6:.0f} µs" for b, s in sorted(raw.items(), key=lambda i: int(i[0]))
        )
    )
    for name, floors in results["codecs"].items():
        print(
            f"codecs ({name}), µs per call: "
            + "; ".join(
                f"{rows} rows: " + ", ".join(f"{k} {v:.0f}" for k, v in found.items())
                for rows, found in floors.items()
            )
        )
    floors = [n for n in ("floor", "starlette floor") if n in cells]
    for name in floors:
        print(
            f"HTTP floor ({'ASGI dispatch, as served' if name == 'floor' else 'Starlette route'})"
            " req/s: " + ", ".join(f"{c} {v['rps']:.0f}" for c, v in cells[name].items())
        )
    print()
    print(
        "each request's time, µs (c=1: p50 latency; c>1: server core time per request);"
        " 'of raw': requests/s over raw predict calls/s at the request's rows"
    )
    head = (
        f"{'server':>6} {'request':>12} | {'total':>6} = {'http':>6} + {'decode':>6} + "
        f"{'predict':>7} (rows/call) + {'encode':>6} + {'rest':>6} | {'of raw':>6} {'target':>6}"
    )
    print(head)
    print("-" * len(head))
    for name in [n for n in ("before", "ours") if n in cells]:
        for cell in cells[name]:
            if not cell.split()[1].startswith("100x"):
                continue
            p = split(results, name, cell)
            target = TARGETS.get(cell)
            verdict = "" if target is None else ("met" if p["share of raw"] >= target else "missed")
            print(
                f"{name:>6} {cell:>12} | {p['total']:>6.0f} = {p['http floor']:>6.0f} + "
                f"{p['decode']:>6.0f} + {p['predict']:>7.0f} ({p['batch']:>9}) + "
                f"{p['encode']:>6.0f} + {p['rest']:>6.0f} | {p['share of raw']:>6.0%} "
                f"{verdict:>6}"
            )
