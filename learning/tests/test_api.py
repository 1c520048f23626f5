"""The competency-development API: every list scoped like the pages (out of scope is 404 on one object and
absent from lists), every write through its service and audited, refusals leaving nothing behind."""

import datetime
from decimal import Decimal

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AuditRecord
from learning import services
from learning.models import AllocationRun, Enrollment, JpEntry, TrainingEvent
from learning.views.allocation import SALT
from tests.factories import make_employee

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def _mark() -> int:
    return AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def call(client, method, url, data=None, *, status=200, audit=None, fmt="json"):
    """Make a request, check its status and, for a write, the audit record it must leave (and only then)."""
    mark = _mark()
    if method == "get":
        resp = client.get(url, data or {})
    elif fmt == "multipart":
        resp = client.post(url, data)
    else:
        resp = getattr(client, method)(url, data if data is not None else {}, content_type="application/json")
    assert resp.status_code == status, resp.content[:500]
    written = list(AuditRecord.objects.filter(id__gt=mark).values_list("action", flat=True))
    if audit is not None:
        assert audit in written
    if status >= 400 or method == "get":
        assert written == []  # a read or a refused write leaves nothing behind
    return resp


def results(resp):
    body = resp.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


@pytest.fixture
def assessed(learning_world, actors, world):
    services.assessment_record(
        actor=actors["admin_lpg"],
        employee=world["lpg"]["e_staff"],
        competency=learning_world["asn"],
        level=1,
        source="cact",
        assessed_on=today(),
    )
    return learning_world


class TestDictionary:
    def test_national_for_all_technical_for_its_agency(self, client, login, learning_world, world):
        login(world["employee_gtlo"])
        codes = {c["code"] for c in results(call(client, "get", "/api/competencies/"))}
        assert "M1" in codes and "T-ASN" not in codes
        call(client, "get", f"/api/competencies/{learning_world['asn'].pk}/", status=404)
        login(world["national"])
        codes = {c["code"] for c in results(call(client, "get", "/api/competencies/", {"page_size": 100}))}
        assert {"M1", "T-ASN"} <= codes
        login(world["admin_lpg"])
        asn = call(client, "get", f"/api/competencies/{learning_world['asn'].pk}/").json()
        assert (asn["kind"], asn["agency"], [lv["level"] for lv in asn["levels"]]) == (
            "technical",
            world["lpg"]["agency"].code,
            [1, 2, 3, 4],
        )

    def test_hr_adds_a_technical_competency(self, client, login, learning_world, world):
        login(world["admin_lpg"])
        body = {
            "kind": "technical",
            "code": "T-ARS",
            "name": "Kearsipan",
            "agency": world["lpg"]["agency"].pk,
            "levels": ["Dasar", "Menengah", "Mahir"],
        }
        comp = call(client, "post", "/api/competencies/", body, status=201, audit="learning.competency_create").json()
        assert comp["max_level"] == 3 and comp["levels"][2]["description"] == "Mahir"
        call(client, "post", "/api/competencies/", body, status=400)  # the code is taken
        login(world["admin_gtlo"])
        body["code"] = "T-ARS2"
        resp = call(client, "post", "/api/competencies/", body, status=400)
        assert "agency" in resp.json()
        login(world["employee_lpg"])
        body |= {"kind": "managerial", "code": "M99", "agency": None}
        call(client, "post", "/api/competencies/", body, status=403)

    def test_standards_set_and_remove(self, client, login, learning_world, world):
        staff = world["lpg"]["staff"]
        login(world["admin_lpg"])
        row = call(
            client,
            "post",
            "/api/competency-standards/",
            {"position": staff.pk, "competency": learning_world["asn"].pk, "required_level": 2},
            audit="learning.standard_set",
        ).json()
        assert row["required_level"] == 2
        listed = results(call(client, "get", "/api/competency-standards/", {"position": staff.pk}))
        assert {(s["competency"]["code"], s["required_level"]) for s in listed} == {("T-ASN", 2), ("M1", 3)}
        call(
            client,
            "post",
            "/api/competency-standards/",
            {"position": staff.pk, "competency": learning_world["asn"].pk, "required_level": None},
            status=204,
            audit="learning.standard_set",
        )
        login(world["admin_gtlo"])
        assert results(call(client, "get", "/api/competency-standards/", {"position": staff.pk})) == []
        call(
            client,
            "post",
            "/api/competency-standards/",
            {"position": staff.pk, "competency": learning_world["integrity"].pk, "required_level": 2},
            status=400,
        )


class TestAssessments:
    def test_scope_and_record(self, client, login, assessed, world):
        nip = world["lpg"]["e_staff"].nip
        login(world["supervisor_lpg"])
        [row] = results(call(client, "get", "/api/competency-assessments/", {"employee": nip}))
        assert (row["competency"]["code"], row["level"], row["source"]) == ("T-ASN", 1, "cact")
        call(
            client,
            "post",
            "/api/competency-assessments/",
            {
                "employee": nip,
                "competency": assessed["asn"].pk,
                "level": 2,
                "source": "supervisor",
                "assessed_on": str(today()),
            },
            status=201,
            audit="learning.assessment_record",
        )
        login(world["admin_gtlo"])
        assert results(call(client, "get", "/api/competency-assessments/")) == []
        call(client, "get", f"/api/competency-assessments/{row['id']}/", status=404)
        resp = call(
            client,
            "post",
            "/api/competency-assessments/",
            {
                "employee": nip,
                "competency": assessed["integrity"].pk,
                "level": 2,
                "source": "cact",
                "assessed_on": str(today()),
            },
            status=400,
        )
        assert "employee" in resp.json()

    def test_the_employee_may_only_self_assess(self, client, login, assessed, world):
        login(world["employee_lpg"])
        body = {
            "employee": world["lpg"]["e_staff"].nip,
            "competency": assessed["asn"].pk,
            "level": 3,
            "source": "cact",
            "assessed_on": str(today()),
        }
        call(client, "post", "/api/competency-assessments/", body, status=403)
        call(
            client,
            "post",
            "/api/competency-assessments/",
            body | {"source": "self"},
            status=201,
            audit="learning.assessment_record",
        )


class TestPlans:
    def test_build_submit_and_the_supervisor_decides(self, client, login, assessed, world):
        login(world["employee_lpg"])
        plan = call(
            client,
            "post",
            "/api/development-plans/",
            {"year": assessed["year"], "career_goal": "Analis SDM"},
            status=201,
            audit="learning.plan_build",
        ).json()
        assert [(i["origin"], i["gap"], i["program"]) for i in plan["items"]] == [("gap", 2, assessed["program"].pk)]
        url = f"/api/development-plans/{plan['id']}/"
        assert call(client, "post", url + "submit/", audit="learning.plan_submit").json()["status"] == "submitted"
        call(client, "post", url + "decide/", {"approve": True}, status=403)  # not one's own
        login(world["admin_lpg"])
        call(client, "post", url + "decide/", {"approve": True}, status=403)
        login(world["supervisor_lpg"])
        call(client, "post", url + "decide/", {"approve": False}, status=400)  # a return needs a note
        done = call(client, "post", url + "decide/", {"approve": True}, audit="learning.plan_decide").json()
        assert done["status"] == "approved" and done["supervisor"]["nip"] == world["lpg"]["e_kabid"].nip
        login(world["employee_gtlo"])
        call(client, "get", url, status=404)
        call(client, "post", url + "submit/", status=404)
        assert results(call(client, "get", "/api/development-plans/")) == []

    def test_hr_builds_for_an_employee_of_its_agency_only(self, client, login, assessed, world):
        login(world["admin_lpg"])
        call(
            client,
            "post",
            "/api/development-plans/",
            {"year": assessed["year"], "employee": world["lpg"]["e_staff"].nip},
            status=201,
            audit="learning.plan_build",
        )
        call(
            client,
            "post",
            "/api/development-plans/",
            {"year": assessed["year"], "employee": world["gtlo"]["e_staff"].nip},
            status=400,
        )
        login(world["national"])
        call(client, "post", "/api/development-plans/", {"year": assessed["year"]}, status=400)  # no employee record
        world["gtlo"]["e_head"].user = world["national"]
        world["gtlo"]["e_head"].save(update_fields=["user"])
        login(world["national"])  # a national admin who is also an employee still reads every plan
        assert len(results(call(client, "get", "/api/development-plans/"))) == 1


class TestCatalogue:
    def test_programme_and_event(self, client, login, learning_world, world):
        login(world["admin_lpg"])
        program = call(
            client,
            "post",
            "/api/programs/",
            {
                "code": "P-ARS",
                "title": "Kearsipan Dinamis",
                "jp": "12",
                "modality": "elearning",
                "provider": "ANRI",
                "cost": "250000",
                "targets": [{"competency": learning_world["asn"].pk, "level": 2}],
            },
            status=201,
            audit="learning.program_create",
        ).json()
        assert program["targets"] == [
            {"competency": {"id": learning_world["asn"].pk, "code": "T-ASN", "name": "Manajemen ASN"}, "level": 2}
        ]
        start = today() + datetime.timedelta(days=20)
        body = {
            "program": program["id"],
            "agency": world["lpg"]["agency"].pk,
            "name": "Daring I",
            "starts_on": str(start),
            "ends_on": str(start),
            "place": "Daring",
            "capacity": 40,
        }
        event = call(client, "post", "/api/training-events/", body, status=201, audit="learning.event_create").json()
        assert (event["seats_taken"], event["agency"]) == (0, world["lpg"]["agency"].code)
        call(
            client,
            "post",
            "/api/training-events/",
            body | {"ends_on": str(start - datetime.timedelta(days=1))},
            status=400,
        )
        login(world["admin_gtlo"])
        resp = call(client, "post", "/api/training-events/", body, status=400)
        assert "agency" in resp.json()
        call(client, "get", f"/api/training-events/{event['id']}/", status=404)
        login(world["employee_lpg"])
        assert event["id"] in {e["id"] for e in results(call(client, "get", "/api/training-events/"))}
        call(client, "post", "/api/programs/", {**body, "code": "X"}, status=400)


class TestEnrolments:
    def test_request_decide_complete_and_evaluate(self, client, login, learning_world, world):
        lw, nip = learning_world, world["lpg"]["e_staff"].nip
        login(world["employee_lpg"])
        e = call(
            client,
            "post",
            "/api/enrollments/request/",
            {"event": lw["event"].pk},
            status=201,
            audit="learning.enrollment_request",
        ).json()
        assert (e["status"], e["employee"]["nip"]) == ("requested", nip)
        url = f"/api/enrollments/{e['id']}/"
        call(client, "post", url + "decide/", {"approve": True}, status=403)
        login(world["supervisor_lpg"])
        assert (
            call(client, "post", url + "decide/", {"approve": True}, audit="learning.enrollment_decide").json()[
                "status"
            ]
            == "enrolled"
        )
        past = today() - datetime.timedelta(days=100)
        TrainingEvent.objects.filter(pk=lw["event"].pk).update(starts_on=past, ends_on=past)
        login(world["admin_lpg"])
        call(client, "post", url + "complete/", {"pre_score": "50"}, status=400)  # the post-test is required
        done = call(
            client,
            "post",
            url + "complete/",
            {"pre_score": "50", "post_score": "85", "completed_on": str(past)},
            audit="learning.enrollment_complete",
        ).json()
        assert done["status"] == "completed" and len(done["certificate"]) == 12
        [entry] = results(call(client, "get", "/api/jp-entries/", {"employee": nip}))
        assert Decimal(entry["jp"]) == Decimal(20) and entry["enrollment"] == e["id"]
        call(
            client,
            "post",
            url + "reaction/",
            {"relevance": 5, "material": 4, "facilitator": 4, "organisation": 4},
            status=403,
        )
        login(world["employee_lpg"])
        scores = {"relevance": 5, "material": 4, "facilitator": 4, "organisation": 4}
        call(client, "post", url + "reaction/", scores | {"material": 6}, status=400)
        call(client, "post", url + "reaction/", scores, status=201, audit="learning.reaction_submit")
        call(client, "post", url + "reaction/", scores, status=400)
        login(world["supervisor_lpg"])
        call(client, "post", url + "follow-up/", {"outcome": "changed"}, status=201, audit="learning.follow_up")
        call(client, "post", url + "follow-up/", {"outcome": "changed"}, status=400)

    def test_hr_enrols_and_cancels_and_others_see_nothing(self, client, login, learning_world, world):
        lw = learning_world
        login(world["admin_lpg"])
        e = call(
            client,
            "post",
            "/api/enrollments/",
            {"event": lw["event"].pk, "employee": world["lpg"]["e_staff"].nip},
            status=201,
            audit="learning.enroll",
        ).json()
        assert (e["status"], Decimal(e["cost"])) == ("enrolled", Decimal(1_000_000))
        url = f"/api/enrollments/{e['id']}/"
        call(client, "post", url + "cancel/", {"reason": ""}, status=400)
        call(
            client,
            "post",
            url + "attendance/",
            {"day": str(today() - datetime.timedelta(days=400)), "present": True},
            status=400,
        )
        for who in ("admin_gtlo", "employee_gtlo", "supervisor_gtlo"):
            login(world[who])
            assert results(call(client, "get", "/api/enrollments/")) == []
            call(client, "get", url, status=404)
            call(client, "post", url + "cancel/", {"reason": "x"}, status=404)
        login(world["admin_gtlo"])
        resp = call(
            client,
            "post",
            "/api/enrollments/",
            {"event": lw["event"].pk, "employee": world["gtlo"]["e_staff"].nip},
            status=400,
        )
        assert "event" in resp.json()
        login(world["auditor_lpg"])
        assert [x["id"] for x in results(call(client, "get", "/api/enrollments/"))] == [e["id"]]
        call(client, "post", url + "cancel/", {"reason": "audit"}, status=403)
        login(world["employee_lpg"])
        assert (
            call(client, "post", url + "cancel/", {"reason": "Sakit"}, audit="learning.enrollment_cancel").json()[
                "status"
            ]
            == "cancelled"
        )

    def test_the_list_does_not_grow_with_the_rows(self, client, login, learning_world, world, actors):
        lw = learning_world
        services.budget_set(actor=actors["admin_lpg"], agency=world["lpg"]["agency"], year=lw["year"], amount=10**9)
        TrainingEvent.objects.filter(pk=lw["event"].pk).update(capacity=50)
        login(world["admin_lpg"])
        services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=world["lpg"]["e_staff"])
        client.get("/api/enrollments/")
        with CaptureQueriesContext(connection) as few:
            client.get("/api/enrollments/")
        for i in range(12):
            emp = make_employee(world["lpg"]["agency"], world["lpg"]["staff"], name=f"Peserta {i:02d}")
            services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=emp)
        with CaptureQueriesContext(connection) as many:
            assert len(results(client.get("/api/enrollments/"))) == 13
        assert len(many.captured_queries) == len(few.captured_queries) <= 8


class TestExternalLearning:
    def test_submit_then_verify_books_jp(self, client, login, learning_world, world):
        day = today() - datetime.timedelta(days=3)
        login(world["employee_lpg"])
        body = {
            "title": "Webinar SAKIP",
            "provider": "KemenPANRB",
            "modality": "seminar",
            "started_on": str(day),
            "ended_on": str(day),
            "minutes": "135",
            "evidence": SimpleUploadedFile("s.pdf", b"%PDF-1.4 bukti", content_type="application/pdf"),
        }
        item = call(
            client,
            "post",
            "/api/external-learning/",
            body,
            status=201,
            audit="learning.external_submit",
            fmt="multipart",
        ).json()
        assert item["status"] == "submitted"
        body["evidence"] = SimpleUploadedFile("s.pdf", b"not a pdf", content_type="application/pdf")
        call(client, "post", "/api/external-learning/", body, status=400, fmt="multipart")
        url = f"/api/external-learning/{item['id']}/verify/"
        call(client, "post", url, {"accept": True}, status=403)
        login(world["admin_gtlo"])
        call(client, "post", url, {"accept": True}, status=404)
        login(world["admin_lpg"])
        call(client, "post", url, {"accept": False}, status=400)  # a rejection needs a reason
        assert (
            call(client, "post", url, {"accept": True}, audit="learning.external_verify").json()["status"] == "verified"
        )
        assert JpEntry.objects.get(external_id=item["id"]).jp == Decimal(3)


class TestBudgets:
    def test_set_list_and_position(self, client, login, learning_world, world):
        lpg = world["lpg"]["agency"]
        login(world["admin_lpg"])
        call(
            client,
            "post",
            "/api/training-budgets/",
            {"agency": lpg.pk, "year": learning_world["year"], "amount": "3000000"},
            audit="learning.budget_set",
        )
        call(client, "post", "/api/training-budgets/", {"agency": lpg.pk, "year": 2030, "amount": "-1"}, status=400)
        [row] = results(call(client, "get", "/api/training-budgets/"))
        assert (row["agency"], Decimal(row["amount"])) == (lpg.code, Decimal(3_000_000))
        pos = call(client, "get", "/api/training-budgets/position/", {"agency": lpg.pk, "year": learning_world["year"]})
        assert Decimal(pos.json()["available"]) == Decimal(3_000_000)
        call(client, "get", "/api/training-budgets/position/", {"agency": lpg.pk}, status=400)
        call(
            client,
            "get",
            "/api/training-budgets/position/",
            {"agency": world["gtlo"]["agency"].pk, "year": 2026},
            status=404,
        )
        for who in ("admin_gtlo", "employee_lpg", "supervisor_lpg"):
            login(world[who])
            assert results(call(client, "get", "/api/training-budgets/")) == []
        login(world["admin_gtlo"])
        call(client, "post", "/api/training-budgets/", {"agency": lpg.pk, "year": 2030, "amount": "5"}, status=400)
        login(world["national"])
        assert len(results(call(client, "get", "/api/training-budgets/"))) == 1


class TestReports:
    def test_compliance_per_role(self, client, login, assessed, world):
        login(world["admin_lpg"])
        rows = call(client, "get", "/api/learning-reports/compliance/").json()
        assert {r["name"]: r["pns"] for r in rows} == {"BKD Lampung": 1, "Bidang Mutasi": 2}
        login(world["national"])
        rows = call(client, "get", "/api/learning-reports/compliance/").json()
        assert {r["name"] for r in rows} == {"Lampung", "Gorontalo"}
        rows = call(client, "get", "/api/learning-reports/compliance/", {"group": "region"}).json()
        assert len(rows) == 2
        call(client, "get", "/api/learning-reports/compliance/", {"group": "employee"}, status=400)
        call(client, "get", "/api/learning-reports/compliance/", {"year": "abc"}, status=400)
        login(world["admin_gtlo"])
        call(client, "get", "/api/learning-reports/compliance/", {"agency": world["lpg"]["agency"].pk}, status=404)
        login(world["employee_lpg"])
        for report in ("compliance", "at-risk", "gap-heatmap", "budget", "effectiveness"):
            call(client, "get", f"/api/learning-reports/{report}/", status=404)

    def test_the_other_reports(self, client, login, assessed, world):
        login(world["admin_lpg"])
        at_risk = call(client, "get", "/api/learning-reports/at-risk/").json()
        assert {r["employee"]["nip"] for r in at_risk} == {
            world["lpg"][k].nip for k in ("e_head", "e_kabid", "e_staff")
        }
        heat = call(client, "get", "/api/learning-reports/gap-heatmap/").json()
        assert heat["cells"] == [{"group": world["lpg"]["div"].pk, "competency": assessed["asn"].pk, "mean_gap": 2.0}]
        [budget] = call(client, "get", "/api/learning-reports/budget/", {"year": assessed["year"]}).json()
        assert (budget["agency"], Decimal(budget["amount"])) == ("Lampung", Decimal(2_500_000))
        assert call(client, "get", "/api/learning-reports/effectiveness/").json() == []
        login(world["admin_gtlo"])
        assert call(client, "get", "/api/learning-reports/budget/", {"year": assessed["year"]}).json() == []


class TestAllocation:
    @pytest.fixture(autouse=True)
    def _on_commit(self, django_capture_on_commit_callbacks):
        self.on_commit = django_capture_on_commit_callbacks

    def _propose(self, client, lw, world, **extra):
        """Queue a run (computed on commit by the in-process task backend), then read it."""
        body = {"agency": world["lpg"]["agency"].pk, "year": lw["year"]} | extra
        with self.on_commit(execute=True):
            run = call(
                client, "post", "/api/learning-allocation/runs/", body, status=201, audit="learning.allocation_request"
            ).json()
        assert run["status"] == "queued" and run["result"] is None
        assert run["url"].endswith(f"/api/learning-allocation/runs/{run['uid']}/")
        done = call(client, "get", run["url"]).json()
        assert done["status"] == "done" and done["error"] == ""
        return done["result"]

    def test_propose_and_accept(self, client, login, assessed, world):
        login(world["admin_lpg"])
        p = self._propose(client, assessed, world)
        assert p["exact"]["value"] >= p["greedy"]["value"]
        assert p["exact"]["enrollments"] == [{"employee": world["lpg"]["e_staff"].nip, "event": assessed["event"].pk}]
        assert p["exact"]["optimal"] and p["exact"]["gap"] == 0 and not p["stale"]
        reasons = {r["employee"]["nip"]: r["reason"] for r in p["still_short"]}
        assert reasons[world["lpg"]["e_head"].nip] == "no_event"
        body = {"agency": world["lpg"]["agency"].pk, "token": p["token"]}
        out = call(
            client, "post", "/api/learning-allocation/accept/", body, status=201, audit="learning.allocation_accept"
        ).json()
        assert set(Enrollment.objects.values_list("pk", flat=True)) == set(out["enrollments"])
        resp = call(client, "post", "/api/learning-allocation/accept/", body, status=400)
        assert "token" in resp.json()

    def test_tampered_and_foreign_tokens_are_refused(self, client, login, assessed, world):
        login(world["admin_lpg"])
        p = self._propose(client, assessed, world)
        payload = signing.loads(p["token"], salt=SALT)
        payload["p"] = [[world["lpg"]["e_head"].pk, assessed["event"].pk]]
        agency = world["lpg"]["agency"].pk
        for forged in (signing.dumps(payload, salt="other"), "abc"):
            call(client, "post", "/api/learning-allocation/accept/", {"agency": agency, "token": forged}, status=400)
        login(world["national"])
        call(client, "post", "/api/learning-allocation/accept/", {"agency": agency, "token": p["token"]}, status=400)
        assert not Enrollment.objects.exists()

    def test_only_the_agencys_hr(self, client, login, assessed, world):
        body = {"agency": world["lpg"]["agency"].pk, "year": assessed["year"]}
        for who in ("admin_gtlo", "auditor_lpg", "employee_lpg"):
            login(world[who])
            call(client, "post", "/api/learning-allocation/runs/", body, status=404)
        login(world["admin_lpg"])
        call(client, "post", "/api/learning-allocation/runs/", body | {"max_events": 0}, status=400)
        assert not AllocationRun.objects.exists()


def test_the_browsable_api_renders(client, login, assessed, world):
    login(world["admin_lpg"])
    for url in (
        "/api/competencies/",
        "/api/enrollments/",
        "/api/training-events/",
        "/api/learning-reports/compliance/",
        "/api/training-budgets/",
    ):
        assert client.get(url, HTTP_ACCEPT="text/html").status_code == 200, url
