"""Hidden-Markov map matching of one GPS track onto way segments; the distance run on each surface class.

Newson & Krumm (2009), "Hidden Markov map matching through noise and sparseness": each position's hidden state
is the way it was run on. The emission likelihood falls off as a Gaussian of the distance to the way; the
transition prefers staying on a way and moving along it as far as the GPS moved. We simplify their route
distance to the straight distance between projected points and add a penalty for changing ways (smaller when
the two ways share a node). One extra state, "off the map", takes positions with no way near (unknown).
Everything runs on numpy arrays; the only Python loop is Viterbi's, over decimated positions.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from stridewise.geo import EARTH_RADIUS_M, cumulative_distance_m
from stridewise.store import MapSegments
from stridewise.surface.classes import CLASS_CODE, CLASSES, UNKNOWN

# GPS error of a running watch or phone: 3-10 m standard deviation in the open, more under trees and between
# buildings (Newson & Krumm measured 4.07 m on car GPS; wrist devices are worse).
SIGMA_M: Final = 7.0
# Ways farther than this from a position are not candidates for it: about four sigmas.
CANDIDATE_RADIUS_M: Final = 30.0
# Nearest segments kept per position (several segments of one way may be among them near a bend).
MAX_CANDIDATES: Final = 8
# Positions are thinned to one every this many metres of track: denser adds time, not accuracy.
STEP_M: Final = 15.0
# Scale of the transition's "moved as far on the map as on the GPS" term (Newson & Krumm's beta, order of metres).
BETA_M: Final = 5.0
# Log-probability costs of changing state between consecutive positions.
CONNECTED_WAY_COST: Final = 2.0  # onto a way that shares a node with the current one (a turn at a junction)
OTHER_WAY_COST: Final = 6.0  # onto a way that does not touch it (a jump between parallel ways)
OFF_MAP_COST: Final = 4.0  # leaving the map, or coming back onto it
# Emission of the off-map state: as likely as a way at the candidate radius.
OFF_MAP_LOG_EMISSION: Final = -0.5 * (CANDIDATE_RADIUS_M / SIGMA_M) ** 2
# Positions per block when searching candidates (keeps the distance matrices small).
_BLOCK: Final = 16
# Raw positions per box when fetching segments from the store (about 250 m of a 1 Hz run).
_BOX_POSITIONS: Final = 256
_M_PER_DEG: Final = math.pi * EARTH_RADIUS_M / 180


def search_boxes(lat: np.ndarray, lon: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Boxes (min_lat, min_lon, max_lat, max_lon) around blocks of the track, for fetching nearby segments."""
    keep = np.isfinite(lat) & np.isfinite(lon)
    lat, lon = lat[keep], lon[keep]
    pad_lat = CANDIDATE_RADIUS_M / _M_PER_DEG
    boxes = []
    for start in range(0, lat.size, _BOX_POSITIONS):
        la, lo = lat[start:start + _BOX_POSITIONS], lon[start:start + _BOX_POSITIONS]
        pad_lon = pad_lat / max(math.cos(math.radians(float(np.abs(la).max()))), 0.01)
        boxes.append((float(la.min()) - pad_lat, float(lo.min()) - pad_lon,
                      float(la.max()) + pad_lat, float(lo.max()) + pad_lon))
    return boxes


def match_track(lat: np.ndarray, lon: np.ndarray, segments: MapSegments) -> dict[str, float] | None:
    """Metres of the track on each class (classes.CLASSES); None when it has fewer than two positions."""
    keep = np.isfinite(lat) & np.isfinite(lon)
    lat, lon = np.asarray(lat, dtype=float)[keep], np.asarray(lon, dtype=float)[keep]
    if lat.size < 2:
        return None
    along = cumulative_distance_m(lat, lon)
    picks = np.unique(np.concatenate((np.searchsorted(along, np.arange(0.0, along[-1], STEP_M)), [lat.size - 1])))
    lat0, lon0 = float(lat.mean()), float(lon.mean())
    scale_x = _M_PER_DEG * math.cos(math.radians(lat0))
    px, py = (lon[picks] - lon0) * scale_x, (lat[picks] - lat0) * _M_PER_DEG
    ax, ay = (segments.lon_a - lon0) * scale_x, (segments.lat_a - lat0) * _M_PER_DEG
    bx, by = (segments.lon_b - lon0) * scale_x, (segments.lat_b - lat0) * _M_PER_DEG
    if len(segments) == 0:
        states = np.full(picks.size, -1, dtype=np.int64)
    else:
        seg, dist, qx, qy = _candidates(px, py, ax, ay, bx, by)
        states = _viterbi(seg, dist, qx, qy, px, py, segments)
    classes = np.full(states.size, CLASS_CODE[UNKNOWN], dtype=np.int64)
    on_map = states >= 0
    classes[on_map] = segments.surface[states[on_map]]
    # Each stretch between two kept positions counts half to the class of either end.
    stretch = np.diff(along[picks])
    metres = np.bincount(classes[:-1], weights=stretch / 2, minlength=len(CLASSES))
    metres += np.bincount(classes[1:], weights=stretch / 2, minlength=len(CLASSES))
    return {name: float(metres[code]) for code, name in enumerate(CLASSES)}


def _candidates(px: np.ndarray, py: np.ndarray, ax: np.ndarray, ay: np.ndarray, bx: np.ndarray,
                by: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per position, the nearest segments within the radius: index (-1: none), distance, projected point."""
    n, k = px.size, MAX_CANDIDATES
    seg = np.full((n, k), -1, dtype=np.int64)
    dist = np.full((n, k), np.inf)
    qx, qy = np.zeros((n, k)), np.zeros((n, k))
    lo_x, hi_x = np.minimum(ax, bx) - CANDIDATE_RADIUS_M, np.maximum(ax, bx) + CANDIDATE_RADIUS_M
    lo_y, hi_y = np.minimum(ay, by) - CANDIDATE_RADIUS_M, np.maximum(ay, by) + CANDIDATE_RADIUS_M
    for start in range(0, n, _BLOCK):
        x, y = px[start:start + _BLOCK, None], py[start:start + _BLOCK, None]
        near = np.flatnonzero((hi_x >= x.min()) & (lo_x <= x.max()) & (hi_y >= y.min()) & (lo_y <= y.max()))
        if near.size == 0:
            continue
        dx, dy = bx[near] - ax[near], by[near] - ay[near]
        length2 = np.maximum(dx * dx + dy * dy, 1e-9)
        t = np.clip(((x - ax[near]) * dx + (y - ay[near]) * dy) / length2, 0.0, 1.0)
        cx, cy = ax[near] + t * dx, ay[near] + t * dy
        d = np.hypot(x - cx, y - cy)
        d[d > CANDIDATE_RADIUS_M] = np.inf
        take = min(k, near.size)
        rows = np.arange(d.shape[0])[:, None]
        order = d.argpartition(take - 1, axis=1)[:, :take] if near.size > take else np.broadcast_to(
            np.arange(take), d.shape)
        order = np.take_along_axis(order, d[rows, order].argsort(axis=1), axis=1)
        block = slice(start, start + d.shape[0])
        dist[block, :take] = d[rows, order]
        found = np.isfinite(dist[block, :take])
        seg[block, :take] = np.where(found, near[order], -1)
        qx[block, :take], qy[block, :take] = cx[rows, order], cy[rows, order]
    return seg, dist, qx, qy


def _viterbi(seg: np.ndarray, dist: np.ndarray, qx: np.ndarray, qy: np.ndarray, px: np.ndarray, py: np.ndarray,
             segments: MapSegments) -> np.ndarray:
    """The most likely segment per position (-1: off the map)."""
    n, k = seg.shape
    # State k (the last column) is "off the map".
    emission = np.concatenate((-0.5 * (dist / SIGMA_M) ** 2, np.full((n, 1), OFF_MAP_LOG_EMISSION)), axis=1)
    transition = _transitions(seg, qx, qy, px, py, segments)
    score = emission[0].copy()
    back = np.zeros((n, k + 1), dtype=np.int64)
    columns = np.arange(k + 1)
    for i in range(1, n):  # numpy methods, not functions: this loop runs once per kept position
        total = transition[i - 1] + score[:, None]
        best = total.argmax(axis=0)
        back[i] = best
        score = total[best, columns] + emission[i]
    states = np.empty(n, dtype=np.int64)
    states[-1] = int(score.argmax())
    for i in range(n - 1, 0, -1):
        states[i - 1] = back[i, states[i]]
    chosen = np.concatenate((seg, np.full((n, 1), -1)), axis=1)
    return np.asarray(chosen[np.arange(n), states])


def _transitions(seg: np.ndarray, qx: np.ndarray, qy: np.ndarray, px: np.ndarray, py: np.ndarray,
                 segments: MapSegments) -> np.ndarray:
    """Log-probabilities (n-1, k+1, k+1) of moving from each state at one position to each at the next."""
    n, k = seg.shape
    ways, way = np.unique(np.where(seg >= 0, segments.way_id[np.maximum(seg, 0)], -1), return_inverse=True)
    way = way.reshape(seg.shape)  # index into ways; ways[0] is -1 where a slot has no candidate
    linked = _linked_ways(ways, segments)
    wa, wb = way[:-1, :, None], way[1:, None, :]
    moved_map = np.hypot(qx[1:, None, :] - qx[:-1, :, None], qy[1:, None, :] - qy[:-1, :, None])
    moved_gps = np.hypot(np.diff(px), np.diff(py))[:, None, None]
    log_p = -np.abs(moved_map - moved_gps) / BETA_M
    same = wa == wb
    joined = linked[wa, wb]
    log_p -= np.where(same, 0.0, np.where(joined, CONNECTED_WAY_COST, OTHER_WAY_COST))
    out = np.full((n - 1, k + 1, k + 1), -OFF_MAP_COST)
    out[:, :k, :k] = log_p
    out[:, k, k] = 0.0  # slots without a candidate have an emission of -inf: no need to mask them here
    return out


def _linked_ways(ways: np.ndarray, segments: MapSegments) -> np.ndarray:
    """(w, w) booleans: whether two of ``ways`` (sorted OSM ids) share a node."""
    take = np.isin(segments.way_id, ways)
    way = np.searchsorted(ways, segments.way_id[take])
    pairs = np.unique(np.column_stack((np.concatenate((segments.node_a[take], segments.node_b[take])),
                                       np.concatenate((way, way)))), axis=0)  # (node, way) sorted by node
    linked = np.zeros((ways.size, ways.size), dtype=bool)
    shift = 1
    while shift < len(pairs):
        same = pairs[shift:, 0] == pairs[:-shift, 0]  # a node shared by the way here and the one shift rows up
        if not same.any():
            break
        x, y = pairs[shift:, 1][same], pairs[:-shift, 1][same]
        linked[x, y] = linked[y, x] = True
        shift += 1
    return linked
