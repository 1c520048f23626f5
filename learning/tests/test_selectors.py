"""selectors.compliance_by counts in the database: checked against learning.rules applied employee by
employee (the year's JP from the year's minutes, rounded once), on the edges where a sum of rounded JP, a
float sum or a text comparison would go wrong."""

import datetime
import random
from decimal import Decimal

import pytest

from core.models import RuleParameter
from learning import rules, selectors
from learning.models import JpEntry
from personnel.models import Employee
from tests.factories import make_employee

YEAR = 2026


def book(employee, *minutes, year=YEAR):
    """Ledger entries of these durations, each with its own JP as the services book it."""
    for m in minutes:
        JpEntry.objects.create(
            employee=employee,
            year=year,
            booked_on=datetime.date(year, 6, 1),
            minutes=m,
            jp=rules.minutes_to_jp(m),
            description="uji",
        )


def by_rules(employees, group, minutes_per_jp=rules.MINUTES_PER_JP):
    """The reference: every employee's year counted in Python (rules.year_jp of the year's minutes) and
    judged by learning.rules."""
    key, label = selectors.GROUPS[group]
    out = {}
    for e in employees.values("pk", key, label, "employee_type"):
        minutes = sum(JpEntry.objects.filter(employee_id=e["pk"], year=YEAR).values_list("minutes", flat=True))
        jp = rules.year_jp(minutes, minutes_per_jp)
        rule = rules.compliance(jp, e["employee_type"])
        g = out.setdefault(e[key], {"name": e[label], "pns": 0, "met": 0, "jp_sum": Decimal(0), "pppk": 0, "over": 0})
        if e["employee_type"] == "pppk":
            g["pppk"] += 1
            g["over"] += rule.over_limit
        else:
            g["pns"] += 1
            g["met"] += rule.met
            g["jp_sum"] += jp
    return out


def counted(rows):
    return {
        r["id"]: {
            "name": r["name"],
            "pns": r["pns"],
            "met": r["met"],
            "jp_sum": r["jp_sum"],
            "pppk": r["pppk"],
            "over": r["pppk_over"],
        }
        for r in rows
    }


@pytest.fixture
def edges(world):
    lpg, gtlo = world["lpg"], world["gtlo"]
    people = {
        # Eighteen 50-minute sessions: 900 minutes, 20.00 JP; their own JP (1.11 each) add up to 19.98.
        "eighteen": make_employee(lpg["agency"], lpg["staff"], name="Delapan Belas Sesi"),
        "just_short": make_employee(lpg["agency"], lpg["staff"], name="Kurang Sedikit"),
        "cpns": make_employee(lpg["agency"], lpg["staff"], name="Calon", etype="cpns"),
        "pppk_at_24": make_employee(lpg["agency"], lpg["staff"], name="PPPK Pas", etype="pppk"),
        "pppk_over": make_employee(gtlo["agency"], gtlo["staff"], name="PPPK Lebih", etype="pppk"),
        "no_post": make_employee(gtlo["agency"], None, name="Tanpa Jabatan"),
        "last_year": make_employee(gtlo["agency"], gtlo["staff"], name="Tahun Lalu"),
    }
    book(people["eighteen"], *[50] * 18)
    book(people["just_short"], 899)  # 19.98
    book(people["cpns"], 450, 450)
    book(people["pppk_at_24"], 540, 540)  # 24.00
    book(people["pppk_over"], 540, 541)  # 24.02
    book(people["no_post"], 900)
    book(people["last_year"], 1800, year=YEAR - 1)
    book(lpg["e_staff"], 50, 1)  # 51 minutes: 1.13
    return people


@pytest.mark.parametrize("group", ["unit", "agency", "region"])
def test_the_database_counts_what_the_rules_say(edges, group):
    employees = Employee.objects.filter(status="active")
    assert counted(selectors.compliance_by(employees, YEAR, group)) == by_rules(employees, group)


def test_the_edges_themselves(edges, world):
    rows = {r["name"]: r for r in selectors.compliance_by(Employee.objects.all(), YEAR, "agency")}
    lpg, gtlo = rows["Lampung"], rows["Gorontalo"]
    # Lampung: head, kabid, staff (1.13), eighteen sessions (20.00, met), just short (19.98), CPNS (20, met);
    # PPPK at 24.
    assert (lpg["pns"], lpg["met"], lpg["pppk"], lpg["pppk_over"]) == (6, 2, 1, 0)
    assert lpg["jp_sum"] == Decimal("61.11") and lpg["rate"] == pytest.approx(2 / 6)
    # Gorontalo: three of the world, the one without a post (20, met), last year's 40 not counted; PPPK 24.02.
    assert (gtlo["pns"], gtlo["met"], gtlo["pppk"], gtlo["pppk_over"]) == (5, 1, 1, 1)
    assert gtlo["mean_jp"] == Decimal(4)


def test_the_callers_scope_is_kept(edges, world):
    lpg = world["lpg"]["agency"]
    mine = Employee.objects.filter(agency=lpg).exclude(employee_type="pppk")
    rows = selectors.compliance_by(mine, YEAR, "agency")
    assert [(r["name"], r["pns"], r["pppk"]) for r in rows] == [("Lampung", 6, 0)]
    assert selectors.compliance_by(Employee.objects.none(), YEAR, "unit") == []


def test_many_random_ledgers(world):
    rng = random.Random(5)
    agencies = [world["lpg"], world["gtlo"]]
    for i in range(40):
        place = rng.choice(agencies)
        emp = make_employee(
            place["agency"],
            rng.choice([place["staff"], place["kabid"], None]),
            name=f"Acak {i}",
            etype=rng.choice(["pns", "pns", "cpns", "pppk"]),
        )
        book(emp, *(rng.randint(1, 540) for _ in range(rng.randint(0, 5))))
    employees = Employee.objects.all()
    for group in ("unit", "agency", "region"):
        assert counted(selectors.compliance_by(employees, YEAR, group)) == by_rules(employees, group)


def jp_length(minutes: int, on: datetime.date) -> None:
    RuleParameter.objects.create(
        key="learning.minutes_per_jp", value=minutes, effective_from=on, source="uji", confidence="W"
    )


class TestYearJpInTheDatabase:
    """selectors.year_jp (integers in SQL) gives what rules.year_jp gives, exact halves included."""

    def test_exact_halves_round_up_as_the_rules_say(self, world):
        jp_length(40, datetime.date(YEAR, 1, 1))
        emp = world["lpg"]["e_staff"]
        book(emp, 3)  # 3/40 = 0.075 JP exactly; as a float 0.07499… and it would round down to 0.07
        assert rules.year_jp(3, 40) == Decimal("0.08")
        assert selectors.jp_of_year(emp.pk, YEAR) == Decimal("0.08")
        assert selectors.jp_by_employee([emp.pk], YEAR) == {emp.pk: Decimal("0.08")}

    def test_random_years_agree_with_the_rules(self, world):
        rng = random.Random(11)
        jp_length(40, datetime.date(YEAR, 3, 1))
        people = [make_employee(world["lpg"]["agency"], world["lpg"]["staff"], name=f"Menit {i}") for i in range(30)]
        for emp in people:
            book(emp, *(rng.randint(1, 300) for _ in range(rng.randint(1, 6))))
        expected = {
            emp.pk: rules.year_jp(sum(JpEntry.objects.filter(employee=emp).values_list("minutes", flat=True)), 40)
            for emp in people
        }
        assert selectors.jp_by_employee([e.pk for e in people], YEAR) == expected
        annotated = Employee.objects.filter(pk__in=expected).annotate(jp=selectors.employee_year_jp(YEAR, 40))
        assert {e.pk: e.jp for e in annotated} == expected
        employees = Employee.objects.filter(pk__in=expected)
        assert counted(selectors.compliance_by(employees, YEAR, "unit")) == by_rules(employees, "unit", 40)

    def test_the_jp_length_in_force_at_the_end_of_the_year_counts(self, world):
        emp = world["lpg"]["e_staff"]
        book(emp, 900)
        jp_length(60, datetime.date(YEAR + 1, 1, 1))  # from next year: not this year's
        assert selectors.year_minutes_per_jp(YEAR) == 45
        assert selectors.jp_of_year(emp.pk, YEAR) == Decimal("20.00")
        jp_length(50, datetime.date(YEAR, 12, 31))  # in force on 31 December: the whole year is counted with it
        assert selectors.year_minutes_per_jp(YEAR) == 50
        assert selectors.jp_of_year(emp.pk, YEAR) == Decimal("18.00")

    def test_a_lookup_on_the_annotation_compares_jp(self, world):
        book(world["lpg"]["e_staff"], *[50] * 18)
        book(world["lpg"]["e_kabid"], 899)
        done = Employee.objects.annotate(jp=selectors.employee_year_jp(YEAR, 45))
        assert set(done.filter(jp__gte=rules.PNS_MIN_JP).values_list("pk", flat=True)) == {world["lpg"]["e_staff"].pk}
        assert done.filter(pk=world["lpg"]["e_kabid"].pk).values_list("jp", flat=True)[0] == Decimal("19.98")
