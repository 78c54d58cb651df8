"""A radar chart drawn on the server as SVG: readable without JavaScript, printable, no CDN.

The page also hands the same numbers to ECharts (``static/indexing/radar.js``) when the vendored
``echarts.min.js`` is present; the SVG stays as the fallback and for printing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700")


def radar_svg(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, size: int = 360
) -> SafeString:
    """``series`` are (name, shares in [0, 1] per label); every text is escaped."""
    n = len(labels)
    if n < 3:
        return mark_safe("")  # a radar needs three axes; the table beside it shows the figures
    centre, radius = size / 2, size / 2 - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        f'class="radar" width="{size}" height="{size}">'
    ]

    def point(i: int, r: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    for ring in (0.25, 0.5, 0.75, 1.0):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, radius * ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ccc"/>')
    for i, label in enumerate(labels):
        x, y = point(i, radius)
        lx, ly = point(i, radius + 18)
        anchor = "middle" if abs(lx - centre) < 5 else ("start" if lx > centre else "end")
        parts.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="10" text-anchor="{anchor}">'
            f"{escape(label[:28])}</text>"
        )
    for k, (name, shares) in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        pts = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (point(i, radius * max(0.0, min(1.0, s))) for i, s in enumerate(shares))
        )
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.2" stroke="{colour}">'
            f"<title>{escape(name)}</title></polygon>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()
