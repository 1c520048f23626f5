"""Validate every row of an import at once, against the rules and the registry as it stands."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.params import rule_param
from organization.models import Position
from personnel.choices import EmployeeType, Gender
from personnel.importing.reader import Sheet, cell_text
from personnel.importing.template import COLUMNS
from personnel.models import EducationLevel, Employee, Rank
from personnel.services import employee_findings, rank_fits_type

HEADER_OF = {c.key: c.header for c in COLUMNS}
REQUIRED = [c.key for c in COLUMNS if c.required]
DATE_KEYS = ("birth_date", "tmt_appointment", "rank_tmt", "position_tmt", "education_date")
GENDERS = {
    "L": Gender.MALE,
    "P": Gender.FEMALE,
    "LAKI-LAKI": Gender.MALE,
    "PEREMPUAN": Gender.FEMALE,
    "PRIA": Gender.MALE,
    "WANITA": Gender.FEMALE,
}
TYPES = {"PNS": EmployeeType.PNS, "CPNS": EmployeeType.CPNS, "PPPK": EmployeeType.PPPK}
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_date(text: str) -> datetime.date | None:
    m = ISO.match(text)
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = DMY.match(text)
        if not m:
            return None
        d, mo, y = (int(x) for x in m.groups())
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        return None


@dataclass
class Issue:
    row: int
    column: str
    message: str
    severity: str = "error"


@dataclass
class ValidRow:
    row: int
    data: dict  # employee fields
    rank: Rank
    rank_tmt: datetime.date
    rank_decree: str
    position: Position
    position_tmt: datetime.date
    position_decree: str
    education: EducationLevel
    education_date: datetime.date | None
    education_number: str


@dataclass
class Result:
    total: int = 0
    valid: list[ValidRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({i.row for i in self.issues if i.severity == "error"})


class Lookups:
    """Reference data and the registry's existing NIPs, loaded once per import."""

    def __init__(self, agency_id: int, today: datetime.date):
        self.ranks = {r.code.upper(): r for r in Rank.objects.all()}
        self.education = {e.code.upper(): e for e in EducationLevel.objects.all()}
        self.positions = {
            p.code.upper(): p
            for p in Position.objects.filter(agency_id=agency_id, is_active=True).select_related("unit")
        }
        self.min_age = rule_param("nip.min_appointment_age", on=today, default=18)

    def existing_nips(self, nips: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(nips), 5000):
            found.update(Employee.objects.filter(nip__in=nips[i : i + 5000]).values_list("nip", flat=True))
        return found


def validate_sheet(
    sheet: Sheet, *, agency_id: int, today: datetime.date, progress: Callable[[int], None] | None = None
) -> Result:
    """Check every row; collect every problem, naming row and column, before anything is written."""
    look = Lookups(agency_id, today)
    result = Result()
    candidates: list[ValidRow] = []
    seen_nip: dict[str, int] = {}
    all_nips: list[tuple[int, str]] = []
    keys = sheet.keys
    for n, raw in sheet.rows:
        result.total += 1
        if progress and result.total % 2000 == 0:
            progress(result.total)
        values: dict[str, str] = {}
        issues: list[Issue] = []
        numeric: set[str] = set()  # NIP/NIK typed as numbers: already reported
        for key, value in zip(keys, raw):
            if key is None:
                continue
            if key in ("nip", "nik") and isinstance(value, (int, float)):
                issues.append(
                    Issue(
                        n,
                        HEADER_OF[key],
                        _("Ketik %(col)s sebagai teks: angka lebih dari 15 digit dibulatkan oleh spreadsheet.")
                        % {"col": HEADER_OF[key]},
                    )
                )
                numeric.add(key)
                value = ""
            values[key] = cell_text(value)
        for key in REQUIRED:
            if not values.get(key) and key not in numeric:
                issues.append(Issue(n, HEADER_OF[key], _("Wajib diisi.")))
        dates: dict[str, datetime.date | None] = {}
        for key in DATE_KEYS:
            text = values.get(key, "")
            dates[key] = parse_date(text) if text else None
            if text and dates[key] is None:
                issues.append(
                    Issue(
                        n,
                        HEADER_OF[key],
                        _("Tanggal “%(v)s” tidak sah; tulis TTTT-BB-HH atau HH-BB-TTTT.") % {"v": text},
                    )
                )
        gender = GENDERS.get(values.get("gender", "").upper())
        if values.get("gender") and gender is None:
            issues.append(Issue(n, HEADER_OF["gender"], _("Isi L (laki-laki) atau P (perempuan).")))
        etype = TYPES.get(values.get("employee_type", "").upper())
        if values.get("employee_type") and etype is None:
            issues.append(Issue(n, HEADER_OF["employee_type"], _("Isi PNS, CPNS atau PPPK.")))
        data = {
            "nip": values.get("nip", ""),
            "nik": values.get("nik", ""),
            "name": values.get("name", ""),
            "front_title": values.get("front_title", ""),
            "back_title": values.get("back_title", ""),
            "gender": gender,
            "birth_place": values.get("birth_place", ""),
            "birth_date": dates["birth_date"],
            "employee_type": etype,
            "tmt_appointment": dates["tmt_appointment"],
            "email": values.get("email", ""),
            "phone": values.get("phone", ""),
        }
        if data["nip"]:
            for f in employee_findings(data, today=today, min_age=look.min_age):
                col = HEADER_OF.get(f.field, HEADER_OF["nip"])
                if f.field == "name" and not data["name"]:
                    continue  # already said: required
                issues.append(Issue(n, col, f.message, f.severity))
            all_nips.append((n, data["nip"]))
            if data["nip"] in seen_nip:
                issues.append(
                    Issue(n, "NIP", _("NIP sama dengan baris %(row)s di berkas ini.") % {"row": seen_nip[data["nip"]]})
                )
            else:
                seen_nip[data["nip"]] = n
        if len(data["name"]) > 150:
            issues.append(Issue(n, "Nama", _("Nama paling panjang 150 karakter.")))
        rank = look.ranks.get(values.get("rank", "").upper())
        if values.get("rank") and rank is None:
            issues.append(Issue(n, "Golongan", _("Golongan “%(v)s” tidak dikenal.") % {"v": values["rank"]}))
        elif rank and etype and not rank_fits_type(rank, etype):
            issues.append(Issue(n, "Golongan", _("Golongan tidak sesuai dengan jenis pegawai (PNS/PPPK).")))
        position = look.positions.get(values.get("position_code", "").upper())
        if values.get("position_code") and position is None:
            issues.append(
                Issue(
                    n,
                    "Kode Jabatan",
                    _("Kode jabatan “%(v)s” tidak ada (atau tidak aktif) di instansi ini.")
                    % {"v": values["position_code"]},
                )
            )
        education = look.education.get(values.get("education", "").upper())
        if values.get("education") and education is None:
            issues.append(
                Issue(n, "Pendidikan", _("Jenjang pendidikan “%(v)s” tidak dikenal.") % {"v": values["education"]})
            )
        tmt = dates["tmt_appointment"]
        for key in ("rank_tmt", "position_tmt"):
            if tmt and dates[key] and dates[key] < tmt:
                issues.append(Issue(n, HEADER_OF[key], _("Tidak boleh sebelum TMT pengangkatan.")))
            if dates[key] and dates[key] > today:
                issues.append(Issue(n, HEADER_OF[key], _("Tidak boleh di masa depan.")))
        result.issues.extend(issues)
        if not any(i.severity == "error" for i in issues):
            candidates.append(
                ValidRow(
                    row=n,
                    data=data,
                    rank=rank,
                    rank_tmt=dates["rank_tmt"],
                    rank_decree=values["rank_decree"],
                    position=position,
                    position_tmt=dates["position_tmt"],
                    position_decree=values["position_decree"],
                    education=education,
                    education_date=dates["education_date"],
                    education_number=values.get("education_number", ""),
                )
            )
    taken = look.existing_nips([nip for _n, nip in all_nips])
    for row, nip in all_nips:
        if nip in taken:
            result.issues.append(Issue(row, "NIP", _("NIP ini sudah terdaftar di registri.")))
    result.valid = [c for c in candidates if c.data["nip"] not in taken]
    result.issues.sort(key=lambda i: (i.row, i.severity != "error"))
    if progress:
        progress(result.total)
    return result
