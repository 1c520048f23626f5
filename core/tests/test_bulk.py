"""The bulk write path: instances built without Model.__init__, inserted by COPY or bulk_create."""

import datetime

import pytest
from django.db import transaction

from core.bulk import build, bulk_insert
from core.models import RuleParameter

pytestmark = pytest.mark.django_db


def test_build_gives_defaults_like_the_constructor():
    built = build(RuleParameter, key="k", value={"a": 1}, effective_from=datetime.date(2026, 1, 1))
    normal = RuleParameter(key="k", value={"a": 1}, effective_from=datetime.date(2026, 1, 1))
    fields = [f.attname for f in RuleParameter._meta.concrete_fields]
    assert {f: getattr(built, f) for f in fields} == {f: getattr(normal, f) for f in fields}
    assert built._state.adding


def test_build_refuses_an_unknown_field():
    with pytest.raises(TypeError, match="no field nope"):
        build(RuleParameter, key="k", nope=1)


def test_bulk_insert_sets_primary_keys_and_stores_json():
    objs = [
        build(
            RuleParameter,
            key=f"bench.k{i}",
            value={"n": i, "teks": "é"},
            effective_from=datetime.date(2026, 1, 1),
            source="test",
            confidence="U",
        )
        for i in range(3)
    ]
    with transaction.atomic():
        bulk_insert(RuleParameter, objs)
    assert all(o.pk for o in objs) and len({o.pk for o in objs}) == 3
    stored = RuleParameter.objects.get(pk=objs[2].pk)
    assert stored.value == {"n": 2, "teks": "é"} and stored.key == "bench.k2"
    assert not objs[0]._state.adding


def test_a_column_named_like_a_reserved_word_is_quoted(world):
    """Rhk has a column called "order": COPY on PostgreSQL must quote it (unquoted it is a syntax error)."""
    from accounts.access import build_actor
    from performance.models import Rhk
    from performance.services.plan import skp_create
    from performance.services.setup import year_open

    admin = build_actor(world["admin_lpg"])
    year = year_open(actor=admin, agency=world["lpg"]["agency"], year=2026)
    skp = skp_create(actor=admin, employee=world["lpg"]["e_staff"], perf_year=year)
    with transaction.atomic():
        (rhk,) = bulk_insert(Rhk, [build(Rhk, skp_id=skp.pk, text="Disalin massal", order=3)])
    assert Rhk.objects.get(pk=rhk.pk).order == 3
