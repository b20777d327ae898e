"""The house style of every figure, the colours of the shared vocabulary, and figure helpers.

Every figure of the package is a :class:`matplotlib.figure.Figure` created without pyplot (so
notebooks show it once, and no global figure state leaks), built inside :data:`STYLE` (the
:func:`styled` decorator), with a title that says what is shown and a footnote naming the data
(:func:`finish`). Nothing in :mod:`analysis.plots` loads data.

Sizes: reports save figures at 200 dpi and show them at their natural size (96 CSS px per
inch), so a point in the figure is a point on the page; every text is at least
:data:`MIN_FONT_PT` (10 pt), which the Reporter checks when it saves a figure.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec

import matplotlib as mpl
from matplotlib.figure import Figure

P = ParamSpec("P")

#: Smallest font size (points) of any text in a figure.
MIN_FONT_PT = 10

#: House style, applied while each figure is built.
STYLE: dict[str, Any] = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
}

#: Colours by cause of death (``un_fatalities.cause``).
CAUSE_COLORS: dict[str, str] = {
    "hostile": "#b2182b",
    "accident": "#ef8a62",
    "illness": "#67a9cf",
    "self_inflicted": "#8c6bb1",
    "other_unknown": "#bdbdbd",
}
#: Colours by organisation type of partner operations.
ORG_COLORS: dict[str, str] = {
    "regional": "#1b9e77",
    "ad_hoc": "#d95f02",
    "eu": "#3a5fcd",
    "nato": "#14315c",
    "bilateral": "#e7298a",
    "pmc": "#525252",
    "UN": "#5b9bd5",
}
#: Colours of the mandate types of :func:`analysis.studies.overview.missions_by_mandate_type`.
MANDATE_COLORS: dict[str, str] = {
    "robust (Chapter VII + PoC)": "#b2182b",
    "Chapter VII, no PoC": "#f4a582",
    "PoC, no Chapter VII": "#92c5de",
    "neither": "#2166ac",
    "not coded": "#d9d9d9",
}
MAIN = "#b2182b"
GREY = "#7f7f7f"
PALETTE = ("#b2182b", "#2166ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")


def styled(func: Callable[P, Figure]) -> Callable[P, Figure]:
    """Decorator: build the figure inside :data:`STYLE` (rc settings apply at drawing time)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with mpl.rc_context(STYLE):  # type: ignore[arg-type]  # (keys are valid rcParams)
            return func(*args, **kwargs)

    return wrapper


def new_figure(
    width: float = 8.0, height: float = 4.2, nrows: int = 1, ncols: int = 1, **kw: Any
) -> tuple[Figure, Any]:
    """A constrained-layout Figure of ``width`` x ``height`` inches and its axes (``subplots`` kwargs)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, **kw)
    return fig, axes


def finish(
    fig: Figure,
    title: str,
    source: str | None,
    *,
    title_size: float = 12,
    source_size: float = 10,
    source_y: float = -0.01,
    wrap: bool = False,
) -> Figure:
    """Put the title (top left) and the ``Data: <source>`` footnote (bottom left) on ``fig``."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=title_size, fontweight="bold")
    if source:
        fig.text(0.01, source_y, f"Data: {source}", ha="left", va="top", fontsize=source_size, color=GREY,
                 wrap=wrap)
    return fig


def year_runs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Contiguous runs of integer years as ``(start, length)``."""
    ys = sorted(int(y) for y in years)
    runs: list[tuple[int, int]] = []
    for y in ys:
        if runs and y == runs[-1][0] + runs[-1][1]:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((y, 1))
    return runs
