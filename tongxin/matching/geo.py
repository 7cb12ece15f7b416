"""Great-circle distances and a 3-D grid for sub-quadratic neighbour search.

Points are represented by unit vectors on the sphere. The grid buckets them
into cubes of a regular 3-D lattice; all points within a great-circle radius
``r`` of a query lie in the cubes at most ``ceil(chord(r) / cell)`` steps away
along each axis, so a neighbourhood query touches only nearby buckets.
This has no trouble with meridians, the date line or the poles.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from ._arrays import IntArray, segment_ranges

FloatArray: TypeAlias = npt.NDArray[np.float64]

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def unit_vectors(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """``(n, 3)`` unit vectors of points given in degrees."""
    la = np.radians(np.asarray(lat, dtype=np.float64))
    lo = np.radians(np.asarray(lon, dtype=np.float64))
    cos_la = np.cos(la)
    return np.stack((cos_la * np.cos(lo), cos_la * np.sin(lo), np.sin(la)), axis=-1)


def chord_of_km(distance_km: float) -> float:
    """Straight-line distance between unit vectors ``distance_km`` apart on the surface."""
    half = min(distance_km / (2.0 * EARTH_RADIUS_KM), math.pi / 2)
    return 2.0 * math.sin(half)


def km_of_chord_squared(chord2: FloatArray) -> FloatArray:
    """Great-circle distance (km) from squared chord lengths of unit vectors."""
    half = np.sqrt(np.clip(chord2, 0.0, 4.0)) * 0.5
    return (2.0 * EARTH_RADIUS_KM) * np.arcsin(np.minimum(half, 1.0))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    a = unit_vectors([lat1, lat2], [lon1, lon2])
    chord2 = float(np.sum((a[0] - a[1]) ** 2))
    return float(km_of_chord_squared(np.array([chord2]))[0])


class Grid:
    """Points bucketed into cubes of side ``cell_km`` (measured as chord length)."""

    def __init__(self, xyz: FloatArray, cell_km: float) -> None:
        if cell_km <= 0:
            raise ValueError("cell_km must be positive")
        self.cell = chord_of_km(cell_km)
        self.base = math.ceil(2.0 / self.cell) + 4
        self.offset = self.base // 2
        codes = self.codes(xyz)
        order = np.argsort(codes, kind="stable").astype(np.int64, copy=False)
        sorted_codes = codes[order]
        first = np.ones(sorted_codes.size, dtype=np.bool_)
        first[1:] = sorted_codes[1:] != sorted_codes[:-1]
        starts = np.flatnonzero(first)
        self.order = order  # point indices, grouped by cell, ascending within a cell
        self.cell_codes = sorted_codes[starts]
        self.cell_starts = starts.astype(np.int64)
        self.cell_counts = np.diff(starts, append=sorted_codes.size).astype(np.int64)

    def coords(self, xyz: FloatArray) -> IntArray:
        """Integer cube coordinates of points."""
        return np.floor(xyz / self.cell).astype(np.int64) + self.offset

    def codes(self, xyz: FloatArray) -> IntArray:
        """One integer code per point for its cube."""
        c = self.coords(xyz)
        b = self.base
        return (c[:, 0] * b + c[:, 1]) * b + c[:, 2]

    def groups(self) -> Iterator[tuple[int, IntArray]]:
        """``(cell code, point indices)`` of every occupied cell."""
        for code, start, count in zip(
            self.cell_codes.tolist(),
            self.cell_starts.tolist(),
            self.cell_counts.tolist(),
            strict=True,
        ):
            yield code, self.order[start : start + count]

    def reach(self, radius_km: float) -> int:
        """Number of cells to search in each direction to cover ``radius_km``."""
        return math.ceil(chord_of_km(radius_km) / self.cell)

    def near(self, code: int, reach: int) -> IntArray:
        """Indices (ascending) of the points in cells within ``reach`` steps of cell ``code``."""
        if not self.cell_codes.size:
            return np.zeros(0, dtype=np.int64)
        b = self.base
        steps = np.arange(-reach, reach + 1, dtype=np.int64)
        offsets = (steps[:, None, None] * b + steps[None, :, None]) * b + steps[None, None, :]
        wanted = code + offsets.ravel()
        pos = np.searchsorted(self.cell_codes, wanted)
        np.minimum(pos, self.cell_codes.size - 1, out=pos)
        pos = pos[self.cell_codes[pos] == wanted]
        found = self.order[segment_ranges(self.cell_starts[pos], self.cell_counts[pos])]
        found.sort()
        return found
