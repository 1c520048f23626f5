"""Demo logins: one per role, in agencies of different regions. Admin roles come with a TOTP
device whose secret is printed, so that the second factor can be tried with any authenticator."""

import base64
import hashlib

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import ADMIN_ROLES, Role
from accounts.models import RoleAssignment, User
from organization.models import Agency, RegionalOffice

DEMO_PASSWORD = "Pamong-Demo-2026"

# username, full name, role (None = employee only), agency code, how the employee is picked
DEMO_USERS = [
    ("bkn.admin", "Admin Nasional BKN", Role.NATIONAL_ADMIN, None, None),
    ("kanreg.lampung", "Petugas Kantor Regional", Role.REGIONAL_OFFICE, "PROV-18", None),
    ("admin.lampung", "Admin BKD Provinsi Lampung", Role.AGENCY_ADMIN, "PROV-18", None),
    ("admin.gorontalo", "Admin BKD Provinsi Gorontalo", Role.AGENCY_ADMIN, "PROV-75", None),
    ("admin.tebo", "Admin BKPSDM Kabupaten Tebo", Role.AGENCY_ADMIN, "KAB-15.09", None),
    ("admin.kepahiang", "Admin BKPSDM Kabupaten Kepahiang", Role.AGENCY_ADMIN, "KAB-17.08", None),
    ("atasan.lampung", "", None, "PROV-18", "BKD-MUT"),
    ("atasan.gorontalo", "", None, "PROV-75", "BKD-MUT"),
    ("pegawai.lampung", "", None, "PROV-18", "BKD-MUT-1-PL"),
    ("pegawai.gorontalo", "", None, "PROV-75", "BKD-MUT-1-PL"),
    ("panitia.lampung", "Panitia Seleksi Lampung", Role.SELECTION_COMMITTEE, "PROV-18", None),
    ("panitia.tebo", "Panitia Seleksi Tebo", Role.SELECTION_COMMITTEE, "KAB-15.09", None),
    ("pengaduan.lampung", "Petugas Pengaduan Lampung", Role.COMPLAINT_OFFICER, "PROV-18", None),
    ("pengaduan.gorontalo", "Petugas Pengaduan Gorontalo", Role.COMPLAINT_OFFICER, "PROV-75", None),
    ("auditor.lampung", "Inspektorat Provinsi Lampung", Role.AUDITOR, "PROV-18", None),
    ("auditor.nasional", "Pengamat Nasional", Role.AUDITOR, None, None),
    ("pelamar.demo", "Pelamar Demo", Role.APPLICANT, None, None),
    ("operator.cat", "Operator CAT UPT BKN Bandar Lampung", None, None, None),  # site operator (exams.ExamSite)
]


def demo_secret(username: str, seed: int = 2026) -> bytes:
    return hashlib.sha256(f"pamong-demo-totp:{seed}:{username}".encode()).digest()[:20]


@transaction.atomic
def create_demo_users(*, seed: int = 2026) -> None:
    from personnel.models import Employee

    agencies = {a.code: a for a in Agency.objects.all()}
    for username, full_name, role, agency_code, position_code in DEMO_USERS:
        user = User(username=username, full_name=full_name)
        user.set_password(DEMO_PASSWORD)
        if position_code:
            emp = (
                Employee.objects.filter(agency=agencies[agency_code], current_position__code=position_code)
                .order_by("nip")
                .first()
            )
            user.full_name = emp.full_name
            user.save()
            emp.user = user
            emp.save(update_fields=["user"])
        else:
            user.save()
        if role == Role.REGIONAL_OFFICE:
            office = RegionalOffice.objects.filter(provinces=agencies[agency_code].province).first()
            RoleAssignment.objects.create(user=user, role=role, regional_office=office)
        elif role is not None:
            agency = agencies.get(agency_code) if agency_code else None
            RoleAssignment.objects.create(user=user, role=role, agency=agency)
        if role in ADMIN_ROLES:
            TOTPDevice.objects.create(user=user, name="Demo", confirmed=True, key=demo_secret(username, seed).hex())


def demo_logins():
    """(username, role, scope, TOTP secret or "") for every demo user that exists."""
    rows = []
    for user in (
        User.objects.filter(username__in=[u[0] for u in DEMO_USERS])
        .prefetch_related("role_assignments__agency", "role_assignments__regional_office")
        .order_by("id")
    ):
        ras = list(user.role_assignments.all())
        if ras:
            role = ", ".join(str(ra.get_role_display()) for ra in ras)
            scope = ", ".join(
                str(ra.agency or ra.regional_office or ("portal publik" if ra.role == Role.APPLICANT else "nasional"))
                for ra in ras
            )
        elif user.exam_sites.exists():
            role, scope = "Operator CAT", ", ".join(str(s) for s in user.exam_sites.all())
        else:
            emp = getattr(user, "employee", None)
            role = "Pegawai" + (" (atasan)" if user.username.startswith("atasan") else "")
            scope = f"{emp.agency} — {emp.current_position}" if emp else ""
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        secret = (
            base64.b32encode(device.bin_key).decode()
            if device and ras and any(ra.role in ADMIN_ROLES for ra in ras)
            else ""
        )
        rows.append((user.username, role, scope, secret))
    return rows
