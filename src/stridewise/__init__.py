"""stridewise: a training-log analyzer for runners.

The public API is :func:`load`, returning a :class:`TrainingLog` of pandas DataFrames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stridewise.version import __version__

__all__ = ["TrainingLog", "__version__", "load"]

if TYPE_CHECKING:
    from stridewise.api import TrainingLog, load


def __getattr__(name: str) -> Any:
    # pandas and the parsers load only when the API is used, so `stridewise --help` starts fast.
    if name in ("load", "TrainingLog"):
        from stridewise import api

        return getattr(api, name)
    raise AttributeError(name)
