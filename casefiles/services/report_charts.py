"""Bar charts as inline SVG, drawn here rather than by an image service: WeasyPrint draws them
into the report's PDF and the browser into the 统计 page. Only presentation attributes are used
(no ``style``), so the pages' Content-Security-Policy lets them through, and every text is
escaped."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 10, 40, 50  # the plot's margins
FONT = 'font-family="CasefilesSong, Noto Serif CJK SC, Noto Sans CJK SC, sans-serif"'


@dataclass(frozen=True)
class Series:
    """One set of bars: its name in the legend, a value per category, and its colour."""

    name: str
    values: list[Decimal]
    colour: str


def _step(top: Decimal) -> Decimal:
    """A round gridline step that divides ``top`` into at most five parts (1, 2 or 5 × 10ⁿ)."""
    if top <= 0:
        return Decimal(1)
    raw = top / 5
    power = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for factor in (1, 2, 5, 10):
        if power * factor >= raw:
            return power * factor
    return power * 10  # pragma: no cover (10 always reaches raw)


def _label(value: Decimal, money: bool) -> str:
    if money and value != value.to_integral_value():
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def bar_chart(title: str, categories: list[str], series: list[Series],
              money: bool = False) -> Markup:
    """A grouped bar chart: one group per category, one bar per series, each bar labelled with
    its figure; the vertical scale starts at zero."""
    peak = max([v for s in series for v in s.values] + [Decimal(0)])
    step = _step(peak)
    # one step of headroom above the tallest bar, for its label
    top = (peak / step).to_integral_value(rounding=ROUND_FLOOR) * step + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(categories), 1)
    bar = group * 0.8 / max(len(series), 1)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" {FONT}>'),
           f"<title>{escape(title)}</title>",
           (f'<text x="{WIDTH / 2:.0f}" y="18" text-anchor="middle" font-size="15" '
            f'font-weight="bold">{escape(title)}</text>')]
    tick = Decimal(0)
    while tick <= top:
        y = TOP + plot_h - float(tick / top) * plot_h
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="#ccc" stroke-width="0.6"/>')
        out.append(f'<text x="{LEFT - 5}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
                   f'fill="#444">{_label(tick, False)}</text>')
        tick += step
    for i, category in enumerate(categories):
        x0 = LEFT + i * group + group * 0.1
        for j, s in enumerate(series):
            value = s.values[i]
            h = float(value / top) * plot_h
            x, y = x0 + j * bar, TOP + plot_h - h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.92:.1f}" '
                       f'height="{h:.1f}" fill="{s.colour}"><title>{escape(category)} '
                       f'{escape(s.name)}：{_label(value, money)}</title></rect>')
            out.append(f'<text x="{x + bar * 0.46:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                       f'font-size="9">{_label(value, money)}</text>')
        out.append(f'<text x="{LEFT + (i + 0.5) * group:.1f}" y="{TOP + plot_h + 16}" '
                   f'text-anchor="middle" font-size="11">{escape(category)}</text>')
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
               f'y2="{TOP + plot_h}" stroke="#000" stroke-width="1"/>')
    legend_y = HEIGHT - 12
    for j, s in enumerate(series):
        x = LEFT + j * 150
        out.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" '
                   f'fill="{s.colour}"/>')
        out.append(f'<text x="{x + 14}" y="{legend_y}" font-size="11">{escape(s.name)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
