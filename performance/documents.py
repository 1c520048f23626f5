"""The official PDF documents of the performance cycle in the layouts of PermenPANRB 6/2022: the SKP and
the evaluation, on A4 with signature blocks, rendered from templates by WeasyPrint.

They are always in Indonesian whatever the reader's interface language: they are the documents the
employee, the assessing official and his superior sign.
"""

import datetime
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

from organization.models import Position
from performance import rules
from performance.choices import Aspect, AssessmentStatus, OrgPredikat, Predikat, Rating, SkpStatus
from performance.models import Assessment, OrgRating, Period, Realization, Rhk, Skp
from personnel.choices import AssignmentKind
from personnel.models import Employee
from personnel.supervision import direct_supervisor

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
DASH = "-"
IDENTITY_LABELS = ("NAMA", "NIP", "PANGKAT/GOL RUANG", "JABATAN", "UNIT KERJA")


def tanggal(day: datetime.date) -> str:
    """A date as Indonesian documents write it: 23 November 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_range(start: datetime.date, end: datetime.date) -> str:
    """A span within one year names the year once: 1 Januari – 31 Desember 2026."""
    first = f"{start.day} {MONTHS[start.month - 1]}" if start.year == end.year else tanggal(start)
    return f"{first} – {tanggal(end)}"


@dataclass(frozen=True)
class Person:
    """One identity block and signature: empty fields print as a dash."""

    role: str
    name: str = ""
    nip: str = ""
    rank: str = ""
    position: str = ""
    unit: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.name, self.nip, self.rank, self.position, self.unit)

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [(label, value or DASH) for label, value in zip(IDENTITY_LABELS, self.fields)]


def _person(role: str, employee: Employee, position: Position | None, *, acting: str = "") -> Person:
    rank = employee.current_rank
    position = position or employee.current_position
    unit = position.unit if position else employee.current_unit
    prefix = {AssignmentKind.PLT: "Plt. ", AssignmentKind.PLH: "Plh. "}.get(acting, "")
    return Person(
        role=role,
        name=employee.full_name,
        nip=employee.nip,
        rank=(f"{rank.name}, {rank.code}" if rank.name else rank.code) if rank else "",
        position=f"{prefix}{position.title}" if position else "",
        unit=unit.name if unit else "",
    )


EMPLOYEE_SELECT = ("current_rank", "current_position__unit", "current_unit")


def _load(skp: Skp, period: Period | None = None) -> Skp:
    """The plan with everything a document prints, in a fixed number of queries whatever its size."""
    rhks = Rhk.objects.select_related("supports", "indicator").prefetch_related("indicators")
    if period is not None:
        rhks = rhks.prefetch_related(
            Prefetch("realizations", queryset=Realization.objects.filter(period=period), to_attr="period_realizations")
        )
    return (
        Skp.objects.select_related(
            "perf_year__agency__province",
            "perf_year__agency__regency",
            "position__unit",
            "unit",
            *(f"employee__{f}" for f in EMPLOYEE_SELECT),
            *(f"assessor__{f}" for f in EMPLOYEE_SELECT),
            "assessor_position__unit",
        )
        .prefetch_related(Prefetch("rhks", queryset=rhks), "expectations")
        .get(pk=skp.pk)
    )


def _employee(skp: Skp) -> Person:
    # The plan keeps the post and unit it was made for, even when the employee has since moved.
    return replace(_person("Pegawai yang Dinilai", skp.employee, skp.position), unit=skp.unit.name)


def _assessor(skp: Skp) -> Person:
    role = "Pejabat Penilai Kinerja"
    if skp.assessor is not None:
        return _person(role, skp.assessor, skp.assessor_position)
    # A head answering to the regional head or the minister: a title outside the registry.
    return Person(role=role, name=skp.assessor_external)


def _superior(skp: Skp, day: datetime.date) -> Person:
    role = "Atasan Pejabat Penilai Kinerja"
    if skp.assessor is None:
        return Person(role=role)
    link = direct_supervisor(skp.assessor, day)
    if link.external:
        return Person(role=role, name=link.external)
    if link.problem or not link.employee_id:
        return Person(role=role)
    employee = Employee.objects.select_related(*EMPLOYEE_SELECT).get(pk=link.employee_id)
    position = Position.objects.select_related("unit").filter(pk=link.position_id).first()
    return _person(role, employee, position, acting=link.kind)


def _place(skp: Skp) -> str:
    """The agency's seat, where the document is signed; left for the pen when the registry has none."""
    agency = skp.perf_year.agency
    region = agency.regency or agency.province
    return (region.capital if region else "") or "…………………"


def _rhk_rows(skp: Skp, *, with_realization: bool = False) -> list[dict]:
    rows = []
    for number, rhk in enumerate(skp.rhks.all(), 1):
        if rhk.supports is not None:
            source = rhk.supports.text
        elif rhk.indicator is not None:
            source = f"{rhk.indicator.code} {rhk.indicator.name}"
        else:
            source = DASH
        indicators = [
            {"aspect": Aspect(i.aspect).label, "text": i.text, "target": i.target} for i in rhk.indicators.all()
        ] or [{"aspect": DASH, "text": DASH, "target": DASH}]
        row = {"number": number, "text": rhk.text, "source": source, "indicators": indicators}
        if with_realization:
            found = rhk.period_realizations
            row["realization"] = found[0].text if found else DASH
        rows.append(row)
    return rows


def _behaviour_rows(skp: Skp, notes: dict | None = None) -> list[dict]:
    expectations = {e.behaviour: e.text for e in skp.expectations.all()}
    notes = notes or {}
    return [
        {
            "name": name,
            "guides": guides,
            "expectation": expectations.get(code, DASH),
            "feedback": notes.get(code) or DASH,
        }
        for code, name, guides in rules.BERAKHLAK
    ]


def _common(skp: Skp) -> dict:
    agency = skp.perf_year.agency
    return {
        "agency": agency.name,
        "year": skp.perf_year.year,
        "version": skp.version,
        "subtitle": (
            "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI"
            if skp.is_jpt
            else "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"
        ),
        "source_header": "INDIKATOR KINERJA UTAMA YANG DIDUKUNG" if skp.is_jpt else "RHK ATASAN YANG DIINTERVENSI",
        "place": _place(skp),
    }


def _render(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only the document pages need.
    import weasyprint

    with translation.override("id"):
        html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def skp_pdf(skp: Skp, *, today: datetime.date | None = None) -> bytes:
    """Render the plan as the official SKP document (a draft until it is approved)."""
    skp = _load(skp)
    approved = skp.status == SkpStatus.APPROVED
    day = timezone.localdate(skp.approved_at) if approved and skp.approved_at else today or timezone.localdate()
    employee, assessor = _employee(skp), _assessor(skp)
    year = skp.perf_year.year
    context = {
        **_common(skp),
        "draft": not approved,
        "period_text": date_range(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        "identity": [(label, left, right) for (label, left), (_label, right) in zip(employee.rows, assessor.rows)],
        "employee": employee,
        "rhks": _rhk_rows(skp),
        "behaviours": _behaviour_rows(skp),
        "signatures": [employee, assessor],
        "date": tanggal(day),
    }
    return _render("performance/pdf/skp.html", context)


def evaluation_pdf(skp: Skp, period: Period, *, today: datetime.date | None = None) -> bytes:
    """Render the rating of a period as the official evaluation document (a draft until it is final)."""
    skp = _load(skp, period)
    assessment = Assessment.objects.filter(skp=skp, period=period).first()
    final = assessment is not None and assessment.status == AssessmentStatus.FINAL
    day = (
        timezone.localdate(assessment.finalized_at)
        if final and assessment.finalized_at
        else today or timezone.localdate()
    )
    org = OrgRating.objects.filter(unit=skp.unit, period=period).first()
    employee, assessor, superior = _employee(skp), _assessor(skp), _superior(skp, day)
    context = {
        **_common(skp),
        "draft": not final,
        "period_label": period.label,
        "period_text": date_range(period.start, period.end),
        "sections": [
            ("PEGAWAI YANG DINILAI", employee.rows),
            ("PEJABAT PENILAI KINERJA", assessor.rows),
            ("ATASAN PEJABAT PENILAI KINERJA", superior.rows),
        ],
        "employee": employee,
        "unit": skp.unit.name,
        "org_predikat": OrgPredikat(org.predikat).label if org else DASH,
        "rhks": _rhk_rows(skp, with_realization=True),
        "behaviours": _behaviour_rows(skp, assessment.behaviour_notes if assessment else None),
        "result_rating": Rating(assessment.result_rating).label if assessment else DASH,
        "behaviour_rating": Rating(assessment.behaviour_rating).label if assessment else DASH,
        "predikat": Predikat(assessment.predikat).label if assessment else DASH,
        "signatures": [employee, assessor, superior],
        "date": tanggal(day),
    }
    return _render("performance/pdf/evaluation.html", context)
