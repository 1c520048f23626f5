import datetime

import pytest

from core.models import AuditRecord
from personnel.models import Employee
from tests.factories import make_nip

pytestmark = pytest.mark.django_db


class TestHistoryForms:
    @pytest.mark.parametrize(
        "who,status",
        [
            ("admin_lpg", 200),
            ("national", 200),
            ("auditor_lpg", 403),
            ("supervisor_lpg", 403),
            ("admin_gtlo", 404),
            ("employee_lpg", 403),
        ],
    )
    def test_who_may_open_the_form(self, client, login, world, who, status):
        login(world[who])
        nip = world["lpg"]["e_staff"].nip
        assert client.get(f"/pegawai/{nip}/tambah/jabatan/").status_code == status

    def test_unknown_kind_is_404(self, client, login, world):
        login(world["admin_lpg"])
        assert client.get(f"/pegawai/{world['lpg']['e_staff'].nip}/tambah/gaji/").status_code == 404

    def test_appointing_a_plt_through_the_form(self, client, login, world):
        login(world["admin_lpg"])
        lpg = world["lpg"]
        resp = client.post(
            f"/pegawai/{lpg['e_staff'].nip}/tambah/jabatan/",
            {
                "position": lpg["kabid"].pk,
                "kind": "plt",
                "tmt": "2026-11-01",
                "decree_number": "800/PLT/9",
                "decree_date": "",
                "end_date": "",
            },
        )
        assert resp.status_code == 302
        assert lpg["e_staff"].assignments.filter(kind="plt", position=lpg["kabid"]).exists()
        assert AuditRecord.objects.filter(action="assignment.create", reason="800/PLT/9").exists()

    def test_a_refusal_is_shown_on_the_form_in_indonesian(self, client, login, world):
        login(world["admin_lpg"])
        resp = client.post(
            f"/pegawai/{world['lpg']['e_staff'].nip}/tambah/pangkat/",
            {
                "rank": 9,
                "tmt": "2001-01-01",
                "decree_number": "SK/1",
            },
        )
        assert resp.status_code == 200
        assert "TMT golongan tidak boleh sebelum TMT pengangkatan pertama." in resp.content.decode()

    def test_an_other_agencys_position_cannot_be_chosen(self, client, login, world):
        login(world["admin_lpg"])
        resp = client.post(
            f"/pegawai/{world['lpg']['e_staff'].nip}/tambah/jabatan/",
            {
                "position": world["gtlo"]["kabid"].pk,
                "kind": "definitive",
                "tmt": "2026-11-01",
                "decree_number": "SK/X",
            },
        )
        assert (
            resp.status_code == 200
            and not world["lpg"]["e_staff"].assignments.filter(position=world["gtlo"]["kabid"]).exists()
        )


class TestEmployeeNew:
    def test_registering_an_employee_by_hand(self, client, login, world):
        login(world["admin_lpg"])
        birth, tmt = datetime.date(1994, 7, 9), datetime.date(2020, 1, 1)
        nip = make_nip(birth, tmt, "M", serial=5)
        resp = client.post(
            "/pegawai/baru/",
            {
                "nip": nip,
                "nik": "1871010907940005",
                "name": "Andi Pratama",
                "gender": "M",
                "birth_date": "1994-07-09",
                "employee_type": "pns",
                "tmt_appointment": "2020-01-01",
                "rank": 9,
                "rank_decree": "SK/CPNS",
                "position": world["lpg"]["staff"].pk,
                "position_decree": "SK/J",
                "education": 8,
            },
        )
        assert resp.status_code == 302, resp.content.decode()[:2000]
        emp = Employee.objects.get(nip=nip)
        assert emp.current_position == world["lpg"]["staff"] and emp.agency == world["lpg"]["agency"]

    def test_nip_problems_appear_on_their_fields(self, client, login, world):
        login(world["admin_lpg"])
        resp = client.post(
            "/pegawai/baru/",
            {
                "nip": "199407092020011005",
                "nik": "1871010907940005",
                "name": "Andi",
                "gender": "F",
                "birth_date": "1994-07-10",
                "employee_type": "pns",
                "tmt_appointment": "2020-01-01",
                "rank": 9,
                "rank_decree": "SK",
                "education": 8,
            },
        )
        html = resp.content.decode()
        assert (
            "Jenis kelamin tidak sesuai dengan digit ke-15 NIP." in html
            and "Tanggal lahir tidak sama dengan tanggal lahir di NIP." in html
        )

    @pytest.mark.parametrize("who", ["auditor_lpg", "supervisor_lpg", "kanreg_lpg", "applicant"])
    def test_only_writers_reach_the_form(self, client, login, world, who):
        login(world[who])
        assert client.get("/pegawai/baru/").status_code == 404
