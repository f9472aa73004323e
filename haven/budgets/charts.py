"""Server-side charts as inline SVG: matplotlib's Agg/SVG backends, the shipped DejaVu font, no network.

Every chart on a page also has a table with the same numbers (the text alternative).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

FONTS = Path(__file__).resolve().parent.parent / "entitlements" / "fonts"
BRAND, ACCENT, MUTED, WARN = "#1f5d7a", "#2f8f6b", "#8a97a3", "#b5651d"


@lru_cache(maxsize=1)
def _font() -> str:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font_manager.fontManager.addfont(str(FONTS / name))
    matplotlib.rcParams["svg.fonttype"] = "path"  # glyphs drawn from the shipped font, never fetched
    matplotlib.rcParams["svg.hashsalt"] = "haven"  # stable ids: the same data gives the same SVG
    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    return "DejaVu Sans"


def _svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    start = text.find("<svg")
    svg = text[start:]
    # Accessible inline SVG: a role and a title; the XML prologue and DOCTYPE cannot be inline.
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = re.sub(r"<svg ", f'<svg role="img" aria-label="{safe_title.replace(chr(34), "&quot;")}" ', svg, count=1)
    return svg.replace(">", f"><title>{safe_title}</title>", 1)


def _dong(value: float, _pos: object = None) -> str:
    if abs(value) >= 1e9:
        return f"{value / 1e9:.1f} tỷ".replace(".", ",")
    if abs(value) >= 1e6:
        return f"{value / 1e6:.0f} tr"
    return f"{value:,.0f}".replace(",", ".")


def _figure() -> tuple[Figure, object]:
    _font()
    figure = Figure(figsize=(8, 3.4), dpi=100)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#e3e8ec", linewidth=0.8)
    axes.set_axisbelow(True)
    return figure, axes


def spending_chart(month_labels: Sequence[str], monthly: Sequence[int], estimate: int, *, title: str,
                   spent_label: str, cumulative_label: str, estimate_label: str) -> str:
    """Bars of approved spending by month, the running total, and the year's estimate."""
    figure, axes = _figure()
    positions = list(range(len(monthly)))
    axes.bar(positions, monthly, color=ACCENT, label=spent_label)  # type: ignore[attr-defined]
    running, total = [], 0
    for amount in monthly:
        total += amount
        running.append(total)
    axes.plot(positions, running, color=BRAND, marker="o", linewidth=2, label=cumulative_label)  # type: ignore[attr-defined]
    if estimate:
        axes.axhline(estimate, color=WARN, linestyle="--", linewidth=1.5, label=estimate_label)  # type: ignore[attr-defined]
    axes.set_xticks(positions, month_labels)  # type: ignore[attr-defined]
    axes.yaxis.set_major_formatter(FuncFormatter(_dong))  # type: ignore[attr-defined]
    axes.legend(frameon=False, fontsize=8, loc="upper left")  # type: ignore[attr-defined]
    return _svg(figure, title)


def fan_chart(history: Sequence[tuple[str, int | None]], forecast: Sequence[tuple[str, float, int, int, int, int]],
              *, title: str, observed_label: str, mean_label: str, band80_label: str, band95_label: str) -> str:
    """Observed monthly intake, then the forecast mean with its 80% and 95% prediction bands."""
    figure, axes = _figure()
    n = len(history)
    xs_hist = [i for i, (_, c) in enumerate(history) if c is not None]
    axes.plot(xs_hist, [history[i][1] for i in xs_hist], color=MUTED, marker=".", linewidth=1.2,  # type: ignore[attr-defined]
              label=observed_label)
    xs = [n + i for i in range(len(forecast))]
    axes.fill_between(xs, [f[4] for f in forecast], [f[5] for f in forecast], color=BRAND, alpha=0.15,  # type: ignore[attr-defined]
                      step="mid", label=band95_label)
    axes.fill_between(xs, [f[2] for f in forecast], [f[3] for f in forecast], color=BRAND, alpha=0.3,  # type: ignore[attr-defined]
                      step="mid", label=band80_label)
    axes.plot(xs, [f[1] for f in forecast], color=BRAND, linewidth=2, label=mean_label)  # type: ignore[attr-defined]
    labels = [label for label, _ in history] + [f[0] for f in forecast]
    ticks = list(range(0, len(labels), 6))
    axes.set_xticks(ticks, [labels[i] for i in ticks], fontsize=8)  # type: ignore[attr-defined]
    axes.set_ylim(bottom=0)  # type: ignore[attr-defined]
    axes.legend(frameon=False, fontsize=8, loc="upper left")  # type: ignore[attr-defined]
    return _svg(figure, title)


def adequacy_chart(lines: Sequence[tuple[str, Sequence[tuple[int, int]]]], *, title: str) -> str:
    """Real value of fixed amounts over time, as a percentage of their value when they were set."""
    figure, axes = _figure()
    for label, points in lines:
        if not points:
            continue
        start = points[0][1] or 1
        axes.plot([p[0] for p in points], [100 * p[1] / start for p in points], marker="o", linewidth=1.5,  # type: ignore[attr-defined]
                  label=label)
    axes.axhline(100, color=MUTED, linewidth=0.8)  # type: ignore[attr-defined]
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%"))  # type: ignore[attr-defined]
    axes.legend(frameon=False, fontsize=7, loc="lower left")  # type: ignore[attr-defined]
    return _svg(figure, title)
