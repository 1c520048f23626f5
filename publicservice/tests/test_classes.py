"""Complaint classes (RULES.md §8.2): the verifier classifies, the class sets the response deadline through a
rule parameter with its effective date, re-classifying recomputes it from the clock's start and says so; the
page, the API, the public dashboard's on-time rate per class, and the demo."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core import calendar
from core.errors import DomainError
from core.models import AuditRecord, RuleParameter
from publicservice import rules, selectors, services
from publicservice.models import Complaint, ComplaintEvent

pytestmark = pytest.mark.django_db
WIB = calendar.WIB
# Friday 13 March 2026, 10:00 WIB: Nyepi and Idul Fitri leave (18–24 March) and Good Friday (3 April) follow.
T0 = datetime.datetime(2026, 3, 13, 10, 0, tzinfo=WIB)


def due(y, m, d) -> datetime.datetime:
    return datetime.datetime(y, m, d, 23, 59, 59, tzinfo=WIB)


def filed(ps, *, kind="complaint", now=T0, **kw) -> Complaint:
    args = {
        "kind": kind,
        "unit": ps["unit"],
        "title": "Antrean obat lama",
        "description": "Antrean di loket obat lebih dari tiga jam tanpa kejelasan.",
    }
    args.update(kw)
    return services.complaint_submit(now=now, **args)[0]


def forwarded(ps, classification="grievance", *, now=T0, **kw) -> Complaint:
    return services.complaint_forward(
        actor=ps["officer"], complaint=filed(ps, now=now), classification=classification, now=now, **kw
    )


class TestRules:
    @pytest.mark.parametrize(
        ("classification", "kind", "inspection", "expected"),
        [
            ("grievance", "complaint", False, ("publicservice.days.class.grievance", 5)),
            ("dispute", "complaint", False, ("publicservice.days.class.dispute", 14)),
            ("violation", "complaint", False, ("publicservice.days.class.violation", 14)),
            ("information", "complaint", False, ("publicservice.days.class.information", 5)),
            ("aspiration", "information", False, ("publicservice.days.class.aspiration", 5)),
            ("grievance", "complaint", True, ("publicservice.days.field_inspection", 60)),
            ("", "complaint", False, ("publicservice.days.complaint", 14)),  # forwarded before classes existed
            ("", "information", False, ("publicservice.days.information", 5)),
        ],
    )
    def test_the_days_by_class_with_field_inspection_first(self, classification, kind, inspection, expected):
        assert rules.resolution_rule(classification, kind, inspection) == expected

    def test_only_information_and_aspiration_have_a_default_class(self):
        assert [rules.default_class(k) for k in ("complaint", "information", "aspiration")] == [
            None,
            "information",
            "aspiration",
        ]

    def test_the_class_days_are_rule_parameters_with_their_effective_date(self):
        row = RuleParameter.objects.get(key="publicservice.days.class.grievance")
        assert (row.value, row.effective_from, row.confidence) == (5, datetime.date(2018, 6, 14), "S")


class TestForward:
    def test_a_pengaduan_is_not_forwarded_without_a_class(self, ps):
        c = filed(ps)
        with pytest.raises(DomainError, match="klasifikasi") as refused:
            services.complaint_forward(actor=ps["officer"], complaint=c, now=T0)
        assert refused.value.field == "classification"
        c.refresh_from_db()
        assert (c.status, c.classification) == ("received", "")
        assert not AuditRecord.objects.filter(action="publicservice.complaint_forward").exists()

    @pytest.mark.parametrize("kind", ["information", "aspiration"])
    def test_information_and_aspiration_default_to_their_kind(self, ps, kind):
        c = services.complaint_forward(actor=ps["officer"], complaint=filed(ps, kind=kind), now=T0)
        assert c.classification == kind and c.clock_days == 5 and c.response_due == due(2026, 3, 27)

    @pytest.mark.parametrize(
        ("classification", "days", "expected"),
        [
            ("grievance", 5, due(2026, 3, 27)),  # 16, 17, (18–24), 25, 26, 27 March
            ("dispute", 14, due(2026, 4, 10)),  # ... and Good Friday 3 April
            ("violation", 14, due(2026, 4, 10)),
            ("information", 5, due(2026, 3, 27)),
        ],
    )
    def test_the_deadline_follows_the_class(self, ps, classification, days, expected):
        c = forwarded(ps, classification)
        assert (c.classification, c.clock_days, c.response_due) == (classification, days, expected)

    def test_field_inspection_overrides_the_class(self, ps):
        c = forwarded(ps, "grievance", field_inspection=True)
        assert c.clock_days == 60

    def test_a_class_rule_taking_effect_later_governs_only_clocks_that_start_after_it(self, ps):
        RuleParameter.objects.create(
            key="publicservice.days.class.grievance",
            value=7,
            effective_from=datetime.date(2026, 4, 1),
            source="uji",
            confidence="U",
        )
        assert forwarded(ps, "grievance").clock_days == 5
        later = datetime.datetime(2026, 4, 6, 10, 0, tzinfo=WIB)
        assert forwarded(ps, "grievance", now=later).clock_days == 7

    def test_re_forwarding_with_another_class_recomputes_from_the_clocks_start_and_says_so(self, ps):
        c = forwarded(ps, "grievance")
        c = services.complaint_forward(
            actor=ps["officer"], complaint=c, classification="dispute", now=T0 + datetime.timedelta(days=3)
        )
        assert (c.classification, c.response_due, c.clock_started_at) == ("dispute", due(2026, 4, 10), T0)
        assert c.events.filter(kind=ComplaintEvent.Kind.RECLASSIFIED, citizen_visible=False).count() == 1


class TestReclassify:
    def test_recomputes_from_the_clocks_start_with_history_and_audit(self, ps):
        c = forwarded(ps, "grievance")
        later = T0 + datetime.timedelta(days=10)
        c = services.complaint_reclassify(
            actor=ps["officer"], complaint=c, classification="dispute", reason="Pelapor menyengketakan tarif", now=later
        )
        assert (c.classification, c.clock_days, c.response_due) == ("dispute", 14, due(2026, 4, 10))
        event = c.events.get(kind=ComplaintEvent.Kind.RECLASSIFIED)
        assert not event.citizen_visible and event.by == ps["officer"].user
        assert "Keluhan → Sengketa" in event.text and "10 Apr 2026" in event.text and "menyengketakan" in event.text
        record = AuditRecord.objects.get(action="publicservice.complaint_reclassify")
        assert record.after["before"] == "grievance" and record.reason == "Pelapor menyengketakan tarif"

    def test_a_shorter_class_can_make_a_report_overdue_and_a_longer_one_lifts_the_escalation(self, ps):
        c = forwarded(ps, "dispute")
        c = services.complaint_reclassify(
            actor=ps["officer"], complaint=c, classification="grievance", reason="Keluhan"
        )
        assert c.response_due == due(2026, 3, 27)
        services.escalate_overdue(now=datetime.datetime(2026, 3, 30, 9, 0, tzinfo=WIB))
        c.refresh_from_db()
        assert c.escalation == 1
        c = services.complaint_reclassify(
            actor=ps["officer"],
            complaint=c,
            classification="violation",
            reason="Ternyata pungutan liar",
            now=datetime.datetime(2026, 3, 31, 9, 0, tzinfo=WIB),
        )
        assert (c.response_due, c.escalation) == (due(2026, 4, 10), 0)

    @pytest.mark.parametrize(
        ("setup", "classification", "reason", "message"),
        [
            ("received", "dispute", "x", "ditindaklanjuti unit"),
            ("forwarded", "grievance", "x", "sudah seperti itu"),
            ("forwarded", "dispute", " ", "alasan"),
            ("forwarded", "bogus", "x", "Pilih klasifikasi"),
            ("closed", "dispute", "x", "ditindaklanjuti unit"),
        ],
    )
    def test_refusals_change_nothing(self, ps, setup, classification, reason, message):
        c = filed(ps) if setup == "received" else forwarded(ps, "grievance")
        if setup == "closed":
            services.complaint_respond(actor=ps["officer"], complaint=c, text="Sudah kami tangani.")
            services.complaint_close(actor=ps["officer"], complaint=c, outcome="Selesai")
        with pytest.raises(DomainError, match=message):
            services.complaint_reclassify(
                actor=ps["officer"], complaint=c, classification=classification, reason=reason
            )
        assert not AuditRecord.objects.filter(action="publicservice.complaint_reclassify").exists()

    def test_only_handlers(self, ps):
        c = forwarded(ps, "grievance")
        for actor in (ps["officer_gtlo"], ps["staff"]):
            with pytest.raises(PermissionDenied):
                services.complaint_reclassify(actor=actor, complaint=c, classification="dispute", reason="x")

    def test_reopening_restarts_the_clock_with_the_class(self, ps):
        c, key = services.complaint_submit(
            kind="complaint",
            unit=ps["unit"],
            title="Antrean obat lama",
            description="Antrean di loket obat lebih dari tiga jam tanpa kejelasan.",
            now=T0,
        )
        services.complaint_forward(actor=ps["officer"], complaint=c, classification="grievance", now=T0)
        services.complaint_respond(actor=ps["officer"], complaint=c, text="Sudah kami tangani.", now=T0)
        services.complaint_close(actor=ps["officer"], complaint=c, outcome="Selesai", now=T0)
        again = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=WIB)
        c = services.complaint_reopen(code=c.tracking_code, key=key, reason="Masih terjadi lagi kemarin.", now=again)
        # Monday 16 March + 5: 17, (18–24 March), 25, 26, 27, 30.
        assert (c.clock_started_at, c.clock_days, c.response_due) == (again, 5, due(2026, 3, 30))


# --- pages and API -----------------------------------------------------------------------------------


def u(name, c):
    return reverse(f"publicservice:{name}", args=[c.tracking_code])


class TestPages:
    def test_forwarding_on_the_page_asks_for_the_class(self, client, login, ps, world):
        c = filed(ps, now=timezone.now())
        login(world["complaints_lpg"])
        html = client.get(u("officer_complaint", c)).content.decode()
        assert (
            'data-testid="forward-class"' in html
            and "Keluhan (5 hari kerja)" in html
            and "Sengketa (14 hari kerja)" in html
        )
        r = client.post(u("officer_forward", c), {"to_unit": ps["unit"].code})
        assert r.status_code == 400 and "Pilih klasifikasi pengaduan" in r.content.decode()
        assert client.post(u("officer_forward", c), {"classification": "violation"}).status_code == 302
        c.refresh_from_db()
        assert (c.status, c.classification, c.clock_days) == ("forwarded", "violation", 14)

    def test_the_class_shows_in_the_queue_and_the_report_and_can_be_changed_with_a_reason(
        self, client, login, ps, world
    ):
        c = forwarded(ps, "grievance", now=timezone.now())
        login(world["complaints_lpg"])
        queue = client.get(reverse("publicservice:officer_queue")).content.decode()
        assert 'data-testid="class"' in queue and "Keluhan" in queue
        r = client.get(reverse("publicservice:officer_queue"), {"classification": "dispute"})
        assert list(r.context["page"]) == []
        page = client.get(u("officer_complaint", c))
        assert page.context["can"]["reclassify"] and 'data-testid="reclassify"' in page.content.decode()
        r = client.post(u("officer_reclassify", c), {"classification": "dispute", "reason": ""})
        assert r.status_code == 400 and "Tuliskan alasan" in r.content.decode()
        r = client.post(u("officer_reclassify", c), {"classification": "dispute", "reason": "Sengketa tarif"})
        assert r.status_code == 302
        c.refresh_from_db()
        assert (c.classification, c.clock_days) == ("dispute", 14)
        history = client.get(u("officer_complaint", c)).content.decode()
        assert "Diklasifikasi ulang" in history and "Keluhan → Sengketa" in history

    def test_the_unit_sees_the_class_but_may_not_change_it(self, client, login, ps, world):
        c = forwarded(ps, "grievance", now=timezone.now())
        login(world["employee_lpg"])
        page = client.get(u("officer_complaint", c))
        assert not page.context["can"]["reclassify"] and 'data-testid="class"' in page.content.decode()
        assert client.post(u("officer_reclassify", c), {"classification": "dispute", "reason": "x"}).status_code == 403


class TestApi:
    def test_reclassify_endpoint_and_the_class_in_the_list(self, client, login, ps, world):
        c = forwarded(ps, "grievance", now=timezone.now())
        forwarded(ps, "violation", now=timezone.now())
        login(world["complaints_lpg"])
        rows = client.get("/api/complaints/?classification=grievance").json()["results"]
        assert [(r["tracking_code"], r["classification"]) for r in rows] == [(c.tracking_code, "grievance")]
        url = f"/api/complaints/{c.tracking_code}/reclassify/"
        bad = client.post(url, {"classification": "grievance", "reason": "x"}, content_type="application/json")
        assert bad.status_code == 400 and "classification" in bad.json()
        ok = client.post(url, {"classification": "dispute", "reason": "Sengketa"}, content_type="application/json")
        assert ok.status_code == 200 and ok.json()["classification"] == "dispute"
        assert ok.json()["events"][-1]["kind"] == "reclassified"
        assert AuditRecord.objects.filter(action="publicservice.complaint_reclassify").count() == 1
        login(world["employee_lpg"])
        assert (
            client.post(
                url, {"classification": "violation", "reason": "x"}, content_type="application/json"
            ).status_code
            == 403
        )

    def test_forwarding_a_pengaduan_without_a_class_is_a_400_on_the_field(self, client, login, ps, world):
        c = filed(ps, now=timezone.now())
        login(world["complaints_lpg"])
        r = client.post(f"/api/complaints/{c.tracking_code}/forward/", {}, content_type="application/json")
        assert r.status_code == 400 and "classification" in r.json()


class TestDashboard:
    def test_each_class_is_judged_against_its_own_deadline(self, ps):
        # Both answered seven working days after forwarding: late for a keluhan (5), on time for a sengketa (14).
        start = T0
        answered = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=WIB)  # 16, 17, 25, 26, 27, 30, 31 March, 1 April
        keluhan = forwarded(ps, "grievance", now=start)
        sengketa = forwarded(ps, "dispute", now=start)
        for c in (keluhan, sengketa):
            services.complaint_respond(actor=ps["officer"], complaint=c, text="Sudah kami tangani.", now=answered)
        Complaint.objects.filter(pk__in=[keluhan.pk, sengketa.pk]).update(
            created_at=timezone.now() - datetime.timedelta(days=30)
        )
        d = selectors.dashboard(unit=ps["unit"])
        assert (d["totals"]["on_time"], d["totals"]["late"], d["totals"]["on_time_rate"]) == (1, 1, 50.0)
        rows = {r["classification"]: r for r in d["by_class"]}
        assert (rows["grievance"]["late"], rows["grievance"]["on_time_rate"]) == (1, 0.0)
        assert (rows["dispute"]["on_time"], rows["dispute"]["on_time_rate"]) == (1, 100.0)
        assert rows["violation"]["total"] == 0 and rows["violation"]["on_time_rate"] is None
        assert "" not in rows  # every report here is classified

    def test_the_page_and_its_json_carry_the_breakdown(self, client, ps):
        forwarded(ps, "grievance", now=timezone.now())
        filed(ps, now=timezone.now())  # not yet verified: no class
        url = reverse("publicservice:dashboard_unit", args=[ps["unit"].code])
        html = client.get(url).content.decode()
        assert 'data-testid="by-class"' in html and 'data-testid="class-grievance"' in html
        assert 'data-testid="class-none"' in html and "Belum diklasifikasi" in html
        data = client.get(url + "?format=json").json()
        assert {r["classification"]: r["total"] for r in data["by_class"]}["grievance"] == 1


def test_the_demo_classifies_every_report_it_forwards(world):
    from publicservice import demo

    counts = demo.seed(seed=2026)
    assert counts["complaints"] == 28
    forwarded_ids = ComplaintEvent.objects.filter(kind=ComplaintEvent.Kind.VERIFIED).values_list("complaint_id")
    reports = Complaint.objects.filter(pk__in=forwarded_ids)
    assert reports.exists() and not reports.filter(classification="").exists()
    assert set(reports.values_list("classification", flat=True)) <= set(rules.CLASSES)
    assert not Complaint.objects.exclude(pk__in=forwarded_ids).exclude(classification="").exists()
