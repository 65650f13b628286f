"""A laid-out poster sheet (``poster_shapes.Sheet``) written as SVG: text as ``<text>``/``<tspan>``, faces,
curves and stars as shapes, every coordinate in millimetres, every text escaped."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from klantreis_tui.formats.poster_shapes import INK, SHEET_H, SHEET_W, Curve, Face, Line, Rect, Sheet, Star, TextBox
from klantreis_tui.models.palette import DESIRED, MOMENT, score_colour

FONT = "Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif"


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: stable output for the snapshots."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(box: TextBox) -> str:
    attrs = [f'x="{num(box.x)}"', f'y="{num(box.y)}"', f'font-size="{num(box.size)}"', f'fill="{box.fill}"']
    if box.bold:
        attrs.append('font-weight="bold"')
    if box.italic:
        attrs.append('font-style="italic"')
    if box.anchor != "start":
        attrs.append(f'text-anchor="{box.anchor}"')
    if box.spacing:
        attrs.append(f'letter-spacing="{num(box.spacing)}"')
    attrs.append(f'class="{box.role}"')
    if len(box.lines) == 1:
        return f"<text {' '.join(attrs)}>{escape(box.lines[0])}</text>"
    spans = "".join(
        f'<tspan x="{num(box.x)}" y="{num(box.y + i * box.line_height)}">{escape(line)}</tspan>'
        for i, line in enumerate(box.lines)
    )
    return f"<text {' '.join(attrs)}>{spans}</text>"


def _rect(r: Rect) -> str:
    parts = [f'x="{num(r.x)}" y="{num(r.y)}" width="{num(r.w)}" height="{num(r.h)}"']
    if r.rx:
        parts.append(f'rx="{num(r.rx)}"')
    parts.append(f'fill="{r.fill}"')
    if r.stroke != "none":
        parts.append(f'stroke="{r.stroke}" stroke-width="{num(r.stroke_width)}"')
    if r.dash:
        parts.append(f'stroke-dasharray="{r.dash}"')
    if r.role:
        parts.append(f'class="{r.role}"')
    return f"<rect {' '.join(parts)}/>"


def _line(line: Line) -> str:
    dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
    role = f' class="{line.role}"' if line.role else ""
    return (
        f'<line x1="{num(line.x1)}" y1="{num(line.y1)}" x2="{num(line.x2)}" y2="{num(line.y2)}" '
        f'stroke="{line.stroke}" stroke-width="{num(line.width)}" stroke-linecap="round"{dash}{role}/>'
    )


def _face(face: Face) -> str:
    """A round face: colour by the (nearest) score, two eyes, a mouth that smiles or frowns with the score."""
    cx, cy, r = face.cx, face.cy, face.r
    data = f'data-score="{num(face.score)}"' + (f' data-step="{face.step}"' if face.step else "")
    if face.role == "desired":
        return (
            f'<circle class="desired-point" cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" fill="#ffffff" '
            f'stroke="{DESIRED}" stroke-width="0.45" {data}/>'
        )
    parts = [f'<g class="face {face.role}" {data}>']
    if face.moment:
        parts.append(f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r + 0.75)}" fill="none" stroke="{MOMENT}" stroke-width="0.45"/>')
    parts.append(
        f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" fill="{score_colour(face.score)}" stroke="#ffffff" stroke-width="{num(max(0.2, r * 0.12))}"/>'
    )
    if r >= 1.1:
        eye_r = max(0.12, r * 0.1)
        for dx in (-0.34, 0.34):
            parts.append(f'<circle cx="{num(cx + dx * r)}" cy="{num(cy - 0.2 * r)}" r="{num(eye_r)}" fill="{INK}"/>')
        mood = max(-1.0, min(1.0, face.score / 2))
        mouth_y = cy + 0.3 * r
        corner = mouth_y - mood * 0.14 * r
        control = mouth_y + mood * 0.32 * r
        parts.append(
            f'<path d="M{num(cx - 0.42 * r)} {num(corner)} Q{num(cx)} {num(control)} {num(cx + 0.42 * r)} {num(corner)}" '
            f'fill="none" stroke="{INK}" stroke-width="{num(max(0.15, r * 0.11))}" stroke-linecap="round"/>'
        )
    parts.append("</g>")
    return "".join(parts)


def _star(star: Star) -> str:
    points = []
    for i in range(10):
        radius = star.r if i % 2 == 0 else star.r * 0.45
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(f"{num(star.cx + radius * math.cos(angle))},{num(star.cy + radius * math.sin(angle))}")
    return f'<polygon class="{star.role}" points="{" ".join(points)}" fill="{star.fill}" stroke="#ffffff" stroke-width="0.2"/>'


def smooth_path(points: tuple[tuple[float, float], ...]) -> str:
    """A path through every point, smooth, never above or below its neighbours between two of them (monotone
    cubic interpolation: a curve between +1 and +2 does not bulge past +2)."""
    if len(points) < 3:
        return "M" + " L".join(f"{num(x)} {num(y)}" for x, y in points)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    n = len(points)
    slopes = [(ys[i + 1] - ys[i]) / ((xs[i + 1] - xs[i]) or 1e-9) for i in range(n - 1)]
    tangents = [slopes[0]] + [
        0.0 if slopes[i - 1] * slopes[i] <= 0 else (slopes[i - 1] + slopes[i]) / 2 for i in range(1, n - 1)
    ] + [slopes[-1]]
    for i, slope in enumerate(slopes):
        if slope == 0:
            tangents[i] = tangents[i + 1] = 0.0
            continue
        a, b = tangents[i] / slope, tangents[i + 1] / slope
        if a * a + b * b > 9:
            tau = 3 / math.sqrt(a * a + b * b)
            tangents[i], tangents[i + 1] = tau * a * slope, tau * b * slope
    parts = [f"M{num(xs[0])} {num(ys[0])}"]
    for i in range(n - 1):
        dx = (xs[i + 1] - xs[i]) / 3
        parts.append(
            f"C{num(xs[i] + dx)} {num(ys[i] + tangents[i] * dx)} {num(xs[i + 1] - dx)} "
            f"{num(ys[i + 1] - tangents[i + 1] * dx)} {num(xs[i + 1])} {num(ys[i + 1])}"
        )
    return " ".join(parts)


def _curve(curve: Curve) -> str:
    dash = f' stroke-dasharray="{curve.dash}"' if curve.dash else ""
    points = " ".join(f"{num(x)},{num(y)}" for x, y in curve.points)
    return (
        f'<path class="curve {curve.role}" d="{smooth_path(curve.points)}" fill="none" stroke="{curve.stroke}" '
        f'stroke-width="{num(curve.width)}" stroke-linejoin="round" stroke-linecap="round"{dash} data-points="{points}"/>'
    )


def sheet_svg(sheet: Sheet, title: str, declaration: bool = True) -> str:
    """The sheet as a standalone SVG document (``declaration``: with the XML declaration; inline in HTML without)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>'] if declaration else []
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{num(SHEET_W)}mm" height="{num(SHEET_H)}mm" '
        f'viewBox="0 0 {num(SHEET_W)} {num(SHEET_H)}" font-family="{FONT}" role="img" aria-label={quoteattr(title)} '
        f'data-sheet="{sheet.number}" data-sheets="{sheet.count}">'
    )
    out.append(f"<title>{escape(title)}</title>")
    out.append(f'<rect width="{num(SHEET_W)}" height="{num(SHEET_H)}" fill="#ffffff"/>')
    out.append('<g class="shapes">')
    out.extend(_rect(r) for r in sheet.rects)
    out.extend(_line(line) for line in sheet.lines)
    out.append("</g>")
    out.append('<g class="heartbeat">')
    out.extend(_curve(c) for c in sheet.curves)
    out.extend(_face(f) for f in sheet.faces)
    out.extend(_star(s) for s in sheet.stars)
    out.append("</g>")
    out.append(f'<g class="texts" font-family="{FONT}">')  # on the group too: some importers do not inherit from the root
    out.extend(_text(t) for t in sheet.texts)
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
