"""One derived object per loaded store (labels, source texts), made on first use and shared by threads.

Keyed by the store's backend, so that a graph loaded again gets a fresh one; the
object made must keep the backend it was made from as ``.backend``.

>>> from types import SimpleNamespace
>>> made = PerStore(lambda kg: SimpleNamespace(backend=kg.backend))
>>> kg = SimpleNamespace(backend=object())
>>> made(kg) is made(kg)
True
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class PerStore(Generic[T]):
    def __init__(self, factory: Callable[[object], T]):
        self.factory = factory
        self._lock = threading.Lock()
        self._by_store: dict[int, T] = {}

    def __call__(self, kg) -> T:
        key = id(kg.backend)
        with self._lock:
            made = self._by_store.get(key)
            if made is None or made.backend is not kg.backend:
                made = self._by_store[key] = self.factory(kg)
            return made
