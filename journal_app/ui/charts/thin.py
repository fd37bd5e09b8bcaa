"""Fewer points where a chart can't show more: a long journal has tens of thousands of
daily ratings on a chart a thousand pixels wide.

Both kinds keep every point's true value (none is averaged or moved), only fewer of them:

* :func:`line_points` keeps, of the points falling in each slice of :data:`SLICE_PX`
  pixels, the first, the last, the lowest and the highest (so the line's shape, its
  peaks and dips and the latest value look as with every point);
* :func:`dot_points` keeps, in each slice of :data:`DOT_SLICE_PX` pixels, one point per
  distinct value (dots of the same value a few pixels apart are drawn on top of each
  other anyway; QtCharts makes an item of each dot).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

SLICE_PX = 2  # a marker is 7 px: two points 2 px apart look the same as one
DOT_SLICE_PX = 4  # dots of one value 4 px apart overlap almost whole (each dot is an item)


def _slices(xs: Sequence[float], x_range: tuple[float, float], width: float,
            size: float = SLICE_PX) -> list[int]:
    low, high = x_range
    count = max(1, int(width / size))
    scale = count / (high - low) if high > low else 0.0
    return [min(count - 1, max(0, int((x - low) * scale))) for x in xs]


def line_points(items: Sequence[T], xs: Sequence[float], ys: Sequence[float],
                x_range: tuple[float, float], width: float | None) -> list[T]:
    """``items`` (with their ``xs`` and ``ys``, in time order) a line chart of ``width``
    pixels can show: first, last, lowest and highest of each slice, in time order. All of
    them when the width is unknown or they are few."""
    if not width or width <= 0 or len(items) <= 4 * width / SLICE_PX:
        return list(items)
    keep: set[int] = set()
    slices = _slices(xs, x_range, width)
    start = 0
    for index in range(1, len(items) + 1):
        if index == len(items) or slices[index] != slices[start]:
            span = range(start, index)
            keep.update((start, index - 1, min(span, key=ys.__getitem__),
                         max(span, key=ys.__getitem__)))
            start = index
    return [items[i] for i in sorted(keep)]


def dot_points(items: Sequence[T], xs: Sequence[float], ys: Sequence[float],
               x_range: tuple[float, float], width: float | None) -> list[T]:
    """``items`` a scatter chart of ``width`` pixels can show: in each slice, the first
    point of each value, and always the last point; in time order."""
    if not width or width <= 0 or len(items) <= width / DOT_SLICE_PX:
        return list(items)
    seen: set[tuple[int, float]] = set()
    kept = []
    slices = _slices(xs, x_range, width, DOT_SLICE_PX)
    for index, (slice_, y) in enumerate(zip(slices, ys, strict=True)):
        if (slice_, y) not in seen or index == len(items) - 1:
            seen.add((slice_, y))
            kept.append(items[index])
    return kept
