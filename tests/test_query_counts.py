"""Lists and dashboards run a fixed number of queries, however many rows they show."""

import pytest

from tests.factories import make_employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(world):
    lpg = world["lpg"]
    for i in range(30):
        make_employee(lpg["agency"], lpg["staff"], name=f"Pegawai Ramai {i:02d}")
    return world


def count(client, django_assert_max_num_queries, url, n):
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(n):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url,n",
    [
        ("/pegawai/", 10),
        ("/pegawai/?q=Ramai&sort=-retirement_date", 10),
        ("/api/employees/", 8),
        ("/audit/", 8),
        ("/organisasi/", 7),
    ],
)
def test_lists(client, login, crowded, django_assert_max_num_queries, url, n):
    login(crowded["admin_lpg"])
    count(client, django_assert_max_num_queries, url, n)


def test_agency_overview(client, login, crowded, django_assert_max_num_queries):
    login(crowded["admin_lpg"])
    count(client, django_assert_max_num_queries, f"/organisasi/instansi/{crowded['lpg']['agency'].pk}/", 19)


def test_unit_tree_and_positions(client, login, crowded, django_assert_max_num_queries):
    login(crowded["admin_lpg"])
    ag = crowded["lpg"]["agency"].pk
    count(client, django_assert_max_num_queries, f"/organisasi/instansi/{ag}/unit/", 9)
    count(client, django_assert_max_num_queries, f"/organisasi/instansi/{ag}/jabatan/", 8)


def test_profile(client, login, crowded, django_assert_max_num_queries):
    login(crowded["admin_lpg"])
    count(client, django_assert_max_num_queries, f"/pegawai/{crowded['lpg']['e_staff'].nip}/", 15)


def test_the_list_does_not_grow_with_rows(client, login, world, django_assert_num_queries):
    """Same number of queries for 3 rows as for 25 rows on the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(world["admin_lpg"])
    client.get("/pegawai/")
    with CaptureQueriesContext(connection) as few:
        client.get("/pegawai/")
    lpg = world["lpg"]
    for i in range(25):
        make_employee(lpg["agency"], lpg["staff"], name=f"Tambahan {i:02d}")
    with CaptureQueriesContext(connection) as many:
        client.get("/pegawai/")
    assert len(many.captured_queries) == len(few.captured_queries)
