"""The recruitment API, part one: published formations open to anyone as on the public search page, and the
applications within the pages' reach (the agency's committee, the national admin, the applicant's own) with
the committee's verification as its own audited endpoint."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.access import build_actor
from core.models import AuditRecord
from recruitment.models import Application, RecruitmentPeriod
from recruitment.services import period_create
from recruitment.tests.conftest import make_formation
from recruitment.tests.test_ranking import enrol

pytestmark = pytest.mark.django_db

ANONYMOUS = (401, 403)  # DRF answers 401 with a token scheme on offer, 403 otherwise


def _mark() -> int:
    return AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def call(client, method, url, data=None, *, status=200, audit=None, multipart=False):
    """A request; a write leaves its audit record, a refused one leaves none."""
    mark = _mark()
    if multipart:
        resp = client.post(url, data or {})
    elif method == "get":
        resp = client.get(url, data or {})
    else:
        resp = getattr(client, method)(url, data if data is not None else {}, content_type="application/json")
    expected = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in expected, resp.content
    actions = list(AuditRecord.objects.filter(id__gt=mark).values_list("action", flat=True))
    if audit is not None:
        assert f"recruitment.{audit}" in actions, actions
    if resp.status_code >= 400:
        assert actions == []
    return resp


def as_persona(client, login, who):
    client.logout()
    if who is not None:
        login(who)
    return client


# ---- formations ----------------------------------------------------------------------------------------------


@pytest.fixture
def formations(world, period):
    """Two published formations (Lampung, Gorontalo) and one of a period not announced yet."""
    lpg = make_formation(world, period, title="Analis SDM Aparatur", quotas={"umum": 3, "cumlaude": 1})
    gtlo = make_formation(world, period, key="gtlo", title="Pranata Komputer", quotas={"umum": 2})
    now = timezone.now()
    hidden_period = period_create(
        actor=build_actor(world["national"]),
        kind="pppk",
        year=2026,
        name="Seleksi PPPK 2026",
        opens=now,
        closes=now + datetime.timedelta(days=14),
    )
    hidden = make_formation(world, hidden_period, title="Formasi Belum Diumumkan")
    return {"lpg": lpg, "gtlo": gtlo, "hidden": hidden}


def ids(resp) -> list[int]:
    return [r["id"] for r in resp.json()["results"]]


class TestFormations:
    def test_anyone_lists_the_published_formations_with_their_quotas(self, client, formations, world):
        resp = call(client, "get", "/api/formations/")
        assert ids(resp) == [formations["gtlo"].pk, formations["lpg"].pk]  # by agency name, as on the page
        row = resp.json()["results"][1]
        assert row["agency"] == {"id": world["lpg"]["agency"].pk, "name": world["lpg"]["agency"].name}
        assert row["unit"] == "Bidang Mutasi" and row["education"] == ["S1"] and row["total"] == 4
        assert row["quotas"] == [
            {"category": "cumlaude", "label": "Lulusan terbaik (cumlaude)", "quota": 1},
            {"category": "umum", "label": "Umum", "quota": 3},
        ]

    def test_the_same_formations_as_the_public_search_page(self, client, formations, period):
        for query, api in (
            ("", ""),
            (f"?periode={period.pk}&kategori=cumlaude", f"?period={period.pk}&category=cumlaude"),
        ):
            html = client.get(f"/seleksi/formasi/{query}").content.decode()
            listed = ids(call(client, "get", f"/api/formations/{api}"))
            shown = [f.pk for f in formations.values() if f"/seleksi/formasi/{f.pk}/lamar/" in html]
            assert sorted(listed) == sorted(shown) and listed

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("category=cumlaude", {"lpg"}),
            ("q=komputer", {"gtlo"}),
            ("agency={gtlo}", {"gtlo"}),
            ("period={period}", {"lpg", "gtlo"}),
            ("period=999999", set()),
            ("category=nonsense", set()),
        ],
    )
    def test_filters(self, client, formations, world, period, query, expected):
        query = query.format(gtlo=world["gtlo"]["agency"].pk, period=period.pk)
        assert set(ids(call(client, "get", f"/api/formations/?{query}"))) == {formations[k].pk for k in expected}

    def test_an_unannounced_formation_is_not_found_like_a_missing_one(self, client, formations):
        call(client, "get", f"/api/formations/{formations['lpg'].pk}/")
        hidden = call(client, "get", f"/api/formations/{formations['hidden'].pk}/", status=404)
        missing = call(client, "get", "/api/formations/999999/", status=404)
        assert hidden.content == missing.content
        assert formations["hidden"].pk not in ids(call(client, "get", "/api/formations/"))


# ---- applications ----------------------------------------------------------------------------------------------


@pytest.fixture
def applications(world, period):
    """One application in Lampung and one in Gorontalo, each awaiting verification."""
    lpg = make_formation(world, period)
    gtlo = make_formation(world, period, key="gtlo", title="Pranata Komputer", quotas={"umum": 2})
    return {"lpg": enrol(lpg, "umum", status="submitted"), "gtlo": enrol(gtlo, "umum", status="submitted")}


def numbers(resp) -> set[str]:
    return {r["registration_number"] for r in resp.json()["results"]}


class TestApplicationList:
    @pytest.mark.parametrize(
        ("persona", "visible"),
        [
            ("committee_lpg", {"lpg"}),
            ("committee_gtlo", {"gtlo"}),
            ("national", {"lpg", "gtlo"}),
            ("owner", {"lpg"}),
            ("admin_lpg", set()),
            ("employee_lpg", set()),
            ("applicant", set()),
        ],
    )
    def test_scope(self, client, login, world, applications, persona, visible):
        who = applications["lpg"].applicant.user if persona == "owner" else world[persona]
        as_persona(client, login, who)
        resp = call(client, "get", "/api/applications/")
        assert numbers(resp) == {applications[k].registration_number for k in visible}

    def test_anonymous_is_refused(self, client, applications):
        call(client, "get", "/api/applications/", status=ANONYMOUS)

    def test_filters(self, client, login, world, applications):
        login(world["national"])
        lpg = applications["lpg"]
        agency = lpg.formation.agency_id
        assert numbers(call(client, "get", f"/api/applications/?agency={agency}")) == {lpg.registration_number}
        assert numbers(call(client, "get", "/api/applications/?status=eligible")) == set()
        assert len(numbers(call(client, "get", "/api/applications/?status=submitted&category=umum"))) == 2

    def test_the_list_reads_a_fixed_number_of_queries(self, client, login, world, applications):
        login(world["committee_lpg"])
        formation = applications["lpg"].formation

        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                call(client, "get", "/api/applications/")
            return len(ctx)

        few = queries()
        for _ in range(5):
            enrol(formation, "umum", status="submitted")
        assert queries() == few


class TestApplicationDetail:
    @pytest.mark.parametrize(
        ("persona", "status"),
        [
            ("committee_lpg", 200),
            ("national", 200),
            ("owner", 200),
            ("committee_gtlo", 404),
            ("admin_lpg", 404),
            ("employee_lpg", 404),
            ("other_applicant", 404),
            (None, ANONYMOUS),
        ],
    )
    def test_who_reads_an_application(self, client, login, world, applications, persona, status):
        special = {"owner": applications["lpg"].applicant.user, "other_applicant": applications["gtlo"].applicant.user}
        who = special[persona] if persona in special else world[persona] if persona else None
        as_persona(client, login, who)
        call(client, "get", f"/api/applications/{applications['lpg'].registration_number}/", status=status)

    def test_out_of_scope_looks_exactly_like_missing(self, client, login, world, applications):
        login(world["committee_gtlo"])
        other = call(client, "get", f"/api/applications/{applications['lpg'].registration_number}/", status=404)
        missing = call(client, "get", "/api/applications/CPNS26-99999999/", status=404)
        assert other.content == missing.content

    def test_the_applicant_sees_the_verdict_not_the_committees_steps(self, client, login, world, applications):
        app = applications["lpg"]
        login(world["committee_lpg"])
        call(
            client,
            "post",
            f"/api/applications/{app.registration_number}/verify/",
            {"eligible": False, "reason": "education", "note": "S1 Hukum"},
            audit="verify",
        )
        committee = call(client, "get", f"/api/applications/{app.registration_number}/").json()
        assert [v["stage"] for v in committee["verifications"]] == [1]
        as_persona(client, login, app.applicant.user)
        own = call(client, "get", f"/api/applications/{app.registration_number}/").json()
        assert own["verifications"] is None
        assert (
            own["verdict"]["reason_label"] == "Kualifikasi pendidikan tidak sesuai"
            and own["verdict"]["note"] == "S1 Hukum"
        )
        assert own["status"] == "ineligible" and own["result"]["final"] is None
        assert "nik" not in own and "birth_date" not in str(own)


class TestVerify:
    def url(self, app) -> str:
        return f"/api/applications/{app.registration_number}/verify/"

    def test_the_committee_verifies_and_the_service_audits(self, client, login, world, applications):
        app = applications["lpg"]
        login(world["committee_lpg"])
        resp = call(client, "post", self.url(app), {"eligible": True}, audit="verify")
        assert resp.json()["status"] == "eligible" and resp.json()["status_label"] == "Memenuhi syarat"
        record = AuditRecord.objects.get(action="recruitment.verify", object_id=str(app.pk))
        assert record.actor_id == world["committee_lpg"].pk and record.agency_id == app.formation.agency_id
        # a second decision on a finished verification is refused, in Indonesian
        again = call(client, "post", self.url(app), {"eligible": False, "reason": "age"}, status=400)
        assert again.json() == {"detail": "Verifikasi lamaran ini sudah selesai."}

    @pytest.mark.parametrize(
        ("body", "field", "message"),
        [
            ({"eligible": False}, "reason", "Pilih alasan tidak memenuhi syarat dari daftar."),
            ({"eligible": False, "reason": "malas"}, "reason", "Pilih alasan tidak memenuhi syarat dari daftar."),
            ({"eligible": False, "reason": "other"}, "note", "Jelaskan alasannya di catatan."),
        ],
    )
    def test_the_pages_reasons_are_required(self, client, login, world, applications, body, field, message):
        app = applications["lpg"]
        login(world["committee_lpg"])
        resp = call(client, "post", self.url(app), body, status=400)
        assert resp.json() == {field: [message]}
        app.refresh_from_db()
        assert app.status == "submitted" and not app.verifications.exists()

    def test_a_missing_decision_is_a_field_error(self, client, login, world, applications):
        login(world["committee_lpg"])
        assert "eligible" in call(client, "post", self.url(applications["lpg"]), {}, status=400).json()

    def test_the_applicant_may_read_but_not_verify_their_own(self, client, login, applications):
        app = applications["lpg"]
        login(app.applicant.user)
        resp = call(client, "post", self.url(app), {"eligible": True}, status=403)
        assert resp.json() == {"detail": "Hanya panitia seleksi instansi ini yang dapat melakukan ini."}
        assert Application.objects.get(pk=app.pk).status == "submitted"

    @pytest.mark.parametrize("persona", ["committee_gtlo", "admin_lpg", "employee_lpg", "applicant"])
    def test_out_of_scope_is_not_found(self, client, login, world, applications, persona):
        login(world[persona])
        call(client, "post", self.url(applications["lpg"]), {"eligible": True}, status=404)
        assert not applications["lpg"].verifications.exists()

    def test_anonymous_is_refused(self, client, applications):
        call(client, "post", self.url(applications["lpg"]), {"eligible": True}, status=ANONYMOUS)

    def test_the_national_admin_verifies_any_agency(self, client, login, world, applications):
        login(world["national"])
        call(client, "post", self.url(applications["gtlo"]), {"eligible": True}, audit="verify")

    def test_with_a_second_check_another_member_confirms(self, client, login, world, applications, period):
        from accounts.choices import Role
        from tests.factories import make_user

        RecruitmentPeriod.objects.filter(pk=period.pk).update(second_check=True)
        app = applications["lpg"]
        login(world["committee_lpg"])
        assert call(client, "post", self.url(app), {"eligible": True}, audit="verify").json()["status"] == "submitted"
        same = call(client, "post", self.url(app), {"eligible": True}, status=400)
        assert same.json() == {"detail": "Verifikasi tahap kedua dilakukan oleh anggota panitia yang lain."}
        login(make_user("panitia2.lpg", Role.SELECTION_COMMITTEE, agency=world["lpg"]["agency"]))
        assert call(client, "post", self.url(app), {"eligible": True}, audit="verify").json()["status"] == "eligible"


def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))


def test_the_browsable_api_renders(client, login, world, applications, period):
    login(world["committee_lpg"])
    app = applications["lpg"]
    for path in ("/api/formations/", "/api/applications/", f"/api/applications/{app.registration_number}/"):
        assert client.get(path, HTTP_ACCEPT="text/html").status_code == 200, path
