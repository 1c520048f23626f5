"""Every performance page × every role × own (Lampung) and other (Gorontalo) agency."""

import pytest

from accounts.access import build_actor
from performance.services import plan
from performance.services.setup import year_open
from tests.test_access_matrix import AGENCY_REGISTRY, EMPLOYEE_DETAIL, ROLES

pytestmark = pytest.mark.django_db

# The registry's matrices hold here too: a plan is read like its employee's profile, the agency
# dashboard like the agency's registry pages.
PLAN = EMPLOYEE_DETAIL
DASHBOARD = AGENCY_REGISTRY
ROUND = {**DASHBOARD, "supervisor_lpg": (200, 404)}  # the Kabid heads the Bidang
OWN_PAGES = {  # /kinerja/ and /kinerja/tim/: about the actor, never another agency's
    "national": (200, 404),
    "kanreg_lpg": (200, 404),
    "admin_lpg": (200, 404),
    "supervisor_lpg": (200, 200),
    "employee_lpg": (200, 200),
    "auditor_lpg": (200, 404),
    "committee_lpg": (200, 404),
    "complaints_lpg": (200, 404),
    "applicant": (200, 404),
    "anonymous": (302, 302),
}


@pytest.fixture
def plans(world):
    out = {}
    for key in ("lpg", "gtlo"):
        admin = build_actor(world[f"admin_{key}"])
        year = year_open(actor=admin, agency=world[key]["agency"], year=2026)
        skp = plan.skp_create(actor=admin, employee=world[key]["e_staff"], perf_year=year)
        out[key] = {"year": year, "skp": skp, "period": year.periods.first()}
    return out


def get(client, login, world, role, url):
    if role != "anonymous":
        login(world[role])
    return client.get(url).status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", [0, 1])
@pytest.mark.parametrize("suffix", ["", "skp.pdf"])
def test_plan_pages(client, login, world, plans, role, side, suffix):
    skp = plans[["lpg", "gtlo"][side]]["skp"]
    assert get(client, login, world, role, f"/kinerja/skp/{skp.pk}/{suffix}") == PLAN[role][side]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", [0, 1])
def test_agency_dashboard(client, login, world, plans, role, side):
    key = ["lpg", "gtlo"][side]
    assert get(client, login, world, role, f"/kinerja/instansi/{world[key]['agency'].pk}/") == DASHBOARD[role][side]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("side", [0, 1])
def test_unit_round(client, login, world, plans, role, side):
    key = ["lpg", "gtlo"][side]
    url = f"/kinerja/unit/{world[key]['div'].pk}/periode/{plans[key]['period'].pk}/"
    assert get(client, login, world, role, url) == ROUND[role][side]


@pytest.mark.parametrize("role", ROLES)
def test_own_pages(client, login, world, plans, role):
    assert get(client, login, world, role, "/kinerja/") == OWN_PAGES[role][0]
    team = get(client, login, world, role, "/kinerja/tim/")
    assert team == (OWN_PAGES[role][1] if role != "anonymous" else 302)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_writes_to_another_agencys_plan_are_not_found(client, login, world, plans, role):
    skp = plans["gtlo"]["skp"]
    login(world[role])
    expected = 302 if role == "national" else 404  # the national admin reaches it; the service then refuses
    assert client.post(f"/kinerja/skp/{skp.pk}/aksi/approve/").status_code == expected
