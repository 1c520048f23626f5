"""The public-service API: the officers' reports scoped like the pages, one audited endpoint per step, a public
list that never shows a confidential report nor anyone's identity, service units, and SKM results."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditRecord
from publicservice import services
from publicservice.models import Complaint, ServiceUnit, SurveyCampaign, SurveyPoint, SurveyResponse

pytestmark = pytest.mark.django_db

NAME, CONTACT = "Siti Pelapor", "siti@warga.example"
DESCRIPTION = "Antrean di loket obat lebih dari tiga jam tanpa kejelasan."


def file(ps, *, unit=None, now=None, **kw) -> Complaint:
    args = {
        "kind": "complaint",
        "unit": unit or ps["unit"],
        "title": "Antrean obat lama",
        "description": DESCRIPTION,
        "reporter_name": NAME,
        "reporter_contact": CONTACT,
    }
    args.update(kw)
    return services.complaint_submit(now=now or timezone.now(), **args)[0]


def forwarded(ps, *, classification="dispute", **kw) -> Complaint:
    return services.complaint_forward(actor=ps["officer"], complaint=file(ps, **kw), classification=classification)


def _mark() -> int:
    return AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def call(client, method, url, data=None, *, status=200, audit=None):
    """A JSON request; a write leaves its audit record, a refused one leaves none."""
    mark = _mark()
    resp = getattr(client, method)(url, data if data is not None else {}, content_type="application/json")
    assert resp.status_code == status, resp.content
    actions = list(AuditRecord.objects.filter(id__gt=mark).values_list("action", flat=True))
    if audit is not None:
        assert f"publicservice.{audit}" in actions
    if status >= 400:
        assert actions == []
    return resp


def codes(resp) -> list[str]:
    return [r["tracking_code"] for r in resp.json()["results"]]


def url(c, step=""):
    return f"/api/complaints/{c.tracking_code}/" + (f"{step}/" if step else "")


class TestComplaintList:
    def test_the_officer_lists_the_agencys_reports_most_urgent_first(self, client, login, ps, world):
        later = forwarded(ps)
        sooner = file(ps)  # verification due in 3 working days, before the response deadline
        file(ps, unit=ps["gtlo"])
        login(world["complaints_lpg"])
        resp = call(client, "get", "/api/complaints/")
        assert codes(resp) == [sooner.tracking_code, later.tracking_code]
        row = resp.json()["results"][0]
        assert row["clock"]["state"] in ("ok", "soon") and "reporter" not in row

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("status=received", {"a"}),
            ("open=true", {"a", "b", "c"}),
            ("open=false", {"d"}),
            ("overdue=true", {"b"}),
            ("overdue=false", {"a", "c", "d"}),
            ("escalated=true", {"b"}),
            ("escalation=2", {"b"}),
            ("confidentiality=confidential", {"c"}),
            ("kind=information", {"c"}),
            ("unit=OTHER", {"c"}),
        ],
    )
    def test_filters(self, client, login, ps, world, query, expected):
        reports = {
            "a": file(ps),
            "b": forwarded(ps),
            "c": forwarded(ps, unit=ps["other"], kind="information", confidentiality="confidential"),
            "d": file(ps),
        }
        services.complaint_reject(actor=ps["officer"], complaint=reports["d"], reason="Ganda")
        Complaint.objects.filter(pk=reports["b"].pk).update(
            escalation=2, response_due=timezone.now() - datetime.timedelta(days=9)
        )
        login(world["complaints_lpg"])
        resp = call(client, "get", "/api/complaints/?" + query.replace("OTHER", ps["other"].code))
        assert set(codes(resp)) == {reports[k].tracking_code for k in expected}

    def test_the_unit_lists_what_was_forwarded_to_it_and_another_agency_nothing(self, client, login, ps, world):
        mine, waiting = forwarded(ps), file(ps)
        login(world["employee_lpg"])
        assert codes(call(client, "get", "/api/complaints/")) == [mine.tracking_code]
        login(world["complaints_gtlo"])
        assert codes(call(client, "get", "/api/complaints/")) == []
        assert waiting.tracking_code

    def test_signing_in_is_required(self, client, ps):
        assert client.get("/api/complaints/").status_code in (401, 403)

    def test_query_count_does_not_grow_with_rows(self, client, login, ps, world, django_assert_max_num_queries):
        forwarded(ps)
        login(world["complaints_lpg"])
        client.get("/api/complaints/")
        with django_assert_max_num_queries(10) as few:
            call(client, "get", "/api/complaints/")
        for _i in range(25):
            forwarded(ps, confidentiality="anonymous")
        with django_assert_max_num_queries(10) as many:
            call(client, "get", "/api/complaints/")
        assert len(few.captured_queries) == len(many.captured_queries)


class TestComplaintDetail:
    def test_the_handler_sees_the_reporter_attachments_and_internal_events(self, client, login, ps, world):
        pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", content_type="application/pdf")
        c = file(ps, confidentiality="anonymous", attachments=[pdf])
        services.complaint_forward(actor=ps["officer"], complaint=c, classification="dispute")
        services.escalate_overdue(now=Complaint.objects.get(pk=c.pk).response_due + datetime.timedelta(hours=1))
        login(world["complaints_lpg"])
        data = call(client, "get", url(c)).json()
        assert data["reporter"] == {"name": NAME, "contact": CONTACT} and data["handler"] is True
        assert data["description"] == DESCRIPTION and len(data["attachments"]) == 1
        assert [(e["kind"], e["citizen_visible"]) for e in data["events"]][-1] == ("escalated", False)

    @pytest.mark.parametrize("confidentiality", ["public", "anonymous"])
    def test_the_unit_never_gets_the_reporters_identity(self, client, login, ps, world, confidentiality):
        c = forwarded(ps, confidentiality=confidentiality)
        login(world["employee_lpg"])
        resp = call(client, "get", url(c))
        data = resp.json()
        assert data["reporter"] is None and data["handler"] is False
        assert NAME not in resp.content.decode() and CONTACT not in resp.content.decode()
        assert (data["attachments"] is None) == (confidentiality == "anonymous")

    @pytest.mark.parametrize("role", ["complaints_gtlo", "admin_gtlo", "auditor_lpg", "employee_gtlo"])
    def test_out_of_scope_is_404(self, client, login, ps, world, role):
        c = forwarded(ps)
        login(world[role])
        call(client, "get", url(c), status=404)

    def test_the_unit_cannot_read_a_report_before_it_is_forwarded(self, client, login, ps, world):
        c = file(ps)
        login(world["employee_lpg"])
        call(client, "get", url(c), status=404)


class TestSteps:
    def test_verify_and_forward_stricter_with_field_inspection(self, client, login, ps, world):
        c = file(ps)
        login(world["complaints_lpg"])
        data = call(
            client,
            "post",
            url(c, "forward"),
            {
                "to_unit": ps["other"].code,
                "field_inspection": True,
                "confidentiality": "confidential",
                "classification": "violation",
                "note": "x",
            },
            audit="complaint_forward",
        ).json()
        assert (data["status"], data["unit"]["code"], data["field_inspection"], data["confidentiality"]) == (
            "forwarded",
            ps["other"].code,
            True,
            "confidential",
        )
        assert data["classification"] == "violation" and isinstance(data["due_provisional"], bool)

    @pytest.mark.parametrize(
        ("body", "field", "message"),
        [
            ({"confidentiality": "public"}, "confidentiality", "diperketat"),
            ({"to_unit": "TIDAKADA"}, "to_unit", "tidak ditemukan"),
            ({"to_unit": "INACTIVE"}, "to_unit", "tidak aktif"),
            ({"confidentiality": "bogus"}, "confidentiality", ""),
        ],
    )
    def test_forward_refusals(self, client, login, ps, world, body, field, message):
        c = file(ps, confidentiality="anonymous")
        inactive = ServiceUnit.objects.create(agency=world["lpg"]["agency"], name="Unit tutup", active=False)
        body = {k: inactive.code if v == "INACTIVE" else v for k, v in body.items()}
        login(world["complaints_lpg"])
        errors = call(client, "post", url(c, "forward"), body, status=400).json()
        assert message in " ".join(errors[field])

    def test_re_routing_to_another_agency_answers_the_bare_state(self, client, login, ps, world):
        c = forwarded(ps)
        login(world["complaints_lpg"])
        data = call(client, "post", url(c, "forward"), {"to_unit": ps["gtlo"].code}, audit="complaint_forward").json()
        assert data == {"tracking_code": c.tracking_code, "status": "forwarded"}
        call(client, "get", url(c), status=404)

    def test_reject_merge(self, client, login, ps, world):
        keep, dup, bad = file(ps), file(ps), file(ps)
        elsewhere = file(ps, unit=ps["gtlo"])
        login(world["complaints_lpg"])
        assert "alasan" in call(client, "post", url(bad, "reject"), {"reason": ""}, status=400).json()["reason"][0]
        call(client, "post", url(bad, "reject"), {"reason": "Spam"}, audit="complaint_reject")
        errors = call(client, "post", url(dup, "merge"), {"into": elsewhere.tracking_code}, status=400).json()
        assert errors == {"into": ["Laporan dengan kode itu tidak ditemukan."]}  # out of reach, as if missing
        call(client, "post", url(dup, "merge"), {"into": dup.tracking_code}, status=400)
        data = call(client, "post", url(dup, "merge"), {"into": keep.tracking_code}, audit="complaint_merge").json()
        assert (data["status"], data["merged_into"]) == ("merged", keep.tracking_code)

    def test_the_unit_follows_up_and_responds_then_the_officer_closes(self, client, login, ps, world):
        c = forwarded(ps)
        login(world["employee_lpg"])
        call(client, "post", url(c, "progress"), {"note": ""}, status=400)
        call(client, "post", url(c, "progress"), {"note": "Dicek ke apotek"}, audit="complaint_progress")
        call(client, "post", url(c, "respond"), {"text": "Oke"}, status=400)
        call(client, "post", url(c, "respond"), {"text": "Loket tambahan dibuka."}, audit="complaint_respond")
        call(client, "post", url(c, "close"), {"outcome": "Selesai"}, status=403)
        login(world["complaints_lpg"])
        call(client, "post", url(c, "close"), {"outcome": ""}, status=400)
        data = call(client, "post", url(c, "close"), {"outcome": "Loket tambahan"}, audit="complaint_close").json()
        assert (data["status"], data["outcome"]) == ("closed", "Loket tambahan")

    @pytest.mark.parametrize(
        ("step", "body"),
        [
            ("forward", {}),
            ("merge", {"into": "X"}),
            ("redact", {"public_text": "x"}),
            ("hide", {"hidden": True, "reason": "x"}),
            ("close", {"outcome": "x"}),
        ],
    )
    def test_the_unit_may_not_handle(self, client, login, ps, world, step, body):
        c = forwarded(ps)
        login(world["employee_lpg"])
        call(client, "post", url(c, step), body, status=403)

    @pytest.mark.parametrize("step", ["forward", "reject", "progress", "respond", "redact", "hide"])
    def test_another_agencys_officer_gets_404(self, client, login, ps, world, step):
        c = forwarded(ps)
        login(world["complaints_gtlo"])
        call(client, "post", url(c, step), {}, status=404)

    def test_moderation(self, client, login, ps, world):
        pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", content_type="application/pdf")
        c = file(ps, attachments=[pdf])
        att = c.attachments.get()
        login(world["complaints_lpg"])
        data = call(client, "post", url(c, "redact"), {"public_text": "[disensor]"}, audit="complaint_redact").json()
        assert data["public_text"] == "[disensor]" and data["description"] == DESCRIPTION
        call(client, "post", url(c, "hide"), {"hidden": True, "reason": ""}, status=400)
        assert call(client, "post", url(c, "hide"), {"hidden": True, "reason": "Kasar"}, audit="complaint_hide").json()[
            "hidden"
        ]
        call(client, "post", url(c, "publish-attachment"), {"attachment": 999999, "public": True}, status=400)
        data = call(
            client,
            "post",
            url(c, "publish-attachment"),
            {"attachment": att.pk, "public": True},
            audit="attachment_publish",
        ).json()
        assert data["attachments"] == [{"id": att.pk, "kind": "pdf", "size": att.size, "public": True}]


class TestPublicList:
    @pytest.fixture
    def reports(self, ps):
        out = {
            "public": forwarded(ps),
            "anonymous": forwarded(ps, confidentiality="anonymous"),
            "confidential": forwarded(ps, confidentiality="confidential"),
            "waiting": file(ps),
            "hidden": forwarded(ps),
        }
        services.complaint_hide(actor=ps["officer"], complaint=out["hidden"], hidden=True, reason="Kasar")
        services.complaint_redact(actor=ps["officer"], complaint=out["anonymous"], public_text="Antrean obat lama.")
        return out

    def test_anyone_reads_public_and_anonymous_reports_never_confidential_nor_anyones_identity(self, client, reports):
        resp = client.get("/api/public-complaints/")
        assert resp.status_code == 200
        assert set(codes(resp)) == {reports["public"].tracking_code, reports["anonymous"].tracking_code}
        body = resp.content.decode()
        assert NAME not in body and CONTACT not in body and reports["confidential"].tracking_code not in body
        assert "reporter" not in json.dumps(resp.json())
        anonymous = next(r for r in resp.json()["results"] if r["tracking_code"] == reports["anonymous"].tracking_code)
        assert anonymous["text"] == "Antrean obat lama."

    @pytest.mark.parametrize("which", ["confidential", "waiting", "hidden"])
    def test_a_report_the_public_may_not_read_is_404(self, client, reports, which):
        assert client.get(f"/api/public-complaints/{reports[which].tracking_code}/").status_code == 404

    def test_what_the_reporter_wrote_later_stays_out(self, client, ps):
        c, key = services.complaint_submit(
            kind="complaint", unit=ps["unit"], title="Antrean obat lama", description=DESCRIPTION
        )
        services.complaint_forward(actor=ps["officer"], complaint=c, classification="dispute")
        services.complaint_reply(code=c.tracking_code, key=key, text="Nomor saya 0812 3456 7890")
        data = client.get(f"/api/public-complaints/{c.tracking_code}/").json()
        assert [e["kind"] for e in data["history"]] == ["submitted", "verified", "citizen_reply"]
        assert data["history"][-1]["text"] == "" and "0812" not in json.dumps(data)

    def test_only_published_attachments_are_linked(self, client, ps):
        pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", content_type="application/pdf")
        c = file(ps, attachments=[pdf])
        services.complaint_forward(actor=ps["officer"], complaint=c, classification="dispute")
        assert client.get(f"/api/public-complaints/{c.tracking_code}/").json()["attachments"] == []
        att = c.attachments.get()
        services.attachment_publish(actor=ps["officer"], attachment=att, public=True)
        links = client.get(f"/api/public-complaints/{c.tracking_code}/").json()["attachments"]
        assert links == [{"kind": "pdf", "url": f"/layanan/lacak/{c.tracking_code}/lampiran/{att.pk}/"}]

    def test_filters_by_agency_and_unit(self, client, ps, world):
        here = forwarded(ps)
        there = services.complaint_forward(
            actor=ps["officer_gtlo"], complaint=file(ps, unit=ps["gtlo"]), classification="grievance"
        )
        assert codes(client.get(f"/api/public-complaints/?agency={world['gtlo']['agency'].code}")) == [
            there.tracking_code
        ]
        assert codes(client.get(f"/api/public-complaints/?unit={ps['unit'].code}")) == [here.tracking_code]


class TestServiceUnits:
    def test_signed_in_users_list_them_by_agency_and_name(self, client, login, ps, world):
        login(world["employee_lpg"])
        resp = call(client, "get", f"/api/service-units/?agency={world['lpg']['agency'].pk}&q=puskesmas")
        assert [u["code"] for u in resp.json()["results"]] == [ps["unit"].code]
        assert call(client, "get", f"/api/service-units/{ps['gtlo'].code}/").json()["name"] == "Dukcapil Gorontalo"

    def test_anonymous_visitors_are_refused(self, client, ps):
        assert client.get("/api/service-units/").status_code in (401, 403)


def answers(campaign, values, n, point=None):
    for i in range(n):
        SurveyResponse.objects.create(
            campaign=campaign,
            point=point,
            **{f"u{k}": values for k in range(1, 10)},
            age_band="30-39",
            gender="F",
            education="s1",
            occupation="pns",
            device=f"d{values}{i}",
            day=datetime.date(2026, 3, 2),
        )


class TestSurveyCampaigns:
    @pytest.fixture
    def campaigns(self, ps):
        lpg = SurveyCampaign.objects.create(
            unit=ps["unit"],
            name="Triwulan I",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 3, 31),
            population=100,
        )
        gtlo = SurveyCampaign.objects.create(
            unit=ps["gtlo"],
            name="Triwulan I",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 3, 31),
            population=100,
        )
        return lpg, gtlo

    def test_the_result_is_the_ikm_of_the_answers(self, client, login, ps, world, campaigns):
        lpg, _gtlo = campaigns
        desk = SurveyPoint.objects.create(campaign=lpg, label="Loket 1")
        answers(lpg, 4, 3)
        answers(lpg, 3, 3, point=desk)
        login(world["complaints_lpg"])
        data = call(client, "get", f"/api/survey-campaigns/{lpg.pk}/result/").json()
        # NRR 3.5 on every unsur: IKM 3.5 → 87.50, just under the A floor of 88.31 → B.
        assert (data["respondents"], data["target"], data["ikm"], data["converted"], data["grade"]) == (
            6,
            80,
            "3.5000",
            "87.50",
            "B",
        )
        assert [u["nrr"] for u in data["unsur"]] == ["3.5000"] * 9
        desk_only = call(client, "get", f"/api/survey-campaigns/{lpg.pk}/result/?point={desk.pk}").json()
        assert (desk_only["respondents"], desk_only["converted"], desk_only["grade"]) == (3, "75.00", "C")
        call(client, "get", f"/api/survey-campaigns/{lpg.pk}/result/?point=999999", status=404)

    def test_no_answers_yet(self, client, login, world, campaigns):
        login(world["admin_lpg"])
        data = call(client, "get", f"/api/survey-campaigns/{campaigns[0].pk}/result/").json()
        assert (data["respondents"], data["ikm"], data["grade"], data["unsur"]) == (0, None, None, [])

    @pytest.mark.parametrize(
        ("role", "visible"),
        [
            ("complaints_lpg", {"lpg"}),
            ("admin_lpg", {"lpg"}),
            ("auditor_lpg", {"lpg"}),
            ("national", {"lpg", "gtlo"}),
            ("employee_lpg", set()),
        ],
    )
    def test_scope(self, client, login, world, campaigns, role, visible):
        by_key = {"lpg": campaigns[0].pk, "gtlo": campaigns[1].pk}
        login(world[role])
        listed = {r["id"] for r in call(client, "get", "/api/survey-campaigns/").json()["results"]}
        assert listed == {by_key[k] for k in visible}
        for key, pk in by_key.items():
            call(client, "get", f"/api/survey-campaigns/{pk}/result/", status=200 if key in visible else 404)


def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))


def test_the_browsable_api_renders(client, login, ps, world):
    c = forwarded(ps)
    login(world["complaints_lpg"])
    for path in ("/api/complaints/", url(c), "/api/public-complaints/", "/api/service-units/"):
        assert client.get(path, HTTP_ACCEPT="text/html").status_code == 200, path
