"""Shared server-side charts as inline SVG (matplotlib Agg/SVG, the shipped DejaVu font, no network).

The same SVG goes into pages and PDFs. Every chart also has a table with the same numbers (the text
alternative). Hidden cells (None) are drawn as gaps, never as zero.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

FONTS = Path(__file__).resolve().parent.parent / "entitlements" / "fonts"
PALETTE = ("#1f5d7a", "#2f8f6b", "#b5651d", "#8a97a3", "#7a3f6b", "#c9a227", "#4b7bb5", "#5c5c5c")


@lru_cache(maxsize=1)
def font() -> str:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font_manager.fontManager.addfont(str(FONTS / name))
    matplotlib.rcParams["svg.fonttype"] = "path"  # glyphs drawn from the shipped font, never fetched
    matplotlib.rcParams["svg.hashsalt"] = "haven"  # stable ids: the same data gives the same SVG
    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    return "DejaVu Sans"


def figure(width: float = 8, height: float = 3.4) -> tuple[Figure, Any]:
    font()
    fig = Figure(figsize=(width, height), dpi=100)
    axes = fig.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#e3e8ec", linewidth=0.8)
    axes.set_axisbelow(True)
    return fig, axes


def to_svg(fig: Figure, title: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    svg = text[text.find("<svg"):]
    # Accessible inline SVG: a role and a title; the XML prologue and DOCTYPE cannot be inline.
    safe = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = re.sub(r"<svg ", f'<svg role="img" aria-label="{safe.replace(chr(34), "&quot;")}" ', svg, count=1)
    return svg.replace(">", f"><title>{safe}</title>", 1)


def grouped_bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]], *, title: str,
                 hidden_label: str = "") -> str:
    """Bars per category, one colour per series; a hidden value (None) leaves a marked gap."""
    fig, axes = figure()
    n = max(len(series), 1)
    width = 0.8 / n
    hidden_x = []
    for s, (name, values) in enumerate(series):
        xs = [i - 0.4 + width * (s + 0.5) for i in range(len(labels))]
        axes.bar([x for x, v in zip(xs, values, strict=True) if v is not None],
                 [v for v in values if v is not None], width=width, color=PALETTE[s % len(PALETTE)], label=name or None)
        hidden_x += [x for x, v in zip(xs, values, strict=True) if v is None]
    if hidden_x:
        axes.scatter(hidden_x, [0] * len(hidden_x), marker="x", color="#b00020", zorder=3, label=hidden_label or None)
    axes.set_xticks(range(len(labels)), [str(label)[:18] for label in labels], fontsize=8, rotation=20, ha="right")
    axes.set_ylim(bottom=0)
    if axes.get_legend_handles_labels()[1]:
        axes.legend(frameon=False, fontsize=8, loc="upper right")
    return to_svg(fig, title)


def lines(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]], *, title: str) -> str:
    """One line per series over the labels (months, years); hidden points break the line."""
    fig, axes = figure()
    for s, (name, values) in enumerate(series):
        ys = [float("nan") if v is None else v for v in values]
        axes.plot(range(len(labels)), ys, marker="o", linewidth=1.8, color=PALETTE[s % len(PALETTE)], label=name)
    step = max(1, len(labels) // 12)
    axes.set_xticks(list(range(0, len(labels), step)), [labels[i] for i in range(0, len(labels), step)], fontsize=8)
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False, fontsize=8, loc="upper left")
    return to_svg(fig, title)
