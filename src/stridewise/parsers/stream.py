"""Build and sanity-check the normalized stream every parser returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np
import pandas as pd

from stridewise import columns as col
from stridewise.errors import CorruptFileError, EmptyActivityError

# GPS sports watches did not exist before 1990; a time more than a day in the future is a broken clock.
EARLIEST_PLAUSIBLE: Final = pd.Timestamp("1990-01-01", tz="UTC")
# A file whose times go backwards this often is not a recording we can trust (a few reversals are glitches).
MAX_BACKWARDS_SHARE: Final = 0.2
# A pause longer than this inside one recording is rare enough to tell the runner about.
LONG_GAP_S: Final = 3600.0


def build_stream(source: str, data: Mapping[str, Sequence[Any] | np.ndarray], *,
                 warnings: list[str]) -> pd.DataFrame:
    """Assemble a stream DataFrame from per-column sequences (missing columns become NaN).

    Drops samples without a time, samples whose time is implausible, and samples whose time goes backwards,
    noting each drop in ``warnings``. Raises :class:`EmptyActivityError` when nothing is left.
    """
    times = pd.to_datetime(pd.Series(data.get(col.TIME, []), dtype=object), utc=True, errors="coerce",
                           format="mixed")
    n = len(times)
    frame = pd.DataFrame({col.TIME: times})
    for name in col.NUMERIC_COLUMNS:
        values = data.get(name)
        if values is None or len(values) == 0:
            frame[name] = np.full(n, np.nan)
        else:
            frame[name] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float).to_numpy()
    if n == 0:
        raise EmptyActivityError(source, "no track points")

    missing = frame[col.TIME].isna()
    if missing.all():
        raise EmptyActivityError(source, "no point has a time (a planned route or a summary, not a recording)")
    if missing.any():
        warnings.append(f"{int(missing.sum())} points without a time dropped")
        frame = frame[~missing]

    latest_plausible = pd.Timestamp(datetime.now(UTC)) + pd.Timedelta(days=1)
    implausible = (frame[col.TIME] < EARLIEST_PLAUSIBLE) | (frame[col.TIME] > latest_plausible)
    if implausible.all():
        first = frame[col.TIME].iloc[0]
        raise CorruptFileError(source, f"implausible dates (first point at {first:%Y-%m-%d %H:%M})")
    if implausible.any():
        warnings.append(f"{int(implausible.sum())} points with implausible dates dropped")
        frame = frame[~implausible]

    # Keep only samples later than every sample before them: a clock that jumps back is a glitch.
    time_ns = frame[col.TIME].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    running_max = np.maximum.accumulate(time_ns)
    forward = np.ones(len(time_ns), dtype=bool)
    forward[1:] = time_ns[1:] > running_max[:-1]
    backwards = int((~forward).sum())
    if backwards:
        # Repeated identical timestamps are common (lap markers); only real reversals count against the file.
        reversals = int((time_ns[1:] < running_max[:-1]).sum())
        if reversals > MAX_BACKWARDS_SHARE * len(time_ns):
            raise CorruptFileError(source, f"dates go backwards ({reversals} of {len(time_ns)} points)")
        if reversals:
            warnings.append(f"{reversals} points with times going backwards dropped")
        frame = frame[forward]

    gaps_s = frame[col.TIME].diff().dt.total_seconds()
    if len(gaps_s) > 1 and gaps_s.max() > LONG_GAP_S:
        warnings.append(f"the recording has a gap of {gaps_s.max() / 3600:.1f} h (clock jump or a long pause)")

    for name in (col.LAT, col.LON):
        bad = frame[name].abs() > (90 if name == col.LAT else 180)
        frame.loc[bad, name] = np.nan
    # (0, 0) is the null island that broken exports write for "no fix".
    null_island = (frame[col.LAT] == 0) & (frame[col.LON] == 0)
    if null_island.any():
        frame.loc[null_island, [col.LAT, col.LON]] = np.nan
        warnings.append(f"{int(null_island.sum())} points at (0, 0) treated as no position")
    return frame.reset_index(drop=True)
