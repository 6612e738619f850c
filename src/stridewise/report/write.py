"""Report files are written with the one atomic writer (stridewise.atomic)."""

from __future__ import annotations

from stridewise.atomic import write_atomic

__all__ = ["write_atomic"]
