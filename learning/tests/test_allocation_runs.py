"""The optimal allocation as a background run: the weights form queues it (learning.tasks.solve_allocation),
its page shows the stage while it runs and the plan when done, one run at a time per agency and year, a
failure ends ``failed`` with its reason, the solver's time limit gives the best plan found with its gap,
a result overtaken by new data can no longer be accepted, and only the agency's HR sees any of it."""

import datetime
from decimal import Decimal

import pytest
import scipy.optimize
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditRecord
from learning import allocation, rules, services
from learning.choices import EnrollmentStatus
from learning.models import AllocationRun, Enrollment
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

BASE = "/pengembangan/laporan/alokasi/"
API = "/api/learning-allocation/runs/"
S = AllocationRun.Status


def today():
    return timezone.localdate()


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """POST the weights form; with ``compute`` the in-process task backend runs the task on commit."""

    def _ask(agency_id, year, *, compute=True, **weights):
        params = {"tahun": year, "gap": 10, "compliance": 25, "coaching": 0.5, "max_events": 3} | weights
        if not compute:
            return client.post(f"{BASE}{agency_id}/hitung/", params)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{BASE}{agency_id}/hitung/", params)

    return _ask


def run_url(run: AllocationRun) -> str:
    return f"{BASE}{run.agency_id}/hasil/{run.uid}/"


def latest() -> AllocationRun:
    return AllocationRun.objects.order_by("-id").first()


class TestRequestAndResult:
    def test_the_form_queues_a_run_that_computes_the_plan_rules_would(self, client, login, ask, candidates, world):
        agency = candidates["agency"]
        login(world["admin_lpg"])
        mark = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first()
        resp = ask(agency.pk, candidates["year"])
        run = latest()
        assert resp.status_code == 302 and resp["Location"] == run_url(run)
        assert run.status == S.DONE and run.stage == "" and run.error == ""
        assert run.started_at <= run.finished_at and run.requested_by == world["admin_lpg"]
        assert run.weights == {"gap": 10.0, "compliance": 25.0, "coaching": 0.5, "max_events": 3}
        assert "learning.allocation_request" in AuditRecord.objects.filter(id__gt=mark).values_list("action", flat=True)
        problem = allocation.build(agency=agency, year=candidates["year"])
        exact = rules.allocate(problem.people, problem.events, problem.budget, rules.Weights())
        greedy = rules.allocate_greedy(problem.people, problem.events, problem.budget, rules.Weights())
        assert run.result["exact"]["pairs"] == [list(x) for x in exact.pairs] and len(exact.pairs) == 2
        assert run.result["greedy"]["pairs"] == [list(x) for x in greedy.pairs]
        assert run.result["fingerprint"] == allocation.fingerprint(problem)
        assert run.result["exact"]["optimal"] and run.result["exact"]["gap"] == 0
        assert run.result["time_limit"] == 900

        page = client.get(resp["Location"])
        result = page.context["result"]
        assert result["exact"] == exact and result["greedy"].pairs == greedy.pairs and not result["stale"]
        assert result["gain"] == pytest.approx(exact.value - greedy.value)
        body = page.content.decode()
        assert 'data-testid="plan"' in body and 'data-testid="accept-form"' in body
        assert "terbukti optimal" in body and "kursi angkatan yang sesuai penuh" in body
        assert 'hx-trigger="every 2s"' not in body and 'data-testid="time-limit"' not in body
        chosen = {p for p, _e in exact.pairs}
        for person in candidates["people"]:
            assert (person.full_name in body.split('data-testid="plan"')[1].split("</table>")[0]) == (
                person.pk in chosen
            )
        assert run.uid in body.split('data-testid="recent-runs"')[1]

    def test_the_accept_step_still_creates_the_enrolments(self, client, login, ask, candidates, world):
        login(world["admin_lpg"])
        ask(candidates["agency"].pk, candidates["year"])
        token = client.get(run_url(latest())).context["result"]["token"]
        resp = client.post(f"{BASE}{candidates['agency'].pk}/terima/", {"usulan": token}, follow=True)
        assert "2 pendaftaran dibuat" in resp.content.decode()
        got = set(Enrollment.objects.filter(status=EnrollmentStatus.ENROLLED).values_list("employee_id", "event_id"))
        assert got == {tuple(x) for x in latest().result["exact"]["pairs"]}

    def test_each_stage_is_recorded_while_it_runs(self, client, login, ask, candidates, world, monkeypatch):
        seen = []
        real_exact, real_greedy = rules.allocate, rules.allocate_greedy

        def spy(real):
            def wrapped(*args, **kwargs):
                run = latest()
                seen.append((run.status, run.stage))
                return real(*args, **kwargs)

            return wrapped

        monkeypatch.setattr(rules, "allocate", spy(real_exact))
        monkeypatch.setattr(rules, "allocate_greedy", spy(real_greedy))
        login(world["admin_lpg"])
        ask(candidates["agency"].pk, candidates["year"])
        assert seen == [(S.RUNNING, "solve"), (S.RUNNING, "greedy")]
        assert latest().status == S.DONE

    def test_a_queued_run_shows_its_state_and_polls_until_done(self, client, login, ask, candidates, world):
        login(world["admin_lpg"])
        resp = ask(candidates["agency"].pk, candidates["year"], compute=False)
        run = latest()
        assert run.status == S.QUEUED
        body = client.get(resp["Location"]).content.decode()
        assert 'hx-trigger="every 2s"' in body and "Menunggu antrean" in body and "progress-bar" in body
        assert 'data-testid="proposal"' not in body
        started = timezone.now() - datetime.timedelta(seconds=75)
        AllocationRun.objects.filter(pk=run.pk).update(status=S.RUNNING, stage="solve", started_at=started)
        poll = client.get(run_url(run), {"poll": 1}, HTTP_HX_REQUEST="true")
        body = poll.content.decode()
        assert "<html" not in body and 'hx-trigger="every 2s"' in body
        assert "Mencari rencana optimal" in body and "berjalan 1 mnt 15 dtk" in body
        AllocationRun.objects.filter(pk=run.pk).update(status=S.DONE, stage="")
        done = client.get(run_url(run), {"poll": 1}, HTTP_HX_REQUEST="true")
        assert done["HX-Refresh"] == "true" and done.content == b""

    def test_weights_that_enrol_no_one_leave_nothing_to_accept(self, client, login, ask, candidates, world):
        login(world["admin_lpg"])
        ask(candidates["agency"].pk, candidates["year"], gap=0, compliance=0)
        result = client.get(run_url(latest())).context["result"]
        assert result["exact"].pairs == [] and result["token"] == ""


class TestOneAtATime:
    def test_a_second_request_while_one_runs_is_refused_with_a_link(self, client, login, ask, candidates, world):
        login(world["admin_lpg"])
        ask(candidates["agency"].pk, candidates["year"], compute=False)
        run = latest()
        AllocationRun.objects.filter(pk=run.pk).update(status=S.RUNNING, started_at=timezone.now())
        resp = ask(candidates["agency"].pk, candidates["year"])
        body = resp.content.decode()
        assert resp.status_code == 200 and "masih berjalan (sedang dihitung)" in body
        assert f'href="{run_url(run)}"' in body
        assert AllocationRun.objects.count() == 1
        # Another year is another computation.
        assert ask(candidates["agency"].pk, candidates["year"] + 1).status_code == 302

    def test_the_service_refuses_and_the_database_backs_it(self, candidates, actors):
        agency, year = candidates["agency"], candidates["year"]
        services.allocation_run_request(actor=actors["admin_lpg"], agency=agency, year=year, weights=rules.Weights())
        with pytest.raises(DomainError) as exc:
            services.allocation_run_request(
                actor=actors["admin_lpg"], agency=agency, year=year, weights=rules.Weights()
            )
        assert exc.value.code == "busy"
        with pytest.raises(IntegrityError), transaction.atomic():
            AllocationRun.objects.create(agency=agency, year=year, requested_by=actors["admin_lpg"].user)

    def test_only_the_agencys_hr_may_ask(self, candidates, actors):
        with pytest.raises(PermissionDenied):
            services.allocation_run_request(
                actor=actors["admin_gtlo"],
                agency=candidates["agency"],
                year=candidates["year"],
                weights=rules.Weights(),
            )
        assert not AllocationRun.objects.exists()

    def test_a_run_whose_worker_died_does_not_block_forever(self, client, login, ask, candidates, world, settings):
        settings.LEARNING_ALLOCATION_TIME_LIMIT = 60
        login(world["admin_lpg"])
        ask(candidates["agency"].pk, candidates["year"], compute=False)
        lost = latest()
        long_ago = timezone.now() - datetime.timedelta(hours=2)
        AllocationRun.objects.filter(pk=lost.pk).update(status=S.RUNNING, started_at=long_ago)
        assert ask(candidates["agency"].pk, candidates["year"]).status_code == 302
        lost.refresh_from_db()
        assert lost.status == S.FAILED and "terhenti" in lost.error
        assert latest().status == S.DONE


class TestFailure:
    def test_an_exception_ends_failed_with_its_reason_shown(self, client, login, ask, candidates, world, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("pangkalan data tidak menjawab")

        monkeypatch.setattr(allocation, "build", broken)
        login(world["admin_lpg"])
        resp = ask(candidates["agency"].pk, candidates["year"])
        run = latest()
        assert run.status == S.FAILED and run.error == "pangkalan data tidak menjawab" and run.finished_at
        assert run.result == {}
        monkeypatch.undo()
        body = client.get(resp["Location"]).content.decode()
        assert "Perhitungan gagal" in body and "pangkalan data tidak menjawab" in body
        assert 'hx-trigger="every 2s"' not in body and 'data-testid="rerun"' in body
        # Nothing is left running: the agency may ask again at once.
        assert ask(candidates["agency"].pk, candidates["year"]).status_code == 302
        assert latest().status == S.DONE

    def test_a_task_delivered_twice_computes_once(self, candidates, actors, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.allocation_run_request(
                actor=actors["admin_lpg"], agency=candidates["agency"], year=candidates["year"], weights=rules.Weights()
            )
        run.refresh_from_db()
        finished = run.finished_at
        allocation.run_solve(run.pk)
        run.refresh_from_db()
        assert run.status == S.DONE and run.finished_at == finished


def _time_limited(monkeypatch, *, found: bool, seen: dict):
    """HiGHS as if stopped by the time limit: with the best plan found so far (or none), and a gap."""
    real = scipy.optimize.milp

    def milp(c, **kw):
        seen["options"] = kw["options"]
        res = real(c, **kw)
        res["status"], res["success"], res["mip_gap"] = 1, False, 0.0123
        if not found:
            res["x"] = None
        return res

    monkeypatch.setattr(scipy.optimize, "milp", milp)


class TestTimeLimit:
    def test_the_best_plan_within_the_limit_is_shown_with_its_gap(
        self, client, login, ask, candidates, world, monkeypatch, settings
    ):
        settings.LEARNING_ALLOCATION_TIME_LIMIT = 5
        seen = {}
        _time_limited(monkeypatch, found=True, seen=seen)
        login(world["admin_lpg"])
        resp = ask(candidates["agency"].pk, candidates["year"])
        assert seen["options"]["time_limit"] == 5.0 and seen["options"]["mip_rel_gap"] == 0
        run = latest()
        assert run.status == S.DONE and run.result["exact"]["optimal"] is False
        assert run.result["exact"]["gap"] == pytest.approx(0.0123) and run.result["time_limit"] == 5
        assert len(run.result["exact"]["pairs"]) == 2 and not run.result["fallback"]
        page = client.get(resp["Location"])
        body = page.content.decode()
        assert "Rencana terbaik dalam batas waktu 5 detik; optimalitas belum terbukti (selisih 1,23 %)." in body
        assert "terbukti optimal" not in body
        assert page.context["result"]["token"]  # still a plan HR may accept

    def test_no_plan_within_the_limit_falls_back_to_the_greedy_one(
        self, client, login, ask, candidates, world, monkeypatch, settings
    ):
        settings.LEARNING_ALLOCATION_TIME_LIMIT = 5
        _time_limited(monkeypatch, found=False, seen={})
        login(world["admin_lpg"])
        resp = ask(candidates["agency"].pk, candidates["year"])
        run = latest()
        assert run.status == S.DONE and run.result["fallback"]
        assert run.result["exact"]["pairs"] == run.result["greedy"]["pairs"] != []
        assert run.result["exact"]["optimal"] is False and run.result["exact"]["gap"] is None
        body = client.get(resp["Location"]).content.decode()
        assert "Batas waktu 5 detik habis sebelum pemecah menemukan rencana" in body

    def test_rules_pass_the_limit_to_highs_and_report_the_gap(self, monkeypatch):
        seen = {}
        _time_limited(monkeypatch, found=True, seen=seen)
        people = [rules.Person(1, "pns", Decimal(0), {7: (1, 3)})]
        events = [rules.Event(10, cost=100, seats=1, jp=Decimal(20), targets={7: 3})]
        plan = rules.allocate(people, events, 1_000, time_limit=2.5)
        assert seen["options"]["time_limit"] == 2.5
        assert plan.pairs == [(1, 10)] and plan.optimal is False and plan.gap == pytest.approx(0.0123)
        with pytest.raises(rules.SolveTimeout):
            _time_limited(monkeypatch, found=False, seen=seen)
            rules.allocate(people, events, 1_000, time_limit=2.5)


class TestStale:
    def test_an_enrolment_since_shows_a_notice_and_no_accept(self, client, login, ask, candidates, world, actors):
        login(world["admin_lpg"])
        resp = ask(candidates["agency"].pk, candidates["year"])
        # Both seats taken by hand since: the event is no longer open, yet the kept plan still reads.
        for person in candidates["people"][:2]:
            services.enroll(actor=actors["admin_lpg"], event=candidates["event"], employee=person)
        page = client.get(resp["Location"])
        result, body = page.context["result"], page.content.decode()
        assert result["stale"] and result["token"] == ""
        assert "Data berubah sejak usulan ini dihitung" in body and 'data-testid="rerun"' in body
        assert 'data-testid="accept-form"' not in body
        assert candidates["event"].name in body.split('data-testid="plan"')[1]

    def test_asking_again_gives_a_fresh_result(self, client, login, ask, candidates, world, actors):
        login(world["admin_lpg"])
        ask(candidates["agency"].pk, candidates["year"])
        services.budget_set(
            actor=actors["admin_lpg"], agency=candidates["agency"], year=candidates["year"], amount=Decimal(1_500_000)
        )
        resp = ask(candidates["agency"].pk, candidates["year"])
        result = client.get(resp["Location"]).context["result"]
        assert not result["stale"] and len(result["exact"].pairs) == 1 and result["token"]


class TestAccess:
    @pytest.mark.parametrize("who", ["admin_gtlo", "auditor_lpg", "kanreg_lpg", "employee_lpg", "supervisor_lpg"])
    def test_only_the_agencys_hr_sees_a_run(self, client, login, ask, candidates, world, who):
        login(world["admin_lpg"])
        ask(candidates["agency"].pk, candidates["year"])
        run = latest()
        login(world[who])
        assert client.get(run_url(run)).status_code == 404
        assert client.get(run_url(run), {"poll": 1}, HTTP_HX_REQUEST="true").status_code == 404
        assert client.get(f"{API}{run.uid}/").status_code == 404
        if who == "admin_gtlo":  # their own agency in the address does not open Lampung's run
            assert client.get(f"{BASE}{world['gtlo']['agency'].pk}/hasil/{run.uid}/").status_code == 404
        login(world["national"])
        assert client.get(run_url(run)).status_code == 200

    def test_anonymous_is_sent_to_log_in(self, client, login, ask, candidates, world):
        login(world["admin_lpg"])
        ask(candidates["agency"].pk, candidates["year"])
        run = latest()
        client.logout()
        resp = client.get(run_url(run))
        assert resp.status_code == 302 and resp["Location"].startswith(reverse("accounts:login"))
        assert client.post(f"{BASE}{candidates['agency'].pk}/hitung/", {"tahun": 2030}).status_code == 302
        assert client.get(f"{API}{run.uid}/").status_code in (401, 403)
        assert AllocationRun.objects.count() == 1

    def test_an_unknown_run_is_404(self, client, login, candidates, world):
        login(world["admin_lpg"])
        assert client.get(f"{BASE}{candidates['agency'].pk}/hasil/{'0' * 24}/").status_code == 404
        assert client.get(f"{API}{'0' * 24}/").status_code == 404


class TestQueries:
    def _count(self, client, url) -> int:
        client.get(url)  # warm the session and the caches a first visit fills
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    def test_the_run_page_when_done_reads_in_constant_queries(
        self, client, login, ask, candidates, world, actors, django_assert_max_num_queries
    ):
        login(world["admin_lpg"])
        ask(candidates["agency"].pk, candidates["year"])
        few = self._count(client, run_url(latest()))
        lpg = world["lpg"]
        for i in range(6):
            e = make_employee(
                lpg["agency"], lpg["staff"], name=f"Tambahan {i:02d}", birth=datetime.date(1991, 2, 1 + i)
            )
            services.assessment_record(
                actor=actors["admin_lpg"],
                employee=e,
                competency=candidates["asn"],
                level=1,
                source="cact",
                assessed_on=today(),
            )
        ask(candidates["agency"].pk, candidates["year"])
        url = run_url(latest())
        assert self._count(client, url) == few
        with django_assert_max_num_queries(20):  # the session and actor, the run, the recent runs, build()
            client.get(url)


class TestApi:
    def test_a_run_through_the_api(self, client, login, candidates, world, django_capture_on_commit_callbacks):
        login(world["admin_lpg"])
        body = {"agency": candidates["agency"].pk, "year": candidates["year"], "max_events": 2}
        with django_capture_on_commit_callbacks(execute=True):
            created = client.post(API, body, content_type="application/json")
        assert created.status_code == 201
        run = created.json()
        assert run["status"] == "queued" and run["weights"]["max_events"] == 2
        assert run["page"].endswith(run_url(latest()))
        done = client.get(run["url"]).json()
        assert done["status"] == "done" and done["stage"] == "" and done["elapsed"] >= 0
        result = done["result"]
        assert len(result["exact"]["enrollments"]) == 2 and result["exact"]["optimal"]
        assert result["token"] and not result["stale"] and result["time_limit"] == 900

    def test_a_run_in_progress_reports_its_stage_and_a_second_is_409(self, client, login, candidates, world):
        login(world["admin_lpg"])
        body = {"agency": candidates["agency"].pk, "year": candidates["year"]}
        run = client.post(API, body, content_type="application/json").json()
        AllocationRun.objects.filter(uid=run["uid"]).update(status=S.RUNNING, stage="solve", started_at=timezone.now())
        got = client.get(run["url"]).json()
        assert (got["status"], got["stage"], got["stage_text"]) == ("running", "solve", "Mencari rencana optimal")
        assert got["result"] is None
        again = client.post(API, body, content_type="application/json")
        assert (
            again.status_code == 409
            and again.json()["uid"] == run["uid"]
            and "masih berjalan" in again.json()["detail"]
        )
        assert AllocationRun.objects.count() == 1

    def test_a_failed_run_reports_its_error(
        self, client, login, candidates, world, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(allocation, "propose", lambda **kw: (_ for _ in ()).throw(ValueError("bobot aneh")))
        login(world["admin_lpg"])
        body = {"agency": candidates["agency"].pk, "year": candidates["year"]}
        with django_capture_on_commit_callbacks(execute=True):
            run = client.post(API, body, content_type="application/json").json()
        got = client.get(run["url"]).json()
        assert got["status"] == "failed" and got["error"] == "bobot aneh" and got["result"] is None
