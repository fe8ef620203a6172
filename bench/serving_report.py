"""Tables for bench/serving.py: throughput, the floors, and each request's time split.

Two ratios to raw predict. Wall-clock: requests/s over raw predict calls/s at the
request's rows, as a client sees it, but on a shared machine a server that sleeps
between requests is scheduled ahead of a busy loop, so other tenants inflate raw
predict's time more than the server's. CPU: raw predict's CPU time per call over the
server's CPU time per request (all its processes, from /proc): what the server gets
out of each core it has, whoever else runs. The split is in CPU time.
"""

from __future__ import annotations

TARGETS = {"csv 100x64": 0.70, "csv 100x1": 0.50}  # issue 21: share of raw predict calls/s


def split(results: dict, name: str, cell: str) -> dict:
    """CPU microseconds per request: the server's total, and its HTTP floor (the floor
    server's CPU per request in the same cell), decode, its share of predict at the
    batch size it formed, encode, and the rest (batching, the predict thread, request
    handling beyond the floor)."""
    fmt, shape = cell.split()
    rows = int(shape.split("x")[0])
    ours, floor = results["cells"][name][cell], results["cells"]["floor"][cell]
    codecs = results["codecs"]["before" if name == "before" else "ours"][str(rows)]
    formed = max(rows, round(ours["batch_rows"]))
    raw = results["raw_seconds"]
    parts = {
        "total": ours["cpu_us"],
        "http floor": floor["cpu_us"],
        "decode": codecs[f"decode {fmt}"],
        "predict": raw[str(formed)]["cpu"] * 1e6 * rows / formed,
        "encode": codecs["encode csv" if fmt == "csv" else "encode json"],
    }
    parts["rest"] = parts["total"] - sum(v for k, v in parts.items() if k != "total")
    parts["batch"] = formed
    parts["wall"] = ours["rps"] * raw[str(rows)]["wall"]
    parts["cpu"] = raw[str(rows)]["cpu"] * 1e6 / ours["cpu_us"]
    return parts


def _header(results: dict) -> None:
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


def _throughput(results: dict) -> None:
    cells, raw = results["cells"], results["raw_seconds"]
    others = [n for n in ("flask", "before") if n in cells]
    head = f"{'request':>12} | {'ours req/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'cpu µs':>7} |"
    for other in others:
        head += f" {other + ' req/s':>12} {'p50 ms':>7} {'cpu µs':>7} | {'ours/' + other:>12} |"
    head += f" {'of raw, wall':>12} {'of raw, cpu':>11}"
    print(head)
    print("-" * len(head))
    for cell, ours in cells["ours"].items():
        rows = cell.split()[1].split("x")[0]
        line = (
            f"{cell:>12} | {ours['rps']:>10.0f} {ours['p50_ms']:>7.2f} {ours['p99_ms']:>7.2f} "
            f"{ours['cpu_us']:>7.0f} |"
        )
        for other in others:
            theirs = cells[other].get(cell)
            if theirs:
                line += (
                    f" {theirs['rps']:>12.0f} {theirs['p50_ms']:>7.2f} {theirs['cpu_us']:>7.0f} |"
                )
                line += f" {ours['rps'] / theirs['rps']:>11.2f}x |"
            else:
                line += f" {'—':>12} {'':>7} {'':>7} | {'':>12} |"
        line += f" {ours['rps'] * raw[rows]['wall']:>12.0%}"
        line += f" {raw[rows]['cpu'] * 1e6 / ours['cpu_us']:>11.0%}"
        print(line)


def _floors(results: dict) -> None:
    cells, raw = results["cells"], results["raw_seconds"]
    ordered = sorted(raw.items(), key=lambda item: int(item[0]))
    print(
        "raw predict per call, µs wall / cpu: "
        + ", ".join(f"{b} rows {s['wall'] * 1e6:.0f} / {s['cpu'] * 1e6:.0f}" for b, s in ordered)
    )
    for name, floors in results["codecs"].items():
        print(
            f"codecs ({name}), cpu µs per call: "
            + "; ".join(
                f"{rows} rows: " + ", ".join(f"{k} {v:.0f}" for k, v in found.items())
                for rows, found in floors.items()
            )
        )
    for name in [n for n in ("floor", "starlette floor") if n in cells]:
        kind = "ASGI dispatch, as served" if name == "floor" else "Starlette route, as before"
        print(
            f"HTTP floor ({kind}), req/s and cpu µs per request: "
            + ", ".join(f"{c} {v['rps']:.0f} {v['cpu_us']:.0f}" for c, v in cells[name].items())
        )


def report(results: dict) -> None:
    _header(results)
    _throughput(results)
    _floors(results)
    print()
    print("each 100-row request's server CPU time, µs (predict: its share of the batch formed)")
    head = (
        f"{'server':>6} {'request':>12} | {'total':>6} = {'http':>6} + {'decode':>6} + "
        f"{'predict':>7} (rows/call) + {'encode':>6} + {'rest':>6} | of raw: {'wall':>5} "
        f"{'cpu':>5} {'target':>7}"
    )
    print(head)
    print("-" * len(head))
    for name in [n for n in ("before", "ours") if n in results["cells"]]:
        for cell in results["cells"][name]:
            if not cell.split()[1].startswith("100x"):
                continue
            p = split(results, name, cell)
            target = TARGETS.get(cell)
            verdict = "" if target is None else f"{target:.0%}"
            print(
                f"{name:>6} {cell:>12} | {p['total']:>6.0f} = {p['http floor']:>6.0f} + "
                f"{p['decode']:>6.0f} + {p['predict']:>7.0f} ({p['batch']:>9}) + "
                f"{p['encode']:>6.0f} + {p['rest']:>6.0f} |         {p['wall']:>5.0%} "
                f"{p['cpu']:>5.0%} {verdict:>7}"
            )
