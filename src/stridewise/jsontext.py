"""Strict JSON text: every JSON document the CLI writes goes through :func:`dumps`.

RFC 8259 has no NaN or Infinity, so a missing or non-finite number becomes ``null`` (Python's ``json`` would write
bare ``NaN``, which ``jq`` and ``JSON.parse`` reject). numpy and pandas values become plain Python first.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd


def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python: numpy numbers as int/float, non-finite and missing numbers as None,
    dates as ISO text, tuples as lists, mapping keys as text."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.bool_):  # numpy's bool is neither Integral nor Real
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """Strict RFC 8259 JSON text of ``value`` (see :func:`plain`); raises ValueError for what JSON cannot hold."""
    return json.dumps(plain(value), indent=indent, ensure_ascii=False, allow_nan=False)
