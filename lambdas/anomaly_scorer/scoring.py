"""Score packs with the endpoint: retry what may pass later, isolate what never will."""

from __future__ import annotations

import json
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from anomaly_scorer.packing import Pack, halves
from anomaly_scorer.records import Rejected


class Retryable(Exception):
    """Throttling, 5XX, timeouts: the same request may succeed later."""


class EndpointRejected(Exception):
    """The endpoint refused the payload (4XX): retrying the same rows will not help."""


@dataclass(frozen=True, slots=True)
class Unprocessed:
    """Not scored in this invocation: reported as a batch item failure, delivered again."""


UNPROCESSED = Unprocessed()
Outcome = float | Rejected | Unprocessed


def parse_scores(body: bytes, expected: int) -> list[float]:
    """RCF's `{"scores": [{"score": …}, …]}`, in request order."""
    try:
        scores = [float(item["score"]) for item in json.loads(body)["scores"]]
    except (ValueError, KeyError, TypeError) as error:
        raise Retryable(f"malformed response: {error}") from error
    if len(scores) != expected:
        raise Retryable(f"{len(scores)} scores for {expected} rows")
    return scores


@dataclass
class Scorer:
    """Scores packs through `invoke` within the invocation's time budget."""

    invoke: Callable[[bytes], bytes]
    remaining_ms: Callable[[], int]
    safety_margin_ms: int = 5000
    sleep: Callable[[float], None] = field(default=lambda seconds: None)
    base_delay: float = 0.1
    max_delay: float = 5.0
    calls: int = 0
    retries: int = 0

    def _backoff(self, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when out of time."""
        delay = min(self.max_delay, self.base_delay * 2**attempt) * random.uniform(0.5, 1.0)
        if self.remaining_ms() - delay * 1000 < self.safety_margin_ms:
            return None
        return delay

    def score(self, packs: list[Pack]) -> dict[int, Outcome]:
        outcomes: dict[int, Outcome] = {}
        queue = deque(packs)
        while queue:
            current = queue.popleft()
            attempt = 0
            while True:
                if self.remaining_ms() < self.safety_margin_ms:
                    for p in (current, *queue):
                        outcomes.update(dict.fromkeys(p.positions, UNPROCESSED))
                    return outcomes
                self.calls += 1
                try:
                    body = self.invoke(current.body)
                    scores = parse_scores(body, len(current.positions))
                except Retryable:
                    delay = self._backoff(attempt)
                    if delay is None:
                        for p in (current, *queue):
                            outcomes.update(dict.fromkeys(p.positions, UNPROCESSED))
                        return outcomes
                    self.retries += 1
                    attempt += 1
                    self.sleep(delay)
                    continue
                except EndpointRejected as error:
                    if len(current.positions) == 1:
                        outcomes[current.positions[0]] = Rejected(f"endpoint rejected it: {error}")
                    else:
                        queue.extendleft(reversed(halves(current)))
                    break
                outcomes.update(zip(current.positions, scores, strict=True))
                break
        return outcomes
