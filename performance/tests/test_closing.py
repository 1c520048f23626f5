"""Closing a year in bulk: every rated unit's curve agrees with the unit screen's, in a fixed number of
queries, and the annual predikat recomputed from the ratings catches a stored one that was tampered with."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organization.models import OrgUnit
from performance.closing import annual_predikat_check, curve_report, curve_report_for_year
from performance.models import Assessment, OrgRating, Skp
from performance.services import plan, rating
from performance.services.setup import org_rating_set, settings_update, year_open
from performance.tests import test_services_rating
from tests.factories import make_employee, make_position, make_unit

pytestmark = pytest.mark.django_db

# The rating tests' team: every staff plan approved, ratings given through the real services.
rated = test_services_rating.rated
rate_all = test_services_rating.rate_all

WITHIN = [("meets", "meets")] * 3 + [("above", "above"), ("below", "meets")]  # Baik curve holds for 5
ALL_BAIK = [("meets", "meets")] * 5  # 5 Baik: above the 70 % cap and nobody below


def assert_agrees_with_unit_round(report, period):
    """Every unit of the report has exactly the population, counts and check of ``unit_round``."""
    rated_units = set(OrgRating.objects.filter(period=period).values_list("unit_id", flat=True))
    assert {c.unit_id for c in report} == rated_units
    for c in report:
        rnd = rating.unit_round(OrgUnit.objects.get(pk=c.unit_id), period)
        assert c.size == len(rnd.skps), c.unit_id
        assert c.counts == dict(Counter(a.predikat for a in rnd.assessments.values())), c.unit_id
        assert c.check == rnd.check
        assert (c.ok, c.broken) == (rnd.check.ok, rnd.check.broken)


def seksi_under_div(t):
    """A Seksi under the Bidang with its own predikat: Staf 2 heads it, Staf 3 and 4 work in it."""
    seksi = make_unit(t.agency, "BKD-MUT-1", "Seksi Mutasi I", t.div, kind="seksi")
    kabid = t.world["lpg"]["kabid"]
    kasi = make_position(t.agency, seksi, "KASI", "Kepala Seksi", kabid, ptype="pengawas", level="pengawas", job_class=9)
    Skp.objects.filter(pk=t.skps[2].pk).update(unit=seksi, position=kasi)
    Skp.objects.filter(pk__in=[t.skps[3].pk, t.skps[4].pk]).update(unit=seksi)
    OrgRating.objects.create(unit=seksi, period=t.q1, predikat="butuh_perbaikan", set_by=t.u_admin)
    return seksi


class TestCurveReport:
    def test_a_unit_within_the_curve(self, rated):
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, WITHIN)
        [c] = curve_report(rated.q1)
        assert (c.unit_id, c.org_predikat, c.size, c.ok) == (rated.div.pk, "baik", 5, True)
        assert c.counts == {"baik": 3, "sangat_baik": 1, "butuh_perbaikan": 1}
        assert_agrees_with_unit_round([c], rated.q1)

    def test_a_unit_breaking_the_curve_shows_the_same_broken_lines(self, rated):
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, ALL_BAIK)
        [c] = curve_report(rated.q1)
        assert not c.ok
        assert [(line.constraint.predikat, line.limit, line.actual) for line in c.broken] == [
            (("baik",), 3, 5),
            (("butuh_perbaikan", "kurang"), 1, 0),
        ]
        assert_agrees_with_unit_round([c], rated.q1)

    def test_an_unrated_sub_unit_falls_to_the_parents_curve_without_the_parents_head(self, rated):
        org_rating_set(actor=rated.actor(rated.u_admin), unit=rated.root, period=rated.q1, predikat="baik")
        rate_all(rated, WITHIN[:4])  # Staf 4 not rated yet; the Kabid is not rated (no predikat for his Bidang)
        [c] = curve_report(rated.q1)
        assert (c.unit_id, c.size, sum(c.counts.values())) == (rated.root.pk, 6, 4)  # 5 staff + the Kabid
        assert not c.ok and not c.broken  # a minimum is still pending, nothing broken
        assert_agrees_with_unit_round([c], rated.q1)

    def test_rated_sub_units_and_their_heads_are_taken_out_of_the_parents_curve(self, rated):
        org_rating_set(actor=rated.actor(rated.u_admin), unit=rated.root, period=rated.q1, predikat="istimewa")
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, WITHIN)
        seksi = seksi_under_div(rated)
        report = curve_report(rated.q1)
        sizes = {c.unit_id: c.size for c in report}
        # The Bidang keeps Staf 0 and 1; the Seksi has Staf 3 and 4 (its head, Staf 2, is on no curve);
        # the BKD keeps nobody: its head leads it, the Kabid leads a rated Bidang.
        assert sizes == {rated.root.pk: 0, rated.div.pk: 2, seksi.pk: 2}
        assert_agrees_with_unit_round(report, rated.q1)

    def test_a_plan_not_yet_approved_is_on_no_curve(self, rated):
        extra = make_employee(rated.agency, rated.world["lpg"]["staff"], name="Staf Baru")
        plan.skp_create(actor=rated.actor(rated.u_admin), employee=extra, perf_year=rated.year)
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, WITHIN)
        [c] = curve_report(rated.q1)
        assert c.size == 5
        assert_agrees_with_unit_round([c], rated.q1)

    def test_the_agencys_rounding_is_used(self, rated):
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, [("meets", "meets")] * 4 + [("below", "meets")])  # 4 Baik of 5: floor(3.5) = 3 < 4 ≤ ceil
        assert not curve_report(rated.q1)[0].ok
        settings_update(actor=rated.actor(rated.u_admin), agency=rated.agency, frequency="quarterly", curve_policy="justify", rounding="lenient")
        [c] = curve_report(rated.q1)
        assert c.ok
        assert_agrees_with_unit_round([c], rated.q1)

    def test_the_number_of_queries_does_not_grow_with_the_units(self, rated, django_assert_max_num_queries):
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
        rate_all(rated, WITHIN)
        with CaptureQueriesContext(connection) as one:
            assert len(curve_report(rated.q1)) == 1
        org_rating_set(actor=rated.actor(rated.u_admin), unit=rated.root, period=rated.q1, predikat="baik")
        seksi_under_div(rated)
        for i in range(2, 6):
            unit = make_unit(rated.agency, f"BKD-MUT-{i}", f"Seksi Mutasi {i}", rated.div, kind="seksi")
            OrgRating.objects.create(unit=unit, period=rated.q1, predikat="kurang", set_by=rated.u_admin)
        with django_assert_max_num_queries(len(one)):
            assert len(curve_report(rated.q1)) == 7

    def test_the_year_report_covers_the_final_period_of_every_agency(self, rated, django_assert_max_num_queries):
        final = rated.periods[-1]
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=final, predikat="baik")
        rate_all(rated, ALL_BAIK, period=final)
        rate_all(rated, WITHIN)  # Q1 is not the annual assessment: not in the year report
        gtlo = rated.world["gtlo"]
        admin_gtlo = rated.actor(rated.world["admin_gtlo"])
        gtlo_final = year_open(actor=admin_gtlo, agency=gtlo["agency"], year=2026).periods.get(is_final=True)
        org_rating_set(actor=admin_gtlo, unit=gtlo["root"], period=gtlo_final, predikat="istimewa")
        with django_assert_max_num_queries(5):
            report = curve_report_for_year(2026)
        assert [(c.unit_id, c.period_id, c.size, c.ok) for c in report] == [
            (rated.div.pk, final.pk, 5, False),
            (gtlo["root"].pk, gtlo_final.pk, 0, True),
        ]
        assert_agrees_with_unit_round(report[:1], final)
        assert_agrees_with_unit_round(report[1:], gtlo_final)
        assert [c.unit_id for c in curve_report_for_year(2026, agency_id=gtlo["agency"].pk)] == [gtlo["root"].pk]
        assert curve_report_for_year(2025) == []


class TestAnnualPredikatCheck:
    def test_the_predikat_recomputed_from_the_ratings_matches_the_stored_one(self, rated):
        final = rated.periods[-1]
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=final, predikat="baik")
        rate_all(rated, WITHIN, period=final)
        check = annual_predikat_check(2026)
        assert check.ok and check.rows == 5
        assert check.counts == {"sangat_baik": 1, "baik": 3, "butuh_perbaikan": 1, "kurang": 0, "sangat_kurang": 0}

    def test_a_tampered_annual_predikat_is_caught(self, rated, django_assert_max_num_queries):
        final = rated.periods[-1]
        org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=final, predikat="baik")
        rate_all(rated, WITHIN, period=final)
        rate_all(rated, WITHIN)
        a = Assessment.objects.get(skp=rated.skps[1], period=final)  # meets × meets: Baik
        Assessment.objects.filter(pk=a.pk).update(predikat="sangat_baik")
        Assessment.objects.filter(skp=rated.skps[2], period=rated.q1).update(predikat="kurang")  # not annual
        with django_assert_max_num_queries(2):
            check = annual_predikat_check(2026)
        assert not check.ok
        assert [(m.assessment_id, m.skp_id, m.stored, m.expected) for m in check.mismatches] == [
            (a.pk, rated.skps[1].pk, "sangat_baik", "baik")
        ]
        assert check.counts["baik"] == 3  # what the ratings give, not what is stored
        assert annual_predikat_check(2026, agency_id=rated.world["gtlo"]["agency"].pk).rows == 0
