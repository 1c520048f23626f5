"""Ratings: matrix, the unit head's result from the unit's predikat, the curve at finalization,
immutability and re-opening, follow-up, feedback and the 360° threshold."""

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import DomainError
from performance.choices import AssessmentStatus
from performance.models import Assessment, CoachingPlan, CreditPoint, PeerInput, Reopening
from performance.selectors import peer_summary
from performance.services import during, plan, rating
from performance.services.setup import org_rating_set, settings_update
from performance.tests.conftest import DAY
from performance.tests.test_services_plan import IND, approved_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(team):
    """Every staff plan approved by the Kabid; the head sets the Bidang's predikat for Q1."""
    head_skp, head_rhk, kabid_skp, kabid_rhk = approved_chain(team)
    team.skps = []
    for e, u in zip(team.staff, team.u_staff):
        skp = plan.skp_create(actor=team.actor(u), employee=e, perf_year=team.year)
        plan.rhk_add(actor=team.actor(u), skp=skp, text=f"RHK {e.name}", indicators=IND, supports=kabid_rhk, today=DAY)
        plan.skp_submit(actor=team.actor(u), skp=skp, today=DAY)
        plan.skp_approve(actor=team.actor(team.u_kabid), skp=skp, today=DAY)
        team.skps.append(skp)
    team.kabid_skp, team.head_skp = kabid_skp, head_skp
    team.q1 = team.periods[0]
    return team


def rate_all(team, pairs, period=None):
    period = period or team.q1
    for skp, (res, beh) in zip(team.skps, pairs):
        rating.assessment_save(actor=team.actor(team.u_kabid), skp=skp, period=period, result_rating=res, behaviour_rating=beh, today=DAY)


class TestRatingAndCurve:
    def test_the_predikat_follows_the_matrix(self, rated):
        a = rating.assessment_save(actor=rated.actor(rated.u_kabid), skp=rated.skps[0], period=rated.q1, result_rating="below", behaviour_rating="above", today=DAY)
        assert a.predikat == "butuh_perbaikan" and a.status == AssessmentStatus.DRAFT

    def test_only_the_direct_supervisor_rates(self, rated):
        with pytest.raises(PermissionDenied):
            rating.assessment_save(actor=rated.actor(rated.u_head), skp=rated.skps[0], period=rated.q1, result_rating="meets", behaviour_rating="meets", today=DAY)

    def test_a_unit_head_gets_the_units_predikat_as_result_rating(self, rated):
        with pytest.raises(DomainError, match="predikat unit"):
            rating.assessment_save(actor=rated.actor(rated.u_head), skp=rated.kabid_skp, period=rated.q1, result_rating="below", behaviour_rating="meets", today=DAY)
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="istimewa")
        a = rating.assessment_save(actor=rated.actor(rated.u_head), skp=rated.kabid_skp, period=rated.q1, result_rating="below", behaviour_rating="above", today=DAY)
        assert (a.result_rating, a.predikat) == ("above", "sangat_baik")

    def test_only_the_superior_of_the_unit_head_sets_the_units_predikat(self, rated):
        with pytest.raises(PermissionDenied):
            org_rating_set(actor=rated.actor(rated.u_kabid), unit=rated.div, period=rated.q1, predikat="istimewa")
        # The BKD head answers to the Gubernur: the HR admin records the BKD's predikat on his behalf.
        org_rating_set(actor=rated.actor(rated.u_admin), unit=rated.root, period=rated.q1, predikat="baik")

    def test_finalizing_within_the_curve(self, rated):
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, [("meets", "meets")] * 3 + [("above", "above"), ("below", "meets")])
        rnd = rating.unit_round(rated.div, rated.q1)
        assert rnd.check.ok and len(rnd.skps) == 5
        finals = rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=rated.q1, today=DAY)
        assert len(finals) == 5 and all(a.status == "final" for a in Assessment.objects.filter(period=rated.q1))
        assert CoachingPlan.objects.filter(employee=rated.staff[4]).count() == 1

    def test_breaking_the_curve_needs_a_justification(self, rated):
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, [("meets", "meets")] * 5)  # 5 Baik: more than 70 % and nobody below
        with pytest.raises(DomainError, match="justifikasi") as exc:
            rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=rated.q1, today=DAY)
        assert exc.value.code == "curve"
        assert not Assessment.objects.filter(status="final").exists()
        rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=rated.q1, justification="Unit kecil, kinerja merata", today=DAY)
        assert set(Assessment.objects.values_list("curve_justification", flat=True)) == {"Unit kecil, kinerja merata"}

    def test_an_agency_that_refuses_deviations_refuses_them(self, rated):
        settings_update(actor=rated.actor(rated.u_admin), agency=rated.agency, frequency="quarterly", curve_policy="refuse", rounding="floor_ceil")
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, [("meets", "meets")] * 5)
        with pytest.raises(DomainError, match="menyimpang"):
            rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=rated.q1, justification="tetap", today=DAY)

    def test_finalizing_needs_the_units_predikat_and_everyone_rated(self, rated):
        rate_all(rated, [("meets", "meets")] * 4)
        with pytest.raises(DomainError, match="belum menetapkan predikat"):
            rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=rated.q1, today=DAY)
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        with pytest.raises(DomainError, match="Belum dinilai: Staf 4"):
            rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=rated.q1, today=DAY)

    def test_a_staff_member_cannot_finalize(self, rated):
        with pytest.raises(PermissionDenied):
            rating.unit_finalize(actor=rated.actor(rated.u_staff[0]), unit=rated.div, period=rated.q1, today=DAY)


class TestImmutability:
    def finalize(self, t):
        org_rating_set(actor=t.actor(t.u_head), unit=t.div, period=t.q1, predikat="baik")
        rate_all(t, [("meets", "meets")] * 3 + [("above", "above"), ("below", "meets")])
        rating.unit_finalize(actor=t.actor(t.u_kabid), unit=t.div, period=t.q1, today=DAY)

    def test_a_final_rating_cannot_be_changed(self, rated):
        self.finalize(rated)
        with pytest.raises(DomainError, match="pembukaan kembali"):
            rating.assessment_save(actor=rated.actor(rated.u_kabid), skp=rated.skps[0], period=rated.q1, result_rating="above", behaviour_rating="above", today=DAY)

    def test_a_recorded_reopening_allows_a_correction(self, rated):
        self.finalize(rated)
        a = Assessment.objects.get(skp=rated.skps[0], period=rated.q1)
        with pytest.raises(PermissionDenied):
            rating.assessment_reopen(actor=rated.actor(rated.u_kabid), assessment=a, reason="keberatan")
        with pytest.raises(DomainError, match="alasan"):
            rating.assessment_reopen(actor=rated.actor(rated.u_admin), assessment=a, reason="")
        rating.assessment_reopen(actor=rated.actor(rated.u_admin), assessment=a, reason="Keberatan No. 800/12")
        r = Reopening.objects.get()
        assert r.before["predikat"] == "baik" and r.reason == "Keberatan No. 800/12"
        a = rating.assessment_save(actor=rated.actor(rated.u_kabid), skp=rated.skps[0], period=rated.q1, result_rating="above", behaviour_rating="meets", today=DAY)
        assert a.status == "draft"


class TestFollowUp:
    def test_functional_posts_earn_credit_points_at_the_annual_assessment(self, rated):
        pos = rated.skps[0].position
        pos.position_type, pos.level = "fungsional_keahlian", "ahli_pertama"
        pos.save()
        final = rated.periods[-1]
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=final, predikat="baik")
        rate_all(rated, [("above", "above")] + [("meets", "meets")] * 3 + [("below", "meets")], period=final)
        rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=final, today=DAY)
        cps = {cp.employee_id: cp for cp in CreditPoint.objects.all()}
        assert len(cps) == 5  # the five share one post, now Ahli Pertama
        assert str(cps[rated.staff[0].pk].amount) == "18.750" and cps[rated.staff[0].pk].percent == 150
        assert str(cps[rated.staff[4].pk].amount) == "9.375"

    def test_coaching_actions_with_owner_and_dates(self, rated):
        TestImmutability().finalize(rated)
        cp = CoachingPlan.objects.get()
        act = rating.coaching_action_add(actor=rated.actor(rated.u_kabid), plan=cp, action="Bimbingan teknis", owner="Kabid Mutasi", start=DAY, due=DAY)
        assert act.plan == cp
        with pytest.raises(DomainError, match="Tenggat"):
            rating.coaching_action_add(actor=rated.actor(rated.u_kabid), plan=cp, action="x", owner="y", start=DAY, due=DAY.replace(day=1))


class TestDuringTheYear:
    def test_feedback_and_reply(self, rated):
        skp = rated.skps[0]
        rhk = skp.rhks.get()
        fb = during.feedback_give(actor=rated.actor(rated.u_kabid), skp=skp, rhk=rhk, text="Percepat verifikasi", today=DAY)
        during.feedback_reply(actor=rated.actor(rated.u_staff[0]), feedback=fb, reply="Siap")
        fb.refresh_from_db()
        assert fb.reply == "Siap" and fb.replied_at
        with pytest.raises(PermissionDenied):
            during.feedback_give(actor=rated.actor(rated.u_staff[1]), skp=skp, text="x", today=DAY)

    def test_evidence_link_or_file(self, rated):
        rhk = rated.skps[0].rhks.get()
        ev = during.evidence_add(actor=rated.actor(rated.u_staff[0]), rhk=rhk, period=rated.q1, url="https://drive.example/bukti.pdf")
        assert ev.kind == "link"
        with pytest.raises(DomainError, match="salah satu"):
            during.evidence_add(actor=rated.actor(rated.u_staff[0]), rhk=rhk, period=rated.q1)

    def test_360_input_is_revealed_only_from_three_raters(self, rated):
        skp, period = rated.skps[0], rated.q1
        for u in rated.u_staff[1:3]:
            during.peer_input_submit(actor=rated.actor(u), skp=skp, period=period, ratings={"akuntabel": "above"}, today=DAY)
        assert peer_summary(skp, period) is None  # two raters reveal nothing
        during.peer_input_submit(actor=rated.actor(rated.u_staff[3]), skp=skp, period=period, ratings={"akuntabel": "meets"}, today=DAY)
        summary = peer_summary(skp, period)
        assert summary["raters"] == 3 and summary["values"]["akuntabel"] == {"above": 2, "meets": 1, "below": 0}
        assert set(summary) == {"raters", "values"}  # counts only: no rater, no single answer

    def test_360_refusals(self, rated):
        skp = rated.skps[0]
        with pytest.raises(PermissionDenied):
            during.peer_input_submit(actor=rated.actor(rated.u_staff[0]), skp=skp, period=rated.q1, ratings={"loyal": "meets"}, today=DAY)
        with pytest.raises(PermissionDenied):  # the supervisor rates in the assessment, not anonymously
            during.peer_input_submit(actor=rated.actor(rated.u_kabid), skp=skp, period=rated.q1, ratings={"loyal": "meets"}, today=DAY)
        during.peer_input_submit(actor=rated.actor(rated.u_staff[1]), skp=skp, period=rated.q1, ratings={"loyal": "meets"}, today=DAY)
        with pytest.raises(DomainError, match="sudah memberi"):
            during.peer_input_submit(actor=rated.actor(rated.u_staff[1]), skp=skp, period=rated.q1, ratings={"loyal": "above"}, today=DAY)
        assert PeerInput.objects.count() == 1
