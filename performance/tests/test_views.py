# ruff: noqa: F811  (pytest fixtures imported from a sibling module)
"""The performance pages for each part of the cycle, their refusals and their access."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from performance.models import Assessment, OrgRating, Rhk, Skp
from performance.tests.test_services_plan import IND, approved_chain
from performance.tests.test_services_rating import rate_all, rated  # noqa: F401

pytestmark = pytest.mark.django_db


def test_my_plans_page_offers_the_open_year(client, login, team):
    login(team.u_staff[0])
    html = client.get("/kinerja/").content.decode()
    assert "Susun SKP 2026" in html
    resp = client.post(f"/kinerja/tahun/{team.year.pk}/skp-baru/")
    skp = Skp.objects.get(employee=team.staff[0])
    assert resp["Location"] == f"/kinerja/skp/{skp.pk}/"


def test_plan_through_the_pages(client, login, team):
    _h, _hr, _k, kabid_rhk = approved_chain(team)
    login(team.u_staff[0])
    client.post(f"/kinerja/tahun/{team.year.pk}/skp-baru/")
    skp = Skp.objects.get(employee=team.staff[0])
    form = client.get(f"/kinerja/skp/{skp.pk}/rhk/tambah/").content.decode()
    assert "Mutasi tepat waktu" in form  # the supervisor's RHK to support
    bad = client.post(f"/kinerja/skp/{skp.pk}/rhk/tambah/", {"text": "Usulan mutasi", "supports": ""})
    assert "Pilih RHK atasan langsung" in bad.content.decode()
    ok = client.post(
        f"/kinerja/skp/{skp.pk}/rhk/tambah/",
        {"text": "Usulan mutasi", "supports": kabid_rhk.pk, "aspect_0": "quantity", "ind_text_0": "Usulan", "ind_target_0": "40 usulan"},
    )
    assert ok.status_code == 302 and Rhk.objects.filter(skp=skp).count() == 1
    client.post(f"/kinerja/skp/{skp.pk}/aksi/submit/")
    skp.refresh_from_db()
    assert skp.status == "submitted"
    login(team.u_kabid)
    page = client.get(f"/kinerja/skp/{skp.pk}/").content.decode()
    assert 'data-testid="skp-approve"' in page
    client.post(f"/kinerja/skp/{skp.pk}/aksi/approve/")
    skp.refresh_from_db()
    assert skp.status == "approved"


def test_a_refusal_comes_back_as_a_message(client, login, team):
    _h, _hr, kabid_skp, _kr = approved_chain(team)
    login(team.u_staff[0])
    resp = client.post(f"/kinerja/skp/{kabid_skp.pk}/aksi/approve/", follow=True)
    assert resp.status_code == 404  # another person's plan outside one's scope: as if missing


def test_the_team_page_shows_the_cascade(client, login, rated):
    login(rated.u_kabid)
    html = client.get("/kinerja/tim/").content.decode()
    assert html.count("RHK Staf") == 5 and "Mutasi tepat waktu" in html
    assert "Staf Lampung" in html


def test_unit_round_page_shows_the_curve_and_finalizes(client, login, rated):
    OrgRating.objects.create(unit=rated.div, period=rated.q1, predikat="baik", set_by=rated.u_head)
    rate_all(rated, [("meets", "meets")] * 5)
    login(rated.u_kabid)
    url = f"/kinerja/unit/{rated.div.pk}/periode/{rated.q1.pk}/"
    html = client.get(url).content.decode()
    assert "Baik paling banyak 3 orang, diberikan 5" in html and 'id="chart-curve"' in html
    refused = client.post(url, {"action": "finalize", "justification": ""}).content.decode()
    assert "tuliskan justifikasinya" in refused
    assert not Assessment.objects.filter(status="final").exists()
    client.post(url, {"action": "finalize", "justification": "Semua memenuhi target"})
    assert Assessment.objects.filter(status="final").count() == 5


def test_agency_dashboard_and_exports(client, login, rated):
    login(rated.u_admin)
    url = f"/kinerja/instansi/{rated.agency.pk}/"
    html = client.get(url).content.decode()
    assert 'id="chart-status"' in html and "Status SKP per perangkat daerah" in html
    resp = client.get(url, {"tahun": rated.year.pk, "tabel": "status", "export": "csv"})
    body = b"".join(resp.streaming_content).decode("utf-8-sig")
    assert "BKD Lampung" in body.splitlines()[1]


def test_another_agency_sees_nothing(client, login, rated):
    login(rated.world["admin_gtlo"])
    assert client.get(f"/kinerja/instansi/{rated.agency.pk}/").status_code == 404
    assert client.get(f"/kinerja/skp/{rated.skps[0].pk}/").status_code == 404
    assert client.get(f"/kinerja/unit/{rated.div.pk}/periode/{rated.q1.pk}/").status_code == 404


def test_team_page_queries_do_not_grow_with_the_team(client, login, rated, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from performance.services import plan
    from performance.tests.conftest import DAY
    from tests.factories import make_employee, make_user

    login(rated.u_kabid)
    with CaptureQueriesContext(connection) as small:
        client.get("/kinerja/tim/")
    kabid_rhk = rated.kabid_skp.rhks.first()
    staff_pos = rated.world["lpg"]["staff"]
    staff_pos.capacity = 20
    staff_pos.save()
    for i in range(10):
        e = make_employee(rated.agency, staff_pos, name=f"Tambahan {i}")
        u = make_user(f"tambahan.{i}", employee=e)
        skp = plan.skp_create(actor=rated.actor(u), employee=e, perf_year=rated.year)
        plan.rhk_add(actor=rated.actor(u), skp=skp, text="RHK tambahan", indicators=IND, supports=kabid_rhk, today=DAY)
    with CaptureQueriesContext(connection) as large:
        html = client.get("/kinerja/tim/").content.decode()
    assert html.count("Tambahan ") >= 10
    assert len(large.captured_queries) == len(small.captured_queries)


def test_dashboard_curve_by_unit_and_own_history(client, login, rated):
    from performance.services import rating
    from performance.services.setup import org_rating_set
    from performance.tests.conftest import DAY

    org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
    rate_all(rated, [("meets", "meets")] * 5)
    rating.unit_finalize(actor=rated.actor(rated.u_kabid), unit=rated.div, period=rated.q1, justification="x", today=DAY)
    login(rated.u_admin)
    html = client.get(f"/kinerja/instansi/{rated.agency.pk}/", {"tahun": rated.year.pk, "periode": rated.q1.pk}).content.decode()
    assert 'data-testid="curve-by-unit"' in html and "Bidang Mutasi" in html and "1 unit menyimpang" in html
    body = b"".join(
        client.get(
            f"/kinerja/instansi/{rated.agency.pk}/",
            {"tahun": rated.year.pk, "periode": rated.q1.pk, "tabel": "kurva", "export": "csv"},
        ).streaming_content
    ).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("Bidang Mutasi,Baik,5,0,5,0,0,0,broken")
    login(rated.u_staff[0])
    mine = client.get("/kinerja/").content.decode()
    assert 'data-testid="history"' in mine and "Triwulan I 2026" in mine


def test_evidence_files_are_served_only_within_scope(client, login, rated, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    skp = rated.skps[0]
    rhk = skp.rhks.get()
    login(rated.u_staff[0])
    resp = client.post(
        f"/kinerja/skp/{skp.pk}/aksi/evidence/?periode={rated.q1.pk}",
        {"rhk": rhk.pk, "file": SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")},
    )
    assert resp.status_code == 302
    ev = rhk.evidence.get()
    url = f"/kinerja/skp/{skp.pk}/bukti/{ev.pk}/"
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 bukti"
    page = client.get(f"/kinerja/skp/{skp.pk}/", {"periode": rated.q1.pk}).content.decode()
    assert f'href="{url}"' in page and "laporan" in page  # listed on the plan under its RHK
    bad = client.post(
        f"/kinerja/skp/{skp.pk}/aksi/evidence/?periode={rated.q1.pk}",
        {"rhk": rhk.pk, "file": SimpleUploadedFile("skrip.exe", b"MZ", content_type="application/octet-stream")},
        follow=True,
    )
    assert "Jenis berkas tidak diterima" in bad.content.decode() and rhk.evidence.count() == 1
    login(rated.u_staff[1])
    assert client.get(url).status_code == 404


def test_360_page_lets_peers_and_subordinates_rate_without_seeing_the_plan(client, login, rated, pinned_clock):
    from performance.models import PeerInput
    from performance.tests.conftest import DAY

    # The plans are of DAY's year and 360° input is for this year's plans: the page is opened on DAY.
    pinned_clock.move_to(datetime.datetime.combine(DAY, datetime.time(10), tzinfo=ZoneInfo("Asia/Jakarta")))

    target = rated.skps[0]
    login(rated.u_staff[1])
    html = client.get("/kinerja/360/").content.decode()
    assert "Staf Lampung" in html and "Kabid Lampung" in html  # a peer and the direct supervisor
    assert "Staf 1</h2>" not in html  # not oneself
    q = target.perf_year.periods.order_by("number")
    client.post("/kinerja/360/", {"skp": target.pk, "akuntabel": "above", "loyal": "meets"})
    assert PeerInput.objects.filter(skp=target, rater=rated.staff[1]).count() == 2
    assert PeerInput.objects.get(skp=target, rater=rated.staff[1], behaviour="akuntabel").period in q
    again = client.get("/kinerja/360/").content.decode()
    assert "sudah tercatat" in again
    assert client.get(f"/kinerja/skp/{target.pk}/").status_code == 404  # rating a peer is not reading his plan
    assert client.post("/kinerja/360/", {"skp": rated.head_skp.pk, "loyal": "meets"}).status_code == 404


def test_dashboard_and_plan_page_queries_do_not_grow_with_the_rows(client, login, rated):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from performance.services import plan
    from performance.services.setup import org_rating_set
    from performance.tests.conftest import DAY
    from tests.factories import make_employee, make_user

    org_rating_set(actor=rated.actor(rated.u_head), unit=rated.div, period=rated.q1, predikat="baik")
    rate_all(rated, [("meets", "meets")] * 5)
    login(rated.u_admin)
    dash = f"/kinerja/instansi/{rated.agency.pk}/?tahun={rated.year.pk}&periode={rated.q1.pk}"
    client.get(dash)
    with CaptureQueriesContext(connection) as small:
        client.get(dash)
    kabid_rhk = rated.kabid_skp.rhks.first()
    staff_pos = rated.world["lpg"]["staff"]
    staff_pos.capacity = 20
    staff_pos.save()
    for i in range(8):
        e = make_employee(rated.agency, staff_pos, name=f"Tambahan {i}")
        u = make_user(f"tambahan.{i}", employee=e)
        skp = plan.skp_create(actor=rated.actor(u), employee=e, perf_year=rated.year)
        plan.rhk_add(actor=rated.actor(u), skp=skp, text="RHK tambahan", indicators=IND, supports=kabid_rhk, today=DAY)
    with CaptureQueriesContext(connection) as large:
        client.get(dash)
    assert len(large.captured_queries) == len(small.captured_queries)
    # the plan page: a fixed number of queries whatever the number of RHK
    skp = rated.skps[0]
    login(rated.u_staff[0])
    client.get(f"/kinerja/skp/{skp.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/kinerja/skp/{skp.pk}/")
    for n in range(3):
        plan.rhk_add(actor=rated.actor(rated.u_staff[0]), skp=skp, text=f"RHK lain {n}", indicators=IND, supports=kabid_rhk, today=DAY)
    with CaptureQueriesContext(connection) as four:
        client.get(f"/kinerja/skp/{skp.pk}/")
    assert len(four.captured_queries) == len(one.captured_queries)
