import datetime

import pytest

from personnel.models import Assignment
from personnel.supervision import direct_supervisor, supervised_position_paths, supervision_worklist, supervisor_chain
from tests.factories import make_employee, make_position

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 23)


class TestDirectSupervisor:
    def test_the_holder_of_the_parent_position_is_the_supervisor(self, world):
        link = direct_supervisor(world["lpg"]["e_staff"], TODAY)
        assert link.employee_id == world["lpg"]["e_kabid"].pk and link.kind == "definitive"

    def test_the_agency_head_answers_to_the_head_of_government(self, world):
        link = direct_supervisor(world["lpg"]["e_head"], TODAY)
        assert link.resolved and link.external == "Gubernur Lampung"

    def test_a_vacant_parent_with_a_plt_resolves_to_the_plt(self, world):
        lpg = world["lpg"]
        Assignment.objects.filter(employee=lpg["e_kabid"]).update(end_date=D(2026, 6, 30))
        Assignment.objects.create(
            employee=lpg["e_head"], position=lpg["kabid"], kind="plt", tmt=D(2026, 7, 1), decree_number="PLT/1"
        )
        link = direct_supervisor(lpg["e_staff"], TODAY)
        assert (link.employee_id, link.kind) == (lpg["e_head"].pk, "plt")

    def test_a_definitive_holder_wins_over_a_plh(self, world):
        lpg = world["lpg"]
        Assignment.objects.create(
            employee=lpg["e_head"], position=lpg["kabid"], kind="plh", tmt=D(2026, 11, 1), decree_number="PLH/1"
        )
        assert direct_supervisor(lpg["e_staff"], TODAY).employee_id == lpg["e_kabid"].pk

    def test_a_vacant_parent_without_acting_official_is_a_problem_naming_the_post(self, world):
        lpg = world["lpg"]
        Assignment.objects.filter(employee=lpg["e_kabid"]).update(end_date=D(2026, 6, 30))
        link = direct_supervisor(lpg["e_staff"], TODAY)
        assert (link.problem, link.problem_position_id) == ("parent_vacant", lpg["kabid"].pk)

    def test_supervision_is_effective_dated(self, world):
        lpg = world["lpg"]
        Assignment.objects.filter(employee=lpg["e_kabid"]).update(end_date=D(2026, 6, 30))
        assert direct_supervisor(lpg["e_staff"], D(2026, 6, 30)).employee_id == lpg["e_kabid"].pk
        assert direct_supervisor(lpg["e_staff"], D(2026, 7, 1)).problem == "parent_vacant"

    def test_an_employee_acting_in_the_parent_post_answers_one_level_higher(self, world):
        lpg = world["lpg"]
        Assignment.objects.filter(employee=lpg["e_kabid"]).update(end_date=D(2026, 6, 30))
        Assignment.objects.create(
            employee=lpg["e_staff"], position=lpg["kabid"], kind="plt", tmt=D(2026, 7, 1), decree_number="PLT/2"
        )
        link = direct_supervisor(lpg["e_staff"], TODAY)
        assert link.employee_id == lpg["e_head"].pk

    def test_an_employee_without_a_position_is_a_problem(self, world):
        emp = make_employee(world["lpg"]["agency"], None, name="CPNS Baru")
        assert direct_supervisor(emp, TODAY).problem == "no_position"

    def test_a_position_without_parent_not_marked_top_is_a_problem(self, world):
        lpg = world["lpg"]
        orphan = make_position(lpg["agency"], lpg["div"], "ORPH", "Jabatan Yatim", top=False)
        emp = make_employee(lpg["agency"], orphan, name="Pegawai Yatim")
        link = direct_supervisor(emp, TODAY)
        assert (link.problem, link.problem_position_id) == ("no_parent", orphan.pk)

    def test_an_inactive_parent_is_a_problem(self, world):
        lpg = world["lpg"]
        lpg["kabid"].is_active = False
        lpg["kabid"].save()
        assert direct_supervisor(lpg["e_staff"], TODAY).problem == "parent_inactive"


class TestChain:
    def test_the_chain_runs_up_to_the_head_of_government(self, world):
        lpg = world["lpg"]
        steps = supervisor_chain(lpg["e_staff"], TODAY)
        assert [s.employee.pk if s.employee else s.external for s in steps] == [
            lpg["e_kabid"].pk,
            lpg["e_head"].pk,
            "Gubernur Lampung",
        ]

    def test_the_chain_stops_at_the_first_gap_and_says_who_fixes_it(self, world):
        lpg = world["lpg"]
        Assignment.objects.filter(employee=lpg["e_head"]).update(end_date=D(2026, 1, 31))
        steps = supervisor_chain(lpg["e_staff"], TODAY)
        assert steps[0].employee.pk == lpg["e_kabid"].pk
        assert steps[1].problem == "parent_vacant" and "Kepala BKD" in steps[1].problem_text


class TestWorklist:
    def test_a_complete_tree_has_no_unresolved_employee(self, world):
        work = supervision_worklist(world["lpg"]["agency"].pk, TODAY)
        assert work["unresolved"] == []
        # The staff post needs three and has one holder.
        assert [w.position.code for w in work["vacant"]] == ["PL"]

    def test_vacancies_and_unresolved_employees_are_listed_with_the_fix(self, world):
        lpg = world["lpg"]
        Assignment.objects.filter(employee=lpg["e_kabid"]).update(end_date=D(2026, 6, 30))
        make_employee(lpg["agency"], None, name="CPNS Baru")
        work = supervision_worklist(lpg["agency"].pk, TODAY)
        kinds = sorted((w.kind, w.employee.name) for w in work["unresolved"])
        # The former division head has no post any more either.
        assert kinds == [
            ("no_position", "CPNS Baru"),
            ("no_position", "Kabid Lampung"),
            ("parent_vacant", "Staf Lampung"),
        ]
        assert any(w.position.code == "KABID" and "Plt/Plh" in w.text for w in work["vacant"])

    def test_the_worklist_reads_the_tree_in_a_fixed_number_of_queries(self, world, django_assert_max_num_queries):
        lpg = world["lpg"]
        for i in range(20):
            make_employee(lpg["agency"], lpg["staff"], name=f"Staf {i}")
        with django_assert_max_num_queries(4):
            supervision_worklist(lpg["agency"].pk, TODAY)


class TestSupervisedPaths:
    def test_a_supervisor_sees_the_posts_below_the_posts_they_hold(self, world):
        lpg = world["lpg"]
        assert supervised_position_paths(lpg["e_kabid"], TODAY) == (lpg["staff"].path,)
        assert supervised_position_paths(lpg["e_staff"], TODAY) == ()
