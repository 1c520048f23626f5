"""Every page and API endpoint × every role × own and other agency: allowed, forbidden, or 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = [
    "national",
    "kanreg_lpg",
    "admin_lpg",
    "supervisor_lpg",
    "employee_lpg",
    "auditor_lpg",
    "committee_lpg",
    "complaints_lpg",
    "applicant",
    "anonymous",
]


def fetch(client, login, world, role, url):
    if role != "anonymous":
        login(world[role])
    return client.get(url)


# role -> (status for Lampung's object, status for Gorontalo's object)
EMPLOYEE_DETAIL = {
    "national": (200, 200),
    "kanreg_lpg": (200, 404),
    "admin_lpg": (200, 404),
    "supervisor_lpg": (200, 404),
    "employee_lpg": (200, 404),
    "auditor_lpg": (200, 404),
    "committee_lpg": (404, 404),
    "complaints_lpg": (404, 404),
    "applicant": (404, 404),
    "anonymous": (302, 302),
}
AGENCY_STRUCTURE = {
    "national": (200, 200),
    "kanreg_lpg": (200, 404),
    "admin_lpg": (200, 404),
    "supervisor_lpg": (200, 404),
    "employee_lpg": (200, 404),
    "auditor_lpg": (200, 404),
    "committee_lpg": (200, 404),
    "complaints_lpg": (200, 404),
    "applicant": (404, 404),
    "anonymous": (302, 302),
}
AGENCY_REGISTRY = {
    "national": (200, 200),
    "kanreg_lpg": (200, 404),
    "admin_lpg": (200, 404),
    "supervisor_lpg": (404, 404),
    "employee_lpg": (404, 404),
    "auditor_lpg": (200, 404),
    "committee_lpg": (404, 404),
    "complaints_lpg": (404, 404),
    "applicant": (404, 404),
    "anonymous": (302, 302),
}
API_EMPLOYEE = {**{k: v for k, v in EMPLOYEE_DETAIL.items()}, "anonymous": (401, 401)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", [0, 1])
def test_employee_profile(client, login, world, role, side):
    emp = [world["lpg"]["e_staff"], world["gtlo"]["e_staff"]][side]
    assert (
        fetch(client, login, world, role, reverse("personnel:detail", args=[emp.nip])).status_code
        == EMPLOYEE_DETAIL[role][side]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", [0, 1])
@pytest.mark.parametrize("name", ["agency_detail", "agency_units", "agency_positions"])
def test_agency_structure_pages(client, login, world, role, side, name):
    ag = [world["lpg"]["agency"], world["gtlo"]["agency"]][side]
    assert (
        fetch(client, login, world, role, reverse(f"organization:{name}", args=[ag.pk])).status_code
        == AGENCY_STRUCTURE[role][side]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", [0, 1])
def test_supervision_worklist(client, login, world, role, side):
    ag = [world["lpg"]["agency"], world["gtlo"]["agency"]][side]
    assert (
        fetch(client, login, world, role, reverse("organization:agency_worklist", args=[ag.pk])).status_code
        == AGENCY_REGISTRY[role][side]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", [0, 1])
def test_api_employee(client, login, world, role, side):
    emp = [world["lpg"]["e_staff"], world["gtlo"]["e_staff"]][side]
    status = fetch(client, login, world, role, f"/api/employees/{emp.nip}/").status_code
    expected = API_EMPLOYEE[role][side]
    assert status == (403 if expected == 401 and status == 403 else expected)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", [0, 1])
def test_api_agency(client, login, world, role, side):
    ag = [world["lpg"]["agency"], world["gtlo"]["agency"]][side]
    status = fetch(client, login, world, role, f"/api/agencies/{ag.pk}/").status_code
    expected = AGENCY_STRUCTURE[role][side]
    assert status == (expected if role != "anonymous" else status) and (role != "anonymous" or status in (401, 403))


LISTS = {
    # role: (employee list, import page, audit trail, agency list)
    "national": (200, 200, 200, 200),
    "kanreg_lpg": (200, 404, 200, 200),
    "admin_lpg": (200, 200, 200, 200),
    "supervisor_lpg": (200, 404, 404, 200),
    "employee_lpg": (404, 404, 404, 200),
    "auditor_lpg": (200, 404, 200, 200),
    "committee_lpg": (404, 404, 404, 200),
    "complaints_lpg": (404, 404, 404, 200),
    "applicant": (404, 404, 404, 404),
    "anonymous": (302, 302, 302, 302),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("i,url", list(enumerate(["/pegawai/", "/pegawai/impor/", "/audit/", "/organisasi/"])))
def test_list_pages(client, login, world, role, i, url):
    assert fetch(client, login, world, role, url).status_code == LISTS[role][i]


class TestListsAreScoped:
    def names(self, client, login, world, role, url="/pegawai/"):
        login(world[role])
        return client.get(url).content.decode()

    def test_an_agency_admin_sees_only_their_agency(self, client, login, world):
        html = self.names(client, login, world, "admin_lpg")
        assert "Staf Lampung" in html and "Staf Gorontalo" not in html

    def test_a_supervisor_sees_only_those_below_them(self, client, login, world):
        html = self.names(client, login, world, "supervisor_lpg")
        assert "Staf Lampung" in html and "Kepala Lampung" not in html and "Gorontalo" not in html

    def test_the_national_admin_sees_everyone(self, client, login, world):
        html = self.names(client, login, world, "national")
        assert "Staf Lampung" in html and "Staf Gorontalo" in html

    def test_exports_are_scoped_like_the_list(self, client, login, world):
        login(world["admin_lpg"])
        body = b"".join(client.get("/pegawai/?export=csv").streaming_content).decode()
        assert "Staf Lampung" in body and "Gorontalo" not in body

    def test_the_api_list_is_scoped(self, client, login, world):
        login(world["admin_lpg"])
        names = [e["name"] for e in client.get("/api/employees/").json()["results"]]
        assert sorted(names) == ["Kabid Lampung", "Kepala Lampung", "Staf Lampung"]

    def test_the_audit_trail_is_scoped(self, client, login, world):
        from django.db import transaction

        from core.audit import audit_log, entry_for

        with transaction.atomic():
            audit_log(
                actor=None,
                entry=entry_for(
                    world["gtlo"]["e_staff"],
                    "employee.update",
                    agency_id=world["gtlo"]["agency"].pk,
                    reason="SK-GORONTALO",
                ),
            )
            audit_log(
                actor=None,
                entry=entry_for(
                    world["lpg"]["e_staff"], "employee.update", agency_id=world["lpg"]["agency"].pk, reason="SK-LAMPUNG"
                ),
            )
        html = self.names(client, login, world, "auditor_lpg", "/audit/")
        assert "SK-LAMPUNG" in html and "SK-GORONTALO" not in html


def test_out_of_scope_looks_exactly_like_missing(client, login, world):
    login(world["admin_lpg"])
    other = client.get(reverse("personnel:detail", args=[world["gtlo"]["e_staff"].nip]))
    missing = client.get(reverse("personnel:detail", args=["199901012020011999"]))
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
