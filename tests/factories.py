"""Small, explicit registries for tests: two agencies in two regions, each with a tree."""

import datetime
import itertools

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import Role
from accounts.models import RoleAssignment, User
from organization.models import Agency, OrgUnit, Position, Province, RegionalOffice
from personnel.models import Assignment, EducationHistory, EducationLevel, Employee, Rank, RankHistory
from personnel.services import refresh_current

_serial = itertools.count(1)
TODAY = datetime.date(2026, 11, 23)


def make_nip(
    birth: datetime.date, tmt: datetime.date, gender: str = "M", *, pppk: bool = False, serial: int | None = None
) -> str:
    mid = f"{tmt.year}21" if pppk else f"{tmt:%Y%m}"
    return f"{birth:%Y%m%d}{mid}{'1' if gender == 'M' else '2'}{(serial or next(_serial)) % 1000 or 1:03d}"


def make_agency(code: str, province_code: str, name: str) -> Agency:
    return Agency.objects.create(
        code=code,
        name=name,
        short_name=name,
        kind="province",
        province=Province.objects.get(code=province_code),
        head_title=f"Gubernur {name}",
    )


def make_unit(agency, code, name, parent=None, kind="perangkat_daerah") -> OrgUnit:
    unit = OrgUnit.objects.create(agency=agency, parent=parent, code=code, name=name, kind=kind, path="/")
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save()
    return unit


def make_position(
    agency, unit, code, title, parent=None, *, ptype="pelaksana", level="pelaksana", job_class=6, capacity=1, **kw
) -> Position:
    pos = Position.objects.create(
        agency=agency,
        unit=unit,
        parent=parent,
        code=code,
        title=title,
        position_type=ptype,
        level=level,
        job_class=job_class,
        capacity=capacity,
        reports_to_head=parent is None and kw.pop("top", True),
        path="/",
        **kw,
    )
    pos.path = f"{parent.path if parent else '/'}{pos.pk}/"
    pos.save()
    return pos


def make_employee(
    agency,
    position=None,
    *,
    name="Pegawai Uji",
    gender="M",
    birth=datetime.date(1985, 6, 15),
    tmt=datetime.date(2010, 3, 1),
    etype="pns",
    kind="definitive",
    rank="III/a",
    status="active",
    position_tmt=None,
) -> Employee:
    pppk = etype == "pppk"
    emp = Employee.objects.create(
        agency=agency,
        nip=make_nip(birth, tmt, gender, pppk=pppk),
        nik=f"18{next(_serial):014d}",
        name=name,
        gender=gender,
        birth_date=birth,
        employee_type=etype,
        tmt_appointment=tmt,
        status=status,
    )
    RankHistory.objects.create(
        employee=emp, rank=Rank.objects.get(code="IX" if pppk else rank), tmt=tmt, decree_number="SK/1"
    )
    EducationHistory.objects.create(
        employee=emp, level=EducationLevel.objects.get(code="S1"), tmt=datetime.date(2008, 8, 1), decree_number="IJZ/1"
    )
    if position is not None:
        Assignment.objects.create(
            employee=emp, position=position, kind=kind, tmt=position_tmt or tmt, decree_number="SK/J/1"
        )
    emp.save(update_fields=refresh_current(emp, today=TODAY))
    return emp


def make_user(username, role=None, *, agency=None, office=None, employee=None, totp=True) -> User:
    user = User.objects.create_user(username=username, password="Kata-Sandi-Uji-123", full_name=username)
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role, agency=agency, regional_office=office)
        if totp:
            TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    if employee is not None:
        employee.user = user
        employee.save(update_fields=["user"])
    return user


def build_world():
    """Two agencies (Lampung, Gorontalo) with a small tree each, and one persona per role."""
    w = {}
    for key, code, prov, name in (("lpg", "PROV-18", "18", "Lampung"), ("gtlo", "PROV-75", "75", "Gorontalo")):
        ag = make_agency(code, prov, name)
        root = make_unit(ag, "BKD", f"BKD {name}")
        div = make_unit(ag, "BKD-MUT", "Bidang Mutasi", root, kind="bidang")
        head = make_position(ag, root, "KBKD", "Kepala BKD", ptype="jpt", level="jpt_pratama", job_class=14)
        kabid = make_position(
            ag, div, "KABID", "Kepala Bidang Mutasi", head, ptype="administrator", level="administrator", job_class=11
        )
        staff = make_position(ag, div, "PL", "Pengadministrasi Kepegawaian", kabid, capacity=3)
        e_head = make_employee(
            ag, head, name=f"Kepala {name}", rank="IV/c", birth=datetime.date(1970, 2, 1), tmt=datetime.date(1995, 3, 1)
        )
        e_kabid = make_employee(
            ag, kabid, name=f"Kabid {name}", rank="IV/a", birth=datetime.date(1975, 5, 5), tmt=datetime.date(2000, 3, 1)
        )
        e_staff = make_employee(
            ag, staff, name=f"Staf {name}", gender="F", birth=datetime.date(1990, 1, 15), tmt=datetime.date(2015, 3, 1)
        )
        w[key] = {
            "agency": ag,
            "root": root,
            "div": div,
            "head": head,
            "kabid": kabid,
            "staff": staff,
            "e_head": e_head,
            "e_kabid": e_kabid,
            "e_staff": e_staff,
        }
        w[f"admin_{key}"] = make_user(f"admin.{key}", Role.AGENCY_ADMIN, agency=ag)
        w[f"supervisor_{key}"] = make_user(f"atasan.{key}", employee=e_kabid)
        w[f"employee_{key}"] = make_user(f"pegawai.{key}", employee=e_staff)
        w[f"auditor_{key}"] = make_user(f"auditor.{key}", Role.AUDITOR, agency=ag)
        w[f"committee_{key}"] = make_user(f"panitia.{key}", Role.SELECTION_COMMITTEE, agency=ag)
        w[f"complaints_{key}"] = make_user(f"pengaduan.{key}", Role.COMPLAINT_OFFICER, agency=ag)
    w["national"] = make_user("bkn.admin", Role.NATIONAL_ADMIN)
    office = RegionalOffice.objects.filter(provinces__code="18").first()
    w["kanreg_lpg"] = make_user("kanreg", Role.REGIONAL_OFFICE, office=office)
    w["applicant"] = make_user("pelamar", Role.APPLICANT)
    return w
