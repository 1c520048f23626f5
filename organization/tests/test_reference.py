"""The reference data loaded by migrations: regions, regional offices, ranks, education levels."""

import pytest

from organization.models import Province, Regency, RegionalOffice
from personnel.models import EducationLevel, Rank

pytestmark = pytest.mark.django_db


def test_all_38_provinces_with_kemendagri_codes():
    codes = set(Province.objects.values_list("code", flat=True))
    assert len(codes) == 38
    assert {"11", "18", "15", "17", "75", "93", "94", "95", "96"} <= codes
    assert Province.objects.get(code="96").name == "Papua Barat Daya"


def test_seed_region_regencies():
    lampung = Regency.objects.filter(province__code="18")
    assert lampung.count() == 15
    assert lampung.filter(kind="city").count() == 2
    assert Regency.objects.get(code="15.09").capital == "Muara Tebo"
    assert Regency.objects.get(code="17.08").name == "Kabupaten Kepahiang"
    assert Regency.objects.filter(province__code="75").count() == 6
    assert all(r.code.startswith(r.province.code + ".") for r in Regency.objects.select_related("province"))


def test_every_province_in_exactly_one_regional_office():
    assert RegionalOffice.objects.count() == 14
    covered = list(RegionalOffice.objects.values_list("provinces__code", flat=True))
    assert sorted(covered) == sorted(Province.objects.values_list("code", flat=True))
    assert RegionalOffice.objects.get(provinces__code="17").roman == "VII"


def test_ranks_and_education_levels():
    pns = Rank.objects.filter(scheme="pns")
    assert pns.count() == 17
    assert pns.get(code="III/a").name == "Penata Muda"
    assert pns.get(code="IV/e").name == "Pembina Utama"
    assert Rank.objects.filter(scheme="pppk").count() == 17
    assert EducationLevel.objects.filter(code="S1").exists()
