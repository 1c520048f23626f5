"""selectors.compliance_by counts in the database: checked against learning.rules applied employee by
employee, on the edges where a float sum or a text comparison would go wrong."""

import datetime
import random
from decimal import Decimal

import pytest

from learning import rules, selectors
from learning.models import JpEntry
from personnel.models import Employee
from tests.factories import make_employee

YEAR = 2026


def book(employee, *jps, year=YEAR):
    for jp in jps:
        JpEntry.objects.create(
            employee=employee,
            year=year,
            booked_on=datetime.date(year, 6, 1),
            minutes=rules.jp_to_minutes(Decimal(jp)),
            jp=Decimal(jp),
            description="uji",
        )


def by_rules(employees, group):
    """The reference: every employee's year summed in Python and judged by learning.rules."""
    key, label = selectors.GROUPS[group]
    out = {}
    for e in employees.values("pk", key, label, "employee_type"):
        jp = sum((j.jp for j in JpEntry.objects.filter(employee_id=e["pk"], year=YEAR)), Decimal(0))
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
        # 1 + 15.69 + 3.31 is 20.00 exactly; summed as floats (SQLite) it is 19.999999999999996.
        "float_trap": make_employee(lpg["agency"], lpg["staff"], name="Jebakan Float"),
        "just_short": make_employee(lpg["agency"], lpg["staff"], name="Kurang Sedikit"),
        "cpns": make_employee(lpg["agency"], lpg["staff"], name="Calon", etype="cpns"),
        "pppk_at_24": make_employee(lpg["agency"], lpg["staff"], name="PPPK Pas", etype="pppk"),
        "pppk_over": make_employee(gtlo["agency"], gtlo["staff"], name="PPPK Lebih", etype="pppk"),
        "no_post": make_employee(gtlo["agency"], None, name="Tanpa Jabatan"),
        "last_year": make_employee(gtlo["agency"], gtlo["staff"], name="Tahun Lalu"),
    }
    book(people["float_trap"], "1", "15.69", "3.31")
    book(people["just_short"], "19.99")
    book(people["cpns"], "12.5", "7.5")
    book(people["pppk_at_24"], "12", "12")
    book(people["pppk_over"], "12", "12.01")
    book(people["no_post"], "20")
    book(people["last_year"], "40", year=YEAR - 1)
    book(lpg["e_staff"], "1.11", "0.02")
    return people


@pytest.mark.parametrize("group", ["unit", "agency", "region"])
def test_the_database_counts_what_the_rules_say(edges, group):
    employees = Employee.objects.filter(status="active")
    assert counted(selectors.compliance_by(employees, YEAR, group)) == by_rules(employees, group)


def test_the_edges_themselves(edges, world):
    rows = {r["name"]: r for r in selectors.compliance_by(Employee.objects.all(), YEAR, "agency")}
    lpg, gtlo = rows["Lampung"], rows["Gorontalo"]
    # Lampung: head, kabid, staff (1.13), the float trap (20.00, met), just short (19.99), CPNS (20, met); PPPK at 24.
    assert (lpg["pns"], lpg["met"], lpg["pppk"], lpg["pppk_over"]) == (6, 2, 1, 0)
    assert lpg["jp_sum"] == Decimal("61.12") and lpg["rate"] == pytest.approx(2 / 6)
    # Gorontalo: three of the world, the one without a post (20, met), last year's 40 not counted; PPPK 24.01.
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
        book(emp, *(str(Decimal(rng.randint(1, 1200)) / 100) for _ in range(rng.randint(0, 5))))
    employees = Employee.objects.all()
    for group in ("unit", "agency", "region"):
        assert counted(selectors.compliance_by(employees, YEAR, group)) == by_rules(employees, group)
