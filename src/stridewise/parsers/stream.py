"""Build and sanity-check the normalized stream every parser returns.

The checks run on numpy arrays; the DataFrame is made once, at the end, from the arrays that survive them. The
fast readers hand over numpy arrays (times as naive UTC ``datetime64``, numbers as floats); the reference readers
may hand over Python sequences (datetimes, ISO texts, None), which are converted as pandas reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np
import pandas as pd

from stridewise import columns as col
from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.model import stream_frame

# GPS sports watches did not exist before 1990; a time more than a day in the future is a broken clock.
EARLIEST_PLAUSIBLE: Final = pd.Timestamp("1990-01-01", tz="UTC")
# A file whose times go backwards this often is not a recording we can trust (a few reversals are glitches).
MAX_BACKWARDS_SHARE: Final = 0.2
# A pause longer than this inside one recording is rare enough to tell the runner about.
LONG_GAP_S: Final = 3600.0
_NS_PER_S: Final = 1_000_000_000


def build_stream(source: str, data: Mapping[str, Sequence[Any] | np.ndarray], *,
                 warnings: list[str]) -> pd.DataFrame:
    """Assemble a stream DataFrame from per-column sequences (missing columns become NaN).

    Drops samples without a time, samples whose time is implausible, and samples whose time goes backwards,
    noting each drop in ``warnings``. Raises :class:`EmptyActivityError` when nothing is left.
    """
    times = _utc_times(data.get(col.TIME, []))
    n = len(times)
    numbers = {name: _floats(data.get(name), n) for name in col.NUMERIC_COLUMNS}
    if n == 0:
        raise EmptyActivityError(source, "no track points")

    missing = np.isnat(times)
    if missing.all():
        raise EmptyActivityError(source, "no point has a time (a planned route or a summary, not a recording)")
    keep = ~missing
    if missing.any():
        warnings.append(f"{int(missing.sum())} points without a time dropped")

    earliest = np.datetime64(EARLIEST_PLAUSIBLE.tz_localize(None))
    latest = np.datetime64(datetime.now(UTC).replace(tzinfo=None)) + np.timedelta64(1, "D")
    with np.errstate(invalid="ignore"):
        implausible = keep & ((times < earliest) | (times > latest))
    if implausible.sum() == keep.sum():
        first = pd.Timestamp(times[keep][0])
        raise CorruptFileError(source, f"implausible dates (first point at {first:%Y-%m-%d %H:%M})")
    if implausible.any():
        warnings.append(f"{int(implausible.sum())} points with implausible dates dropped")
        keep &= ~implausible

    # Keep only samples later than every sample before them: a clock that jumps back is a glitch.
    index = np.flatnonzero(keep)
    time_ns = times[index].astype("datetime64[ns]").view(np.int64)
    running_max = np.maximum.accumulate(time_ns)
    forward = np.ones(len(time_ns), dtype=bool)
    forward[1:] = time_ns[1:] > running_max[:-1]
    if not forward.all():
        # Repeated identical timestamps are common (lap markers); only real reversals count against the file.
        reversals = int((time_ns[1:] < running_max[:-1]).sum())
        if reversals > MAX_BACKWARDS_SHARE * len(time_ns):
            raise CorruptFileError(source, f"dates go backwards ({reversals} of {len(time_ns)} points)")
        if reversals:
            warnings.append(f"{reversals} points with times going backwards dropped")
        index, time_ns = index[forward], time_ns[forward]

    if len(time_ns) > 1:
        longest_gap_s = float(np.diff(time_ns).max()) / _NS_PER_S
        if longest_gap_s > LONG_GAP_S:
            warnings.append(f"the recording has a gap of {longest_gap_s / 3600:.1f} h (clock jump or a long pause)")

    columns = {name: values[index] for name, values in numbers.items()}
    for name, limit in ((col.LAT, 90), (col.LON, 180)):
        with np.errstate(invalid="ignore"):
            columns[name][np.abs(columns[name]) > limit] = np.nan
    # (0, 0) is the null island that broken exports write for "no fix".
    null_island = (columns[col.LAT] == 0) & (columns[col.LON] == 0)
    if null_island.any():
        columns[col.LAT][null_island] = np.nan
        columns[col.LON][null_island] = np.nan
        warnings.append(f"{int(null_island.sum())} points at (0, 0) treated as no position")
    return stream_frame(time_ns, columns)


def _utc_times(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Naive UTC datetime64 (any unit, NaT where absent or unreadable)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values
    # Python datetimes (aware or naive UTC) or texts, as the reference readers give them; pandas decides.
    parsed = pd.to_datetime(pd.Series(values, dtype=object), utc=True, errors="coerce", format="mixed")
    return np.asarray(parsed.dt.tz_localize(None).to_numpy())


def _floats(values: Sequence[Any] | np.ndarray | None, n: int) -> np.ndarray:
    """A float64 copy of a column (NaN where absent or not a number); all NaN when the reader has none."""
    if values is None or len(values) == 0:
        return np.full(n, np.nan)
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        return values.astype(np.float64)
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float).to_numpy()
