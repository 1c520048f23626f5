"""The documents of a survey period: the official SKM report (tables and charts) and the one-page poster
that publishes the result, on A4 by WeasyPrint; their charts are SVG drawn here (no JavaScript in a PDF);
and the QR codes that lead citizens to the questionnaire.

Like the performance documents they are always in Indonesian: they are published by the agency."""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from performance.documents import date_range, tanggal
from publicservice import feedback, rules
from publicservice.models import SurveyCampaign

GRADE_COLOURS = {"A": "#1b7f3b", "B": "#0b4f6c", "C": "#c77c02", "D": "#b3261e"}


def _num(value, places: int = 2) -> str:
    """A number as Indonesian documents write it: a decimal comma."""
    return f"{float(value):.{places}f}".replace(".", ",")


def bar_svg(bars: list[tuple[str, float, bool]], *, top: float = 4, width: int = 520, height: int = 230) -> SafeString:
    """Vertical bars (label, value, highlighted) on a 0–top scale, values written above the bars."""
    left, bottom, pad_top = 34, 28, 14
    plot_w, plot_h = width - left - 8, height - bottom - pad_top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    parts.append('<g font-family="Liberation Sans, sans-serif" font-size="10">')
    for tick in range(int(top) + 1):
        y = pad_top + plot_h - plot_h * tick / top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="#ccc" stroke-width="0.6"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 3:.1f}" text-anchor="end">{tick}</text>')
    slot = plot_w / max(1, len(bars))
    for i, (label, value, hot) in enumerate(bars):
        h = plot_h * max(0.0, min(value, top)) / top
        x = left + i * slot + slot * 0.18
        y = pad_top + plot_h - h
        colour = "#b3261e" if hot else "#0b4f6c"
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.64:.1f}" height="{h:.1f}" fill="{colour}"/>')
        cx = left + i * slot + slot / 2
        parts.append(f'<text x="{cx:.1f}" y="{y - 3:.1f}" text-anchor="middle">{escape(_num(value, 2))}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{height - 10}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped labels only


def line_svg(
    points: list[tuple[str, float | None]], *, low: float = 25, high: float = 100, width: int = 520, height: int = 220
) -> SafeString:
    """A line through the values (gaps for None) on a low–high scale, with the grade floors dashed."""
    left, bottom, pad_top, right = 34, 30, 14, 16
    plot_w, plot_h = width - left - right, height - bottom - pad_top

    def y_of(v: float) -> float:
        return pad_top + plot_h - plot_h * (v - low) / (high - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    parts.append('<g font-family="Liberation Sans, sans-serif" font-size="10">')
    for tick in range(int(low), int(high) + 1, 25):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ccc" stroke-width="0.6"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y + 3:.1f}" text-anchor="end">{tick}</text>')
    for floor, _ni, letter, _label in rules.GRADES[:-1]:
        y = y_of(float(floor))
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRADE_COLOURS[letter]}" '
            'stroke-width="0.6" stroke-dasharray="3,3"/>'
        )
        parts.append(f'<text x="{width - right + 2}" y="{y + 3:.1f}" fill="{GRADE_COLOURS[letter]}">{letter}</text>')
    slot = plot_w / max(1, len(points))
    coords = []
    for i, (label, value) in enumerate(points):
        x = left + slot * (i + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle">{escape(label[:22])}</text>')
        if value is None:
            coords.append(None)
            continue
        y = y_of(value)
        coords.append((x, y))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0b4f6c"/>')
        parts.append(f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle">{escape(_num(value, 2))}</text>')
    segment: list[tuple[float, float]] = []
    for c in [*coords, None]:
        if c is None:
            if len(segment) > 1:
                pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                parts.append(f'<polyline points="{pts}" fill="none" stroke="#0b4f6c" stroke-width="1.5"/>')
            segment = []
        else:
            segment.append(c)
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped labels only


# --- QR codes ---------------------------------------------------------------------------------------------


def qr_png(url: str) -> bytes:
    import qrcode

    out = io.BytesIO()
    qrcode.make(url, box_size=10, border=2).save(out)
    return out.getvalue()


def qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    return qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2).to_string(
        encoding="unicode"
    )


# --- The report and the poster ----------------------------------------------------------------------------


def _render(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only the document pages need.
    import weasyprint

    with translation.override("id"):
        html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _context(campaign: SurveyCampaign) -> dict:
    summary = feedback.campaign_summary(campaign)
    return {
        "campaign": campaign,
        "unit": campaign.unit,
        "agency": campaign.unit.agency,
        "summary": summary,
        "result": summary.result,
        "period_text": date_range(campaign.starts_on, campaign.ends_on),
        "today": tanggal(timezone.localdate()),
        "colour": GRADE_COLOURS.get(summary.result.grade[0], "#333") if summary.result else "#333",
    }


def report_pdf(campaign: SurveyCampaign) -> bytes:
    """The official report of a survey period: how it was run, who answered, NRR per unsur, IKM and grade,
    results per desk, the weakest unsur and their action plans, the trend across periods, suggestions."""
    ctx = _context(campaign)
    summary = ctx["summary"]
    trend = feedback.unit_trend(campaign.unit)
    ctx.update(
        {
            "profile": feedback.respondent_profile(campaign),
            "points": feedback.point_summaries(campaign),
            "trend": trend,
            "nrr_chart": bar_svg([(r.code, float(r.nrr), r.weak) for r in summary.rows]) if summary.rows else "",
            "trend_chart": line_svg([(c.name, float(r.converted) if r else None) for c, r in trend])
            if any(r for _c, r in trend)
            else "",
            "plans": list(campaign.action_plans.select_related("owner").order_by("due")),
            "suggestions": list(
                campaign.responses.exclude(suggestion="")
                .order_by("created_at")
                .values_list("suggestion", flat=True)[:100]
            ),
            "weight": "1/9" if campaign.weighting == rules.EXACT else "0,11",
            "grades": rules.GRADES,
        }
    )
    return _render("publicservice/survey/report_pdf.html", ctx)


def poster_pdf(campaign: SurveyCampaign) -> bytes:
    """One A4 page that publishes the result: the grade letter, the IKM, the period, the unit, and thanks."""
    return _render("publicservice/survey/poster_pdf.html", _context(campaign))
