import datetime

import pytest

from accounts.access import build_actor
from performance.services.setup import year_open
from tests.factories import make_employee, make_user

DAY = datetime.date(2026, 11, 23)


class Team:
    """Lampung's BKD: the head (JPT, answers to the Gubernur), the Kabid Mutasi, and five staff under him."""

    def __init__(self, world):
        lpg = world["lpg"]
        self.world = world
        self.agency = lpg["agency"]
        self.root, self.div = lpg["root"], lpg["div"]
        self.head, self.kabid = lpg["e_head"], lpg["e_kabid"]
        lpg["staff"].capacity = 6
        lpg["staff"].save()
        self.staff = [lpg["e_staff"]] + [
            make_employee(self.agency, lpg["staff"], name=f"Staf {i}", birth=datetime.date(1990, 1, i + 1))
            for i in range(1, 5)
        ]
        self.u_head = make_user("kepala.bkd", employee=self.head)
        self.u_kabid = world["supervisor_lpg"]
        self.u_staff = [world["employee_lpg"]] + [make_user(f"staf.{i}", employee=e) for i, e in enumerate(self.staff[1:], 1)]
        self.u_admin = world["admin_lpg"]
        self.year = year_open(actor=self.actor(self.u_admin), agency=self.agency, year=2026)
        self.periods = list(self.year.periods.order_by("number"))

    @staticmethod
    def actor(user):
        user.refresh_from_db()
        return build_actor(user)


@pytest.fixture
def team(world):
    return Team(world)
