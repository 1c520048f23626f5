"""Organization pages: the position list filtered by a unit of the tree."""

import pytest

pytestmark = pytest.mark.django_db


def test_positions_filtered_by_unit_include_sub_units(client, login, world):
    lpg = world["lpg"]
    login(world["admin_lpg"])
    url = f"/organisasi/instansi/{lpg['agency'].pk}/jabatan/"
    html = client.get(url, {"unit": lpg["div"].pk}).content.decode()
    assert "Kepala Bidang Mutasi" in html and "Pengadministrasi Kepegawaian" in html
    assert ">KBKD<" not in html  # the head's own row (his title still shows as the parent of Kabid)
    assert 'data-testid="unit-filter"' in html
    whole = client.get(url, {"unit": lpg["root"].pk}).content.decode()
    assert ">KBKD<" in whole and "Pengadministrasi Kepegawaian" in whole


def test_a_unit_of_another_agency_is_not_found(client, login, world):
    login(world["admin_lpg"])
    url = f"/organisasi/instansi/{world['lpg']['agency'].pk}/jabatan/"
    assert client.get(url, {"unit": world["gtlo"]["div"].pk}).status_code == 404


def test_unit_filter_applies_to_the_export(client, login, world):
    lpg = world["lpg"]
    login(world["admin_lpg"])
    url = f"/organisasi/instansi/{lpg['agency'].pk}/jabatan/"
    body = b"".join(client.get(url, {"unit": lpg["div"].pk, "export": "csv"}).streaming_content).decode("utf-8-sig")
    codes = [line.split(",")[0] for line in body.splitlines()[1:]]
    assert sorted(codes) == ["KABID", "PL"]
