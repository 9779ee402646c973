"""The /stats bar chart: completion and on-time rate per department and per leader, as PNG.

matplotlib is imported here, inside the functions, so the bot starts without it. Chinese labels
are drawn with Noto Sans CJK SC from the `mplfonts` wheel: a font every `pip install` brings,
rather than whatever the machine happens to have (often nothing, and then every label is boxes).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import textwrap
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.i18n import t
from plans.bulletin import Bulletin
from plans.summary import GroupStats, MonthStats, layout_for, month_label

if TYPE_CHECKING:
    # matplotlib is optional and heavy: imported when a chart is drawn, named here for types.
    from matplotlib.axes import Axes

FONT_PACKAGE = "mplfonts"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
DPI = 100
WIDTH_IN = 10.0
# Per panel: room for its title and axis, plus one band per department or leader.
PANEL_BASE_IN = 1.3
ROW_IN = 0.55
TITLE_IN = 0.6
MAX_HEIGHT_IN = 60.0
LABEL_WIDTH = 12
COMPLETION_COLOUR = "#2b6cb0"
ON_TIME_COLOUR = "#38a169"

# matplotlib's global state (rcParams, the font manager) is not safe across threads.
_LOCK = threading.Lock()


class ChartFontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def font_path() -> Path:
    """The CJK font file; found without importing the package (which imports matplotlib)."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "fonts" / FONT_FILE
        if path.is_file():
            return path
    raise ChartFontMissing(
        f"{FONT_FILE} not found: install the {FONT_PACKAGE} package (pip install -e .)"
    )


@lru_cache(maxsize=1)
def _font_family() -> str:
    from matplotlib import font_manager

    path = str(font_path())
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def _panels(stats: MonthStats) -> list[tuple[str, tuple[GroupStats, ...]]]:
    panels = [
        ("stats.chart.departments", stats.departments),
        ("stats.chart.leaders", stats.leaders),
    ]
    return [(key, groups) for key, groups in panels if groups]


def chart_size(stats: MonthStats) -> tuple[int, int]:
    """The PNG's width and height in pixels: fixed width, one band per bar group."""
    panels = _panels(stats) or [("", (stats.overall,))]
    height = TITLE_IN + sum(PANEL_BASE_IN + ROW_IN * len(groups) for _, groups in panels)
    return round(WIDTH_IN * DPI), round(min(height, MAX_HEIGHT_IN) * DPI)


def _label(name: str) -> str:
    return "\n".join(textwrap.wrap(name, LABEL_WIDTH)) or name


def _percent(value: float | None, locale: str) -> str:
    return t(locale, "stats.no_rate") if value is None else f"{value * 100:.0f}%"


def _draw(axes: Axes, groups: tuple[GroupStats, ...], title: str, locale: str) -> None:
    # Top to bottom in plan order: barh draws from the bottom, so reverse.
    rows = list(reversed(groups))
    positions = list(range(len(rows)))
    height = 0.38
    completion = [g.completion_rate * 100 for g in rows]
    on_time = [(g.on_time_rate or 0) * 100 for g in rows]
    upper = axes.barh(
        [p + height / 2 for p in positions],
        completion,
        height,
        color=COMPLETION_COLOUR,
        label=t(locale, "stats.chart.completion"),
    )
    lower = axes.barh(
        [p - height / 2 for p in positions],
        on_time,
        height,
        color=ON_TIME_COLOUR,
        label=t(locale, "stats.chart.on_time"),
    )
    axes.bar_label(upper, [_percent(g.completion_rate, locale) for g in rows], padding=3)
    axes.bar_label(lower, [_percent(g.on_time_rate, locale) for g in rows], padding=3)
    axes.set_yticks(positions, [_label(g.name) for g in rows])
    axes.set_xlim(0, 115)
    axes.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_title(title, loc="left", fontsize=12)
    axes.spines[["top", "right"]].set_visible(False)


def stats_png(stats: MonthStats, *, locale: str, month: str, title: str | None = None) -> bytes:
    """The chart as PNG bytes, `chart_size(stats)` pixels. Bars in the order `stats` holds
    them (the monthly bulletin passes its departments ranked, and its own `title`)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    everything = dataclasses.replace(stats.overall, name=t(locale, "stats.chart.all"))
    panels = _panels(stats) or [("", (everything,))]
    width, height = chart_size(stats)
    with _LOCK:
        family = _font_family()
        with rc_context(
            {
                "font.family": "sans-serif",
                "font.sans-serif": [family, "DejaVu Sans"],
                "axes.unicode_minus": False,
            }
        ):
            figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
            FigureCanvasAgg(figure)
            grid = figure.add_gridspec(
                len(panels), 1, height_ratios=[max(len(groups), 1) + 2 for _, groups in panels]
            )
            for index, (key, groups) in enumerate(panels):
                title = t(locale, key) if key else ""
                axes = figure.add_subplot(grid[index])
                _draw(axes, groups, title, locale)
            # One legend for both panels, above them, where no bar can hide under it.
            figure.legend(*axes.get_legend_handles_labels(), loc="outside upper right", ncols=2)
            heading = title if title is not None else t(locale, "stats.chart.title", month=month)
            figure.suptitle(heading, fontsize=14)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def bulletin_png(bulletin: Bulletin, *, locale: str) -> bytes:
    """The monthly 通报's chart: this renderer with the departments in ranking order, no
    leaders' panel, and the bulletin's own title."""
    month = month_label(bulletin.year, bulletin.month, layout_for(locale))
    title = t(locale, "bulletin.chart.title", month=month)
    return stats_png(bulletin.chart_stats(), locale=locale, month=month, title=title)
