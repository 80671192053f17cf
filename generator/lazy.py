"""A cached property for the pipeline's objects, which stay in one thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class cached_property(Generic[T]):
    """Like :func:`functools.cached_property`, without its per-access lock.

    Python 3.11's version takes a lock on every first access; the pipeline's
    objects are never shared between threads, and the lock cost a fifth of
    the rendering time.
    """

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.__doc__ = func.__doc__
        self.name = func.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:  # looked up on the class
            return self  # type: ignore[return-value]
        value = self.func(instance)
        # A non-data descriptor: from now on the instance attribute is found first.
        instance.__dict__[self.name] = value
        return value
