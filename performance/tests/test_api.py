# ruff: noqa: F811
"""The performance API: the pages' data and operations, scoped like the pages, every write audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditRecord
from performance import selectors
from performance.choices import PlanState
from performance.models import Assessment, CoachingPlan, Evidence, PeerInput, Rhk, Skp
from performance.services import plan, rating
from performance.services.setup import indicator_create, org_rating_set
from performance.tests.conftest import DAY
from performance.tests.test_services_plan import IND, approved_chain
from performance.tests.test_services_rating import rate_all, rated  # noqa: F401
from tests.factories import make_employee, make_user

pytestmark = pytest.mark.django_db

INDICATORS = [{"aspect": a, "text": t, "target": g} for a, t, g in IND]
WITHIN_CURVE = [("meets", "meets")] * 3 + [("above", "above"), ("below", "meets")]


def _mark() -> int:
    return AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _actions_since(mark: int) -> list[str]:
    return list(AuditRecord.objects.filter(id__gt=mark).values_list("action", flat=True))


def call(client, method, url, data=None, *, status=200, audit=None):
    """Make a JSON request, check its status and, for a write, the audit record it must leave (and only then)."""
    mark = _mark()
    resp = getattr(client, method)(url, data if data is not None else {}, content_type="application/json")
    assert resp.status_code == status, resp.content
    if audit is not None:
        assert audit in _actions_since(mark)
    if status >= 400:
        assert _actions_since(mark) == []  # a refused write leaves nothing behind
    return resp


def own_plan(client, login, team, kabid_rhk, n=0, *, approve=True):
    """Staff member n creates, fills, submits and (by the Kabid) gets approved a plan, all through the API."""
    login(team.u_staff[n])
    skp = call(client, "post", "/api/skps/", {"perf_year": team.year.pk}, status=201).json()
    url = f"/api/skps/{skp['id']}/"
    call(
        client,
        "post",
        url + "rhk/",
        {"text": "Usulan mutasi", "supports": kabid_rhk.pk, "indicators": INDICATORS},
        status=201,
    )
    call(client, "post", url + "submit/")
    if approve:
        login(team.u_kabid)
        call(client, "post", url + "approve/")
    return skp["id"]


class TestPlanWorkflow:
    def test_create_add_an_rhk_submit_and_approve(self, client, login, team):
        _h, _hr, _k, kabid_rhk = approved_chain(team)
        login(team.u_staff[0])
        skp = call(client, "post", "/api/skps/", {"perf_year": team.year.pk}, status=201, audit="skp.create").json()
        assert (skp["employee"]["nip"], skp["status"], skp["year"]) == (team.staff[0].nip, "draft", 2026)
        assert skp["can"] == {"owner": True, "assessor": False, "peer_input": False}
        url = f"/api/skps/{skp['id']}/"
        options = call(client, "get", url + "rhk-options/").json()
        assert [r["id"] for r in options["supervisor_rhks"]] == [kabid_rhk.pk]
        assert options["assessor"]["nip"] == team.kabid.nip

        rhk = call(
            client,
            "post",
            url + "rhk/",
            {"text": "Usulan mutasi", "supports": kabid_rhk.pk, "indicators": INDICATORS},
            status=201,
            audit="skp.rhk_add",
        ).json()
        assert rhk["supports"]["id"] == kabid_rhk.pk and rhk["supports"]["employee"]["nip"] == team.kabid.nip
        assert [i["aspect"] for i in rhk["indicators"]] == ["quantity", "time"]
        changed = call(
            client,
            "put",
            f"{url}rhks/{rhk['id']}/",
            {"text": "Usulan mutasi terverifikasi", "supports": kabid_rhk.pk, "indicators": INDICATORS[:1]},
            audit="skp.rhk_update",
        ).json()
        assert changed["text"] == "Usulan mutasi terverifikasi" and len(changed["indicators"]) == 1
        assert call(client, "post", url + "submit/", audit="skp.submit").json()["status"] == "submitted"

        login(team.u_kabid)
        seen = call(client, "get", url).json()
        assert seen["can"]["assessor"] and seen["rhks"][0]["text"] == "Usulan mutasi terverifikasi"
        approved = call(client, "post", url + "approve/", audit="skp.approve").json()
        assert approved["status"] == "approved" and approved["assessor"]["nip"] == team.kabid.nip
        assert [v["version"] for v in approved["versions"]] == [1]
        assert approved["versions"][0]["content"]["rhk"][0]["supports"] == "Mutasi tepat waktu"

    def test_return_with_a_comment_and_delete_an_rhk(self, client, login, team):
        _h, _hr, _k, kabid_rhk = approved_chain(team)
        login(team.u_staff[0])
        skp = call(client, "post", "/api/skps/", {"perf_year": team.year.pk}, status=201).json()
        url = f"/api/skps/{skp['id']}/"
        body = {"text": "Dua", "supports": kabid_rhk.pk, "indicators": INDICATORS}
        call(client, "post", url + "rhk/", {**body, "text": "Satu"}, status=201)
        second = call(client, "post", url + "rhk/", body, status=201).json()
        call(client, "delete", f"{url}rhks/{second['id']}/", status=204, audit="skp.rhk_delete")
        assert list(Rhk.objects.filter(skp_id=skp["id"]).values_list("text", flat=True)) == ["Satu"]
        call(client, "delete", f"{url}rhks/{second['id']}/", status=404)
        call(client, "post", url + "submit/")
        login(team.u_kabid)
        refused = call(client, "post", url + "return/", {"comment": " "}, status=400).json()
        assert refused == {"comment": ["Tuliskan apa yang perlu diperbaiki."]}
        returned = call(
            client, "post", url + "return/", {"comment": "Target terlalu rendah"}, audit="skp.return"
        ).json()
        assert (returned["status"], returned["return_comment"]) == ("returned", "Target terlalu rendah")

    def test_an_admin_starts_a_plan_for_an_employee_by_nip(self, client, login, team):
        login(team.u_admin)
        skp = call(
            client,
            "post",
            "/api/skps/",
            {"perf_year": team.year.pk, "employee": team.staff[1].nip},
            status=201,
            audit="skp.create",
        ).json()
        assert skp["employee"]["nip"] == team.staff[1].nip
        refused = call(client, "post", "/api/skps/", {"perf_year": team.year.pk}, status=400).json()
        assert "NIP" in refused["employee"][0]  # an admin account without an employee must name one

    def test_the_list_is_scoped_and_filtered(self, client, login, rated):
        login(rated.u_kabid)
        rows = call(client, "get", "/api/skps/").json()["results"]
        assert {r["employee"]["nip"] for r in rows} == {rated.kabid.nip} | {e.nip for e in rated.staff}
        only = call(client, "get", f"/api/skps/?employee={rated.staff[2].nip}").json()["results"]
        assert [r["id"] for r in only] == [rated.skps[2].pk]
        login(rated.u_staff[0])
        assert [r["id"] for r in call(client, "get", "/api/skps/").json()["results"]] == [rated.skps[0].pk]
        login(rated.u_admin)
        assert call(client, "get", f"/api/skps/?perf_year={rated.year.pk}&status=approved").json()["count"] == 7
        assert call(client, "get", "/api/skps/?status=draft").json()["count"] == 0


class TestRefusals:
    def test_supporting_the_wrong_rhk_is_a_400_with_the_services_message(self, client, login, team):
        _h, head_rhk, _k, _kr = approved_chain(team)
        login(team.u_staff[0])
        skp = call(client, "post", "/api/skps/", {"perf_year": team.year.pk}, status=201).json()
        resp = call(
            client,
            "post",
            f"/api/skps/{skp['id']}/rhk/",
            {"text": "x", "supports": head_rhk.pk, "indicators": INDICATORS},
            status=400,
        )
        assert resp.json() == {
            "supports": ["RHK yang diintervensi harus RHK atasan langsung Anda pada tahun yang sama."]
        }
        unknown = call(
            client,
            "post",
            f"/api/skps/{skp['id']}/rhk/",
            {"text": "x", "supports": 999999, "indicators": INDICATORS},
            status=400,
        )
        assert unknown.json() == {"supports": ["RHK atasan yang diintervensi tidak ditemukan."]}

    def test_ids_in_the_body_are_looked_up_within_the_plan(self, client, login, rated):
        other_rhk = rated.skps[1].rhks.get()
        login(rated.u_staff[0])
        url = f"/api/skps/{rated.skps[0].pk}/realization/"
        resp = call(client, "post", url, {"rhk": other_rhk.pk, "period": rated.q1.pk, "text": "x"}, status=400)
        assert resp.json() == {"rhk": ["RHK bukan bagian dari SKP ini."]}
        own_rhk = rated.skps[0].rhks.get()
        resp = call(client, "post", url, {"rhk": own_rhk.pk, "period": 999999, "text": "x"}, status=400)
        assert resp.json() == {"period": ["Periode bukan bagian dari tahun kinerja ini."]}
        resp = call(client, "post", url, {"rhk": own_rhk.pk, "period": rated.q1.pk}, status=400)
        assert "text" in resp.json()  # the serializer refuses a missing field before any service runs

    def test_the_wrong_actor_gets_403_with_the_reason(self, client, login, team):
        _h, _hr, _k, kabid_rhk = approved_chain(team)
        skp_id = own_plan(client, login, team, kabid_rhk, approve=False)
        url = f"/api/skps/{skp_id}/approve/"
        login(team.u_head)  # sees the plan (it is below him) but is not the direct supervisor
        resp = call(client, "post", url, status=403)
        assert resp.json()["detail"] == "Hanya atasan langsung (pejabat penilai) pegawai ini yang dapat melakukan ini."
        login(team.u_staff[0])
        call(client, "post", url, status=403)
        call(client, "post", "/api/performance-years/", {"agency": team.agency.pk, "year": 2027}, status=403)
        assert Skp.objects.get(pk=skp_id).status == "submitted"

    def test_a_peer_cannot_read_or_change_anothers_plan(self, client, login, rated):
        login(rated.u_staff[1])
        call(client, "get", f"/api/skps/{rated.skps[0].pk}/", status=404)
        call(client, "post", f"/api/skps/{rated.skps[0].pk}/submit/", status=404)


class TestOutOfScope:
    def test_another_agency_gets_404_exactly_like_missing(self, client, login, rated):
        login(rated.world["admin_gtlo"])
        skp = rated.skps[0].pk
        other = call(client, "get", f"/api/skps/{skp}/", status=404)
        missing = call(client, "get", "/api/skps/999999/", status=404)
        assert other.content == missing.content
        call(client, "post", f"/api/skps/{skp}/approve/", status=404)
        call(client, "get", f"/api/skps/{skp}/peer-summary/?period={rated.q1.pk}", status=404)
        call(client, "get", f"/api/performance-years/{rated.year.pk}/", status=404)
        call(client, "get", f"/api/performance-years/{rated.year.pk}/dashboard/", status=404)
        call(client, "post", f"/api/performance-years/{rated.year.pk}/close/", status=404)
        call(client, "get", f"/api/unit-rounds/?unit={rated.div.pk}&period={rated.q1.pk}", status=404)
        body = {"unit": rated.div.pk, "period": rated.q1.pk, "justification": "x"}
        call(client, "post", "/api/unit-rounds/finalize/", body, status=404)
        call(client, "get", f"/api/performance-settings/{rated.agency.pk}/", status=404)
        for url in ("/api/skps/", "/api/performance-years/", "/api/assessments/", "/api/indicators/"):
            assert call(client, "get", url).json()["count"] == 0
        refused = call(
            client, "post", "/api/skps/", {"perf_year": rated.year.pk, "employee": rated.staff[0].nip}, status=400
        )
        assert refused.json() == {"perf_year": ["Tahun kinerja tidak ditemukan."]}

    def test_a_period_of_another_agency_or_a_bad_id_is_404(self, client, login, rated):
        login(rated.u_admin)
        gtlo_unit = rated.world["gtlo"]["div"]
        call(client, "get", f"/api/unit-rounds/?unit={gtlo_unit.pk}&period={rated.q1.pk}", status=404)
        call(client, "get", f"/api/skps/{rated.skps[0].pk}/peer-summary/?period=999999", status=404)
        call(client, "get", "/api/skps/abc/", status=404)
        assert call(client, "get", "/api/unit-rounds/?unit=1", status=400).json() == {
            "period": ["Parameter ini wajib diisi."]
        }

    def test_an_employee_sees_the_year_but_not_the_dashboard(self, client, login, rated):
        login(rated.u_staff[0])
        assert call(client, "get", f"/api/performance-years/{rated.year.pk}/").json()["year"] == 2026
        call(client, "get", f"/api/performance-years/{rated.year.pk}/dashboard/", status=404)
        call(client, "get", f"/api/performance-settings/{rated.agency.pk}/", status=404)
        call(client, "get", "/api/team/")  # an employee without subordinates has an empty team


class TestRatingRound:
    def test_org_rating_ratings_curve_and_finalize(self, client, login, rated):
        round_url = f"/api/unit-rounds/?unit={rated.div.pk}&period={rated.q1.pk}"
        target = {"unit": rated.div.pk, "period": rated.q1.pk}
        login(rated.u_kabid)
        call(client, "post", "/api/unit-rounds/org-rating/", {**target, "predikat": "baik"}, status=403)
        login(rated.u_head)
        rnd = call(
            client,
            "post",
            "/api/unit-rounds/org-rating/",
            {**target, "predikat": "baik"},
            audit="performance.org_rating",
        ).json()
        assert rnd["org_rating"]["predikat"] == "baik" and rnd["size"] == 5 and rnd["rated"] == 0

        login(rated.u_kabid)
        for skp, (res, beh) in zip(rated.skps, WITHIN_CURVE):
            a = call(
                client,
                "post",
                f"/api/skps/{skp.pk}/assessment/",
                {"period": rated.q1.pk, "result_rating": res, "behaviour_rating": beh},
                audit="assessment.save",
            ).json()
            assert a["status"] == "draft" and a["period_label"] == rated.q1.label
        rnd = call(client, "get", round_url).json()
        assert (rnd["size"], rnd["rated"], rnd["may_finalize"], rnd["all_final"]) == (5, 5, True, False)
        assert rnd["lines"] and all(line["ok"] for line in rnd["lines"] if line["binding"])
        assert all(line["text"] for line in rnd["lines"])
        assert sorted(m["assessment"]["predikat"] for m in rnd["members"]) == sorted(
            ["baik"] * 3 + ["sangat_baik", "butuh_perbaikan"]
        )

        mark = _mark()
        done = call(client, "post", "/api/unit-rounds/finalize/", target).json()
        assert done["all_final"] and Assessment.objects.filter(period=rated.q1, status="final").count() == 5
        assert _actions_since(mark).count("assessment.finalize") == 5 and "coaching.create" in _actions_since(mark)
        refused = call(
            client,
            "post",
            f"/api/skps/{rated.skps[0].pk}/assessment/",
            {"period": rated.q1.pk, "result_rating": "above", "behaviour_rating": "above"},
            status=400,
        )
        assert "pembukaan kembali" in refused.json()["detail"]

    def test_breaking_the_curve_needs_a_justification(self, client, login, rated):
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, [("meets", "meets")] * 5)
        login(rated.u_kabid)
        target = {"unit": rated.div.pk, "period": rated.q1.pk}
        rnd = call(client, "get", f"/api/unit-rounds/?unit={rated.div.pk}&period={rated.q1.pk}").json()
        assert "Baik paling banyak 3 orang, diberikan 5" in [line["text"] for line in rnd["lines"]]
        refused = call(client, "post", "/api/unit-rounds/finalize/", target, status=400).json()
        assert "tuliskan justifikasinya" in refused["justification"][0]
        call(
            client,
            "post",
            "/api/unit-rounds/finalize/",
            {**target, "justification": "Semua memenuhi target"},
            audit="assessment.finalize",
        )
        assert set(Assessment.objects.values_list("curve_justification", flat=True)) == {"Semua memenuhi target"}

    def test_reopen_and_coaching_by_the_hr_admin(self, client, login, rated):
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, WITHIN_CURVE)
        rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=rated.q1, today=DAY)
        a = Assessment.objects.get(skp=rated.skps[0], period=rated.q1)
        login(rated.u_kabid)
        call(client, "post", f"/api/assessments/{a.pk}/reopen/", {"reason": "keberatan"}, status=403)
        login(rated.u_admin)
        listed = call(client, "get", f"/api/assessments/?period={rated.q1.pk}").json()
        assert listed["count"] == 5 and {r["status"] for r in listed["results"]} == {"final"}
        refused = call(client, "post", f"/api/assessments/{a.pk}/reopen/", {"reason": ""}, status=400).json()
        assert "alasan" in refused["reason"][0]
        reopened = call(
            client,
            "post",
            f"/api/assessments/{a.pk}/reopen/",
            {"reason": "Keberatan No. 800/12"},
            audit="assessment.reopen",
        ).json()
        assert reopened["status"] == "draft" and reopened["employee"]["nip"] == rated.staff[0].nip

        coaching = call(client, "get", "/api/coaching-plans/").json()["results"]
        assert [c["employee"]["nip"] for c in coaching] == [rated.staff[4].nip]
        act = call(
            client,
            "post",
            f"/api/coaching-plans/{coaching[0]['id']}/actions/",
            {"action": "Bimbingan teknis", "owner": "Kabid Mutasi", "start": "2026-11-23", "due": "2026-12-15"},
            status=201,
            audit="coaching.action_add",
        ).json()
        assert act["action"] == "Bimbingan teknis"
        call(
            client,
            "post",
            f"/api/coaching-plans/{coaching[0]['id']}/actions/",
            {"action": "x", "owner": "y", "start": "2026-11-23", "due": "2026-11-01"},
            status=400,
        )


class TestDuringTheYear:
    def test_expectation_feedback_reply_and_realization(self, client, login, rated):
        skp = rated.skps[0]
        rhk = skp.rhks.get()
        url = f"/api/skps/{skp.pk}/"
        login(rated.u_head)
        call(client, "post", url + "feedback/", {"text": "Percepat"}, status=403)
        login(rated.u_kabid)
        rows = call(
            client,
            "post",
            url + "expectation/",
            {"behaviour": "akuntabel", "text": "Tepat waktu"},
            audit="skp.expectation",
        ).json()
        assert rows == [{"behaviour": "akuntabel", "text": "Tepat waktu"}]
        fb = call(
            client,
            "post",
            url + "feedback/",
            {"text": "Percepat verifikasi", "rhk": rhk.pk},
            status=201,
            audit="skp.feedback",
        ).json()
        assert fb["rhk"] == rhk.pk and fb["reply"] == ""
        login(rated.u_staff[0])
        call(client, "post", url + "feedback-reply/", {"feedback": 999999, "reply": "Siap"}, status=400)
        replied = call(
            client, "post", url + "feedback-reply/", {"feedback": fb["id"], "reply": "Siap"}, audit="skp.feedback_reply"
        ).json()
        assert replied["reply"] == "Siap" and replied["replied_at"]
        call(
            client,
            "post",
            url + "realization/",
            {"rhk": rhk.pk, "period": rated.q1.pk, "text": "38 usulan diverifikasi"},
            audit="skp.realization",
        )
        detail = call(client, "get", url).json()
        assert detail["expectations"] == [{"behaviour": "akuntabel", "text": "Tepat waktu"}]
        assert detail["feedback"][0]["reply"] == "Siap"
        assert detail["rhks"][0]["realizations"][0]["text"] == "38 usulan diverifikasi"

    def test_evidence_as_a_link_or_an_uploaded_file(self, client, login, rated, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        skp = rated.skps[0]
        rhk = skp.rhks.get()
        url = f"/api/skps/{skp.pk}/evidence/"
        login(rated.u_staff[0])
        link = call(
            client,
            "post",
            url,
            {"rhk": rhk.pk, "period": rated.q1.pk, "url": "https://drive.example/bukti.pdf"},
            status=201,
            audit="skp.evidence_add",
        ).json()
        assert link["kind"] == "link"
        mark = _mark()
        upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n", content_type="application/pdf")
        resp = client.post(url, {"rhk": rhk.pk, "period": rated.q1.pk, "file": upload, "note": "Notulen"})
        assert resp.status_code == 201, resp.content
        assert resp.json()["kind"] == "file" and resp.json()["file"].endswith(".pdf")
        assert _actions_since(mark) == ["skp.evidence_add"]
        both = call(client, "post", url, {"rhk": rhk.pk, "period": rated.q1.pk}, status=400).json()
        assert both == {"url": ["Isi tautan atau unggah berkas (salah satu)."]}
        assert Evidence.objects.filter(rhk=rhk).count() == 2
        assert [e["kind"] for e in call(client, "get", f"/api/skps/{skp.pk}/").json()["rhks"][0]["evidence"]] == [
            "link",
            "file",
        ]


class TestPeerInput:
    def test_the_summary_is_hidden_below_three_raters(self, client, login, rated):
        skp = rated.skps[0]
        url = f"/api/skps/{skp.pk}/"
        summary_url = f"{url}peer-summary/?period={rated.q1.pk}"
        for u in rated.u_staff[1:3]:
            login(u)
            resp = call(
                client,
                "post",
                url + "peer-input/",
                {"period": rated.q1.pk, "ratings": {"akuntabel": "above"}},
                status=201,
                audit="skp.peer_input",
            )
            assert resp.json() == {"count": 1}
        login(rated.u_staff[0])
        assert call(client, "get", summary_url).json() == {
            "period": rated.q1.pk,
            "label": rated.q1.label,
            "summary": None,
        }
        login(rated.u_staff[3])
        call(
            client, "post", url + "peer-input/", {"period": rated.q1.pk, "ratings": {"akuntabel": "meets"}}, status=201
        )
        login(rated.u_staff[0])
        summary = call(client, "get", summary_url).json()["summary"]
        assert summary == {"raters": 3, "values": {"akuntabel": {"above": 2, "meets": 1, "below": 0}}}
        detail = call(client, "get", url).json()
        assert detail["peer_summaries"][0]["summary"] == summary
        assert all(p["summary"] is None for p in detail["peer_summaries"][1:])
        assert not any(rated.staff[i].nip in str(detail) for i in (1, 2, 3))  # nobody's answer is traceable

    def test_peer_input_refusals(self, client, login, rated):
        url = f"/api/skps/{rated.skps[0].pk}/peer-input/"
        body = {"period": rated.q1.pk, "ratings": {"loyal": "meets"}}
        login(rated.u_kabid)  # the supervisor rates in the assessment, not anonymously
        call(client, "post", url, body, status=403)
        login(rated.u_staff[0])
        call(client, "post", url, body, status=403)
        login(rated.world["employee_gtlo"])
        call(client, "post", url, body, status=404)
        login(rated.u_staff[1])
        call(client, "post", url, body, status=201)
        refused = call(client, "post", url, body, status=400).json()
        assert refused["detail"] == "Anda sudah memberi masukan untuk periode ini."
        assert PeerInput.objects.count() == 1


class TestTeam:
    def test_the_supervisor_sees_the_team_and_the_cascade(self, client, login, rated):
        login(rated.u_kabid)
        data = call(client, "get", "/api/team/").json()
        assert data["perf_year"]["id"] == rated.year.pk
        assert sorted(m["employee"]["nip"] for m in data["members"]) == sorted(e.nip for e in rated.staff)
        assert {m["skp"]["status"] for m in data["members"]} == {"approved"}
        (row,) = data["cascade"]
        assert row["rhk"]["text"] == "Mutasi tepat waktu" and len(row["supported_by"]) == 5
        login(rated.u_head)
        assert [m["employee"]["nip"] for m in call(client, "get", "/api/team/").json()["members"]] == [rated.kabid.nip]

    def test_assessments_show_per_member(self, client, login, rated):
        rate_all(rated, WITHIN_CURVE)
        login(rated.u_kabid)
        data = call(client, "get", f"/api/team/?perf_year={rated.year.pk}").json()
        assert all(m["assessments"][0]["period"] == rated.q1.pk for m in data["members"])
        call(client, "get", "/api/team/?perf_year=999999", status=404)

    def test_an_account_without_an_employee_has_no_team(self, client, login, rated):
        login(rated.u_admin)
        call(client, "get", "/api/team/", status=404)


class TestYearsIndicatorsSettings:
    def test_open_and_close_a_year(self, client, login, team):
        login(team.u_admin)
        created = call(
            client,
            "post",
            "/api/performance-years/",
            {"agency": team.agency.pk, "year": 2027},
            status=201,
            audit="performance.year_open",
        ).json()
        assert (created["agency"], created["frequency"], len(created["periods"])) == (team.agency.code, "quarterly", 4)
        assert created["periods"][-1]["is_final"]
        again = call(
            client, "post", "/api/performance-years/", {"agency": team.agency.pk, "year": 2027}, status=400
        ).json()
        assert again == {"year": ["Tahun kinerja 2027 sudah dibuka."]}
        closed = call(
            client, "post", f"/api/performance-years/{created['id']}/close/", audit="performance.year_close"
        ).json()
        assert closed["closed_at"]
        assert [y["year"] for y in call(client, "get", "/api/performance-years/?open=true").json()["results"]] == [2026]
        login(team.world["admin_gtlo"])
        refused = call(client, "post", "/api/performance-years/", {"agency": team.agency.pk, "year": 2027}, status=400)
        assert refused.json() == {"agency": ["Instansi tidak ditemukan."]}

    def test_a_year_with_open_ratings_does_not_close(self, client, login, rated):
        login(rated.u_admin)
        refused = call(client, "post", f"/api/performance-years/{rated.year.pk}/close/", status=400).json()
        assert refused["detail"] == "7 SKP yang disetujui belum memiliki predikat tahunan final."

    def test_indicators_create_list_and_realize(self, client, login, team):
        login(team.u_admin)
        body = {
            "perf_year": team.year.pk,
            "code": "IKU-9",
            "name": "Indeks profesionalitas",
            "measure": "indeks",
            "annual_target": "80",
        }
        ind = call(client, "post", "/api/indicators/", body, status=201, audit="performance.indicator_create").json()
        assert [v["target"] for v in ind["period_values"]] == ["20.00", "40.00", "60.00", "80.00"]
        q1 = ind["period_values"][0]
        done = call(
            client,
            "post",
            f"/api/indicators/{ind['id']}/realize/",
            {"value": q1["id"], "realization": "22.5", "evidence_url": "https://data.example/iku9"},
            audit="performance.indicator_realize",
        ).json()
        assert done["period_values"][0]["realization"] == "22.50"
        call(client, "post", f"/api/indicators/{ind['id']}/realize/", {"value": 999999, "realization": "1"}, status=400)
        assert [
            i["code"] for i in call(client, "get", f"/api/indicators/?perf_year={team.year.pk}").json()["results"]
        ] == ["IKU-9"]
        unit = call(
            client,
            "post",
            "/api/indicators/",
            {**body, "code": "IKU-10", "unit": team.world["gtlo"]["div"].pk},
            status=400,
        )
        assert unit.json() == {"unit": ["Unit tidak ditemukan di instansi ini."]}
        login(team.u_staff[0])
        call(client, "post", "/api/indicators/", {**body, "code": "IKU-11"}, status=403)

    def test_settings_read_and_change(self, client, login, team):
        login(team.u_admin)
        url = f"/api/performance-settings/{team.agency.pk}/"
        assert call(client, "get", url).json() == {
            "agency": team.agency.pk,
            "frequency": "quarterly",
            "curve_policy": "justify",
            "rounding": "floor_ceil",
        }
        body = {"frequency": "semester", "curve_policy": "refuse", "rounding": "nearest"}
        assert call(client, "put", url, body, audit="performance.settings").json()["curve_policy"] == "refuse"
        login(team.world["auditor_lpg"])  # reads the agency, does not administer it
        assert call(client, "get", url).json()["frequency"] == "semester"
        call(client, "put", url, body, status=403)


class TestDashboard:
    def test_the_numbers_match_the_pages_selectors(self, client, login, rated):
        final = rated.periods[-1]
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=final, predikat="baik")
        rate_all(rated, WITHIN_CURVE, period=final)
        rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=final, today=DAY)
        login(rated.u_admin)
        data = call(client, "get", f"/api/performance-years/{rated.year.pk}/dashboard/").json()

        states = selectors.plan_states(rated.agency.pk, rated.year)
        assert data["plan_states"]["totals"] == {s: sum(r["state"] == s for r in states) for s in PlanState.values}
        assert data["plan_states"]["totals"]["assessed"] == 5 and data["plan_states"]["totals"]["approved"] == 2
        assert [u["unit"] for u in data["plan_states"]["by_unit"]] == ["BKD Lampung"]
        assert data["plan_states"]["by_unit"][0]["total"] == len(states)
        assert data["predikat_distribution"] == selectors.predikat_distribution(rated.year)
        assert data["predikat_distribution"]["baik"] == 3
        assert data["year_over_year"] == selectors.year_over_year(rated.agency.pk)
        overdue = selectors.overdue_supervisors(rated.year)
        assert [(o["employee"]["nip"], o["waiting"], o["unrated"]) for o in data["overdue_supervisors"]] == [
            (o["employee"].nip, o["waiting"], o["unrated"]) for o in overdue
        ]
        assert overdue  # Q1-Q3 ended unrated: the dashboard has someone to chase
        assert [r["employee"]["nip"] for r in data["rewards"]] == [
            a.skp.employee.nip for a in selectors.rewards(rated.year)
        ]
        assert [c["employee"]["nip"] for c in data["coaching"]] == [rated.staff[4].nip]
        assert data["coaching"][0]["predikat"] == "butuh_perbaikan"
        assert CoachingPlan.objects.count() == 1


class TestQueryCounts:
    def _count(self, client, url) -> int:
        assert client.get(url).status_code == 200  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def test_lists_do_not_grow_with_the_plans(self, client, login, team):
        _h, _hr, _k, kabid_rhk = approved_chain(team)
        q1 = team.periods[0]
        own_plan(client, login, team, kabid_rhk, 0)
        org_rating_set(actor=team.actor(team.u_head), unit=team.div, period=q1, predikat="butuh_perbaikan")

        def rate(skp):
            a = rating.assessment_save(
                actor=team.actor(team.u_kabid),
                skp=skp,
                period=q1,
                result_rating="below",
                behaviour_rating="meets",
                today=DAY,
            )
            CoachingPlan.objects.create(assessment=a, employee=skp.employee)  # as finalizing would

        rate(Skp.objects.get(employee=team.staff[0]))
        urls = [
            "/api/skps/",
            "/api/assessments/",
            "/api/performance-years/",
            "/api/indicators/",
            "/api/coaching-plans/",
            f"/api/performance-years/{team.year.pk}/dashboard/",
        ]
        kabid_urls = ["/api/team/", f"/api/unit-rounds/?unit={team.div.pk}&period={team.periods[0].pk}"]
        login(team.u_admin)
        few = {url: self._count(client, url) for url in urls}
        login(team.u_kabid)
        few |= {url: self._count(client, url) for url in kabid_urls}

        staff_pos = team.world["lpg"]["staff"]
        staff_pos.capacity = 20
        staff_pos.save()
        for i in range(8):
            e = make_employee(team.agency, staff_pos, name=f"Tambahan {i}")
            u = make_user(f"tambahan.{i}", employee=e)
            skp = plan.skp_create(actor=team.actor(u), employee=e, perf_year=team.year)
            plan.rhk_add(
                actor=team.actor(u), skp=skp, text="RHK tambahan", indicators=IND, supports=kabid_rhk, today=DAY
            )
            plan.skp_submit(actor=team.actor(u), skp=skp, today=DAY)
            plan.skp_approve(actor=team.actor(team.u_kabid), skp=skp, today=DAY)
            rate(skp)
        indicator_create(
            actor=team.actor(team.u_admin),
            perf_year=team.year,
            unit=team.div,
            code="IKU-2",
            name="x",
            measure="%",
            annual_target=50,
        )
        login(team.u_admin)
        many = {url: self._count(client, url) for url in urls}
        login(team.u_kabid)
        many |= {url: self._count(client, url) for url in kabid_urls}
        assert len(call(client, "get", "/api/team/").json()["members"]) == 13
        assert call(client, "get", kabid_urls[1]).json()["rated"] == 9
        assert many == few


def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))


def test_the_browsable_api_renders_every_screen(client, login, rated):
    skp = rated.skps[0].pk
    login(rated.u_kabid)
    for url in (
        "/api/skps/",
        f"/api/skps/{skp}/",
        f"/api/skps/{skp}/peer-summary/?period={rated.q1.pk}",
        "/api/team/",
        f"/api/unit-rounds/?unit={rated.div.pk}&period={rated.q1.pk}",
    ):
        assert client.get(url, HTTP_ACCEPT="text/html").status_code == 200, url
    login(rated.u_admin)
    for url in (
        f"/api/performance-years/{rated.year.pk}/dashboard/",
        f"/api/performance-settings/{rated.agency.pk}/",
        "/api/indicators/",
        "/api/assessments/",
        "/api/coaching-plans/",
    ):
        assert client.get(url, HTTP_ACCEPT="text/html").status_code == 200, url
