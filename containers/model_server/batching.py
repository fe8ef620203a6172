"""Dynamic micro-batching: concurrent requests share one model call."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

Item = tuple[np.ndarray, asyncio.Future]


class MicroBatcher:
    """Gathers requests until `max_rows` rows or `max_delay` seconds, then predicts once.

    With no delay (the default) batching is greedy: a batch is whatever arrived while
    the model was busy with the previous one, so a lone request never waits and a
    loaded server predicts in large batches. A positive delay trades latency for
    fuller batches under moderate load.

    Requests whose rows have different widths are predicted in separate calls, so a
    malformed request only fails itself. The model runs in a worker thread, leaving
    the event loop free to keep accepting requests meanwhile.
    """

    def __init__(
        self, predict: Callable[[np.ndarray], np.ndarray], max_rows: int, max_delay: float
    ) -> None:
        self.predict = predict
        self.max_rows = max_rows
        self.max_delay = max_delay
        self.queue: asyncio.Queue[Item] = asyncio.Queue()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="predict")
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def submit(self, rows: np.ndarray) -> tuple[np.ndarray, int]:
        """Predictions for `rows`, and how many rows the model call that made them had."""
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        await self.queue.put((rows, future))
        return await future

    async def _gather(self) -> list[Item]:
        loop = asyncio.get_running_loop()
        items = [await self.queue.get()]
        rows = len(items[0][0])
        await asyncio.sleep(0)  # let requests already read off the sockets join
        deadline = loop.time() + self.max_delay
        while rows < self.max_rows:
            if not self.queue.empty():
                item = self.queue.get_nowait()
            else:
                timeout = deadline - loop.time()
                if timeout <= 0:
                    break
                try:
                    item = await asyncio.wait_for(self.queue.get(), timeout)
                except TimeoutError:
                    break
            items.append(item)
            rows += len(item[0])
        return items

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            items = await self._gather()
            by_width: dict[int, list[Item]] = {}
            for item in items:
                by_width.setdefault(item[0].shape[1], []).append(item)
            for group in by_width.values():
                # One request alone is predicted as decoded: no copy.
                batch = group[0][0] if len(group) == 1 else np.concatenate([r for r, _ in group])
                try:
                    predictions = await loop.run_in_executor(self.executor, self.predict, batch)
                except Exception as error:  # each caller gets the model's error
                    for _, future in group:
                        if not future.done():
                            future.set_exception(error)
                    continue
                start = 0
                for rows, future in group:
                    if not future.done():
                        future.set_result((predictions[start : start + len(rows)], len(batch)))
                    start += len(rows)
