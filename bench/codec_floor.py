"""The decode and encode floors: the server's codecs alone, in-process, on the
benchmark's payloads. Imports `model_server` from PYTHONPATH, so it times whichever
checkout's codecs bench/serving.py points it at.

    python bench/codec_floor.py ROWS...  ->  JSON: CPU microseconds per call
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import payloads
from model_server import codecs


def per_call(function, budget: float = 0.05, repeat: int = 5) -> float:
    """Median CPU microseconds (this thread's) per call over `repeat` runs of about
    `budget` seconds: what the call costs, whatever else the machine runs."""
    number = max(1, int(budget / max(1e-7, timeit.timeit(function, number=1))))
    runs = timeit.repeat(function, number=number, repeat=repeat, timer=time.thread_time)
    return statistics.median(runs) / number * 1e6


def floors(batch: int) -> dict[str, float]:
    bodies = payloads.bodies(payloads.rows(batch))
    result = {
        f"decode {payloads.FORMATS[media]}": per_call(lambda b=body, m=media: codecs.decode(b, m))
        for media, body in bodies.items()
    }
    predictions = np.random.default_rng(3).random(batch, dtype=np.float32)
    for media in (payloads.CSV, payloads.JSON):
        name = f"encode {payloads.FORMATS[media]}"
        result[name] = per_call(lambda m=media: codecs.encode(predictions, m))
    return result


if __name__ == "__main__":
    print(json.dumps({batch: floors(int(batch)) for batch in sys.argv[1:]}))
