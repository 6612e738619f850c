"""The part of the world worth importing: grid cells around stored runs, with a margin.

A cell is ``CELL_DEG`` of latitude by ``CELL_DEG`` of longitude, coded as one integer. The cells of a run's
positions are widened by the margin (a few km) so that a way crossing the edge of a run's area is kept whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np

from stridewise.geo import EARTH_RADIUS_M

# About 1.1 km north-south: fine enough that a city run does not pull in its whole country, coarse enough that
# a year of runs is a few thousand cells.
CELL_DEG: Final = 0.01
# Ways this far from any stored position are kept: a new run near home matches without importing again.
DEFAULT_MARGIN_M: Final = 3000.0
_LON_CELLS: Final = round(360 / CELL_DEG) + 1
_METRES_PER_DEG: Final = math.pi * EARTH_RADIUS_M / 180


def cell_codes(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """The code of the cell holding each position (int64)."""
    row = np.floor((np.asarray(lat, dtype=float) + 90.0) / CELL_DEG).astype(np.int64)
    column = np.floor((np.asarray(lon, dtype=float) + 180.0) / CELL_DEG).astype(np.int64)
    return row * _LON_CELLS + column


@dataclass(frozen=True)
class Area:
    """Sorted unique cell codes; empty means nothing is inside."""

    cells: np.ndarray

    @classmethod
    def around(cls, tracks: Iterable[tuple[np.ndarray, np.ndarray]], margin_m: float = DEFAULT_MARGIN_M) -> Area:
        """The cells within ``margin_m`` of any position of the (lat, lon) tracks."""
        found: set[int] = set()
        for lat, lon in tracks:
            keep = np.isfinite(lat) & np.isfinite(lon)
            if not keep.any():
                continue
            codes = np.unique(cell_codes(lat[keep], lon[keep]))
            rows, columns = np.divmod(codes, _LON_CELLS)
            reach_rows = math.ceil(margin_m / (_METRES_PER_DEG * CELL_DEG))
            widest = max(math.cos(math.radians(min(89.0, float(np.abs(lat[keep]).max()) + 1.0))), 0.01)
            reach_columns = math.ceil(margin_m / (_METRES_PER_DEG * CELL_DEG * widest))
            for dr in range(-reach_rows, reach_rows + 1):
                for dc in range(-reach_columns, reach_columns + 1):
                    found.update((((rows + dr) * _LON_CELLS) + (columns + dc) % (_LON_CELLS - 1)).tolist())
        return cls(np.array(sorted(found), dtype=np.int64))

    def contains(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Whether each position lies in one of the cells."""
        codes = cell_codes(lat, lon)
        if self.cells.size == 0:
            return np.zeros(codes.shape, dtype=bool)
        at = np.minimum(np.searchsorted(self.cells, codes), self.cells.size - 1)
        return np.asarray(self.cells[at] == codes)
