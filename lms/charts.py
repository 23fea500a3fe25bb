"""Server-rendered SVG charts (no JavaScript): accessible (role="img", <title>, <desc>) and always paired with a
table of the same figures in the template. Suppressed figures are not drawn; they show as "< 5" or "s"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from lms.smallnumbers import Figure

PALETTE = ("#000091", "#c9191e")  # Marianne blue, red — contrast ≥ 4.5:1 on white


def _n(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class Series:
    name: str
    figures: Sequence[Figure]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    percent: bool = False,
) -> SafeString:
    """Vertical grouped bars, one group per label."""
    width, height, left, bottom, top = 640, 240, 40, 40, 10
    plot_h = height - bottom - top
    values = [f.shown_value or 0 for s in series for f in s.figures]
    peak = 1.0 if percent else max([*values, 1])
    group_w = (width - left) / max(len(labels), 1)
    bar_w = max(2.0, (group_w - 6) / max(len(series), 1))
    parts: list[str] = []
    for si, s in enumerate(series):
        colour = PALETTE[si % len(PALETTE)]
        for li, fig in enumerate(s.figures):
            x = left + li * group_w + 3 + si * bar_w
            if fig.suppressed:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="9" text-anchor="middle" fill="#3a3a3a">{}</text>',
                        _n(x + bar_w / 2),
                        _n(height - bottom - 4),
                        fig.display,
                    )
                )
                continue
            h = plot_h * (fig.shown_value or 0) / peak
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} – {}: {}</title></rect>',
                    _n(x),
                    _n(height - bottom - h),
                    _n(bar_w - 1),
                    _n(h),
                    colour,
                    s.name,
                    labels[li],
                    fig.display,
                )
            )
    axis_labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
        ((_n(left + i * group_w + group_w / 2), _n(height - bottom + 14), label) for i, label in enumerate(labels)),
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="11">{}</text>',
        (
            (left + i * 160, height - 14, PALETTE[i % len(PALETTE)], left + i * 160 + 14, height - 5, s.name)
            for i, s in enumerate(series)
        ),
    )
    top_label = "100 %" if percent else str(int(peak))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="{l}" y1="{t}" x2="{l}" y2="{base}" stroke="#666"/>'
        '<line x1="{l}" y1="{base}" x2="{w}" y2="{base}" stroke="#666"/>'
        '<text x="{lt}" y="{ty}" font-size="10" text-anchor="end">{top}</text>'
        '<text x="{lt}" y="{base}" font-size="10" text-anchor="end">0</text>'
        "{bars}{axis}{legend}</svg>",
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        l=left,
        t=top,
        base=height - bottom,
        lt=left - 4,
        ty=top + 8,
        top=top_label,
        bars=mark_safe("".join(parts)),  # noqa: S308 - each part built with format_html
        axis=axis_labels,
        legend=legend,
    )
