# ruff: noqa: F811
"""The performance cycle through the real pages, in Debian's Chromium driven by Playwright:
plan → approve → feedback → evidence → unit predikat → rate → finalize → PDFs."""

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from performance.models import Assessment, CoachingPlan, Evidence, Feedback, Skp
from performance.services import plan, rating
from performance.services.setup import org_rating_set
from performance.tests.conftest import DAY
from performance.tests.test_services_plan import IND, approved_chain
from tests.test_browser import CHROMIUM, SHOTS, log_in, page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
    ),
]

RHK_TEXT = "Usulan mutasi pegawai terverifikasi lengkap"
EVIDENCE_URL = "https://drive.lampungprov.go.id/bkd/mutasi/rekap-triwulan-1.pdf"
REALIZATION = "38 usulan mutasi diverifikasi dalam triwulan I"
FEEDBACK = "Verifikasi berkas usulan dari kabupaten masih lambat; mohon dipercepat."
REPLY = "Siap, mulai minggu depan berkas diperiksa harian."


def staff_plans(team, kabid_rhk, indices):
    """Approved plans for the given staff, each supporting the Kabid's RHK (set up through the services)."""
    skps = {}
    for i in indices:
        u, e = team.u_staff[i], team.staff[i]
        skp = plan.skp_create(actor=team.actor(u), employee=e, perf_year=team.year)
        plan.rhk_add(actor=team.actor(u), skp=skp, text=f"RHK {e.name}", indicators=IND, supports=kabid_rhk, today=DAY)
        plan.skp_submit(actor=team.actor(u), skp=skp, today=DAY)
        plan.skp_approve(actor=team.actor(team.u_kabid), skp=skp, today=DAY)
        skps[i] = skp
    return skps


def rate(team, skp, period, result, behaviour):
    rating.assessment_save(
        actor=team.actor(team.u_kabid),
        skp=skp,
        period=period,
        result_rating=result,
        behaviour_rating=behaviour,
        today=DAY,
    )


def switch_to(page, user):
    """Log out through the navbar's “Keluar” button, then log in as someone else."""
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/akun/masuk/**")
    log_in(page, user)


def pdf_text(page, url):
    resp = page.request.get(url)
    assert resp.ok, f"{url}: HTTP {resp.status}"
    assert resp.headers["content-type"] == "application/pdf"
    body = resp.body()
    assert body.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_the_whole_cycle_through_the_pages(page, team):
    _h, _hr, _kabid_skp, kabid_rhk = approved_chain(team)
    q1 = team.periods[0]
    # The four other staff of the Bidang are planned and rated by the services: 3 Baik and 1 Sangat Baik.
    # With the Bidang rated “Baik”, the curve for 5 people allows at most 3 Baik and wants at least one
    # Butuh Perbaikan/Kurang: Staf Lampung's “Butuh Perbaikan” from the page completes it.
    others = staff_plans(team, kabid_rhk, range(1, 5))
    for i, (res, beh) in zip(range(1, 5), [("meets", "meets")] * 3 + [("above", "above")]):
        rate(team, others[i], q1, res, beh)
    staff = team.staff[0]
    SHOTS.mkdir(parents=True, exist_ok=True)

    # 1. The employee drafts the plan: one RHK supporting the Kabid's, one indicator, and submits it.
    log_in(page, team.u_staff[0])
    page.goto(page.base + "/kinerja/")
    page.get_by_test_id("skp-new").click()
    page.wait_for_url(re.compile(r"/kinerja/skp/\d+/$"))
    skp = Skp.objects.get(employee=staff, perf_year=team.year)
    plan_url = f"{page.base}/kinerja/skp/{skp.pk}/"
    expect(page.get_by_test_id("skp-status")).to_have_text("Draf")
    page.get_by_test_id("rhk-add").click()
    page.wait_for_url("**/rhk/tambah/")
    page.fill("#id_text", RHK_TEXT)
    page.select_option("#id_supports", label="Mutasi tepat waktu")
    page.select_option("#id_aspect_0", "quantity")
    page.fill("#id_ind_text_0", "Jumlah usulan mutasi terverifikasi")
    page.fill("#id_ind_target_0", "150 usulan")
    page.screenshot(path=str(SHOTS / "performance-rhk-form.png"), full_page=True)
    page.get_by_test_id("rhk-save").click()
    page.wait_for_url(plan_url)
    expect(page.get_by_role("alert").filter(has_text="Rencana hasil kerja disimpan")).to_be_visible()
    table = page.get_by_test_id("rhk-table")
    expect(table).to_contain_text(RHK_TEXT)
    expect(table).to_contain_text("Mutasi tepat waktu")
    expect(table).to_contain_text("150 usulan")
    page.get_by_test_id("skp-submit").click()
    expect(page.get_by_test_id("skp-status")).to_have_text("Diajukan")
    expect(page.get_by_test_id("rhk-add")).to_have_count(0)  # a submitted plan is not edited

    # 2. The Kabid finds it waiting on the team page, approves it and gives feedback on the RHK.
    switch_to(page, team.u_kabid)
    page.goto(page.base + "/kinerja/tim/")
    pending = page.get_by_test_id("pending")
    expect(pending).to_contain_text("1 SKP menunggu persetujuan Anda")
    expect(page.get_by_test_id("cascade")).to_contain_text(RHK_TEXT)
    page.screenshot(path=str(SHOTS / "performance-team.png"), full_page=True)
    pending.get_by_role("link", name=staff.name).click()
    page.wait_for_url(plan_url)
    page.get_by_test_id("skp-approve").click()
    expect(page.get_by_test_id("skp-status")).to_have_text("Disetujui")
    fb_form = page.locator("form[action*='/aksi/feedback/']")
    fb_form.locator("select[name=rhk]").select_option(label=RHK_TEXT)
    fb_form.locator("textarea[name=text]").fill(FEEDBACK)
    page.get_by_test_id("feedback-send").click()
    expect(page.get_by_role("alert").filter(has_text="Umpan balik dikirim")).to_be_visible()
    expect(page.get_by_test_id("feedback")).to_contain_text(FEEDBACK)

    # 3. The employee records the Q1 realization and a link as evidence, and answers the feedback.
    switch_to(page, team.u_staff[0])
    page.goto(plan_url)
    page.get_by_role("link", name="Triwulan I", exact=True).click()
    page.wait_for_url(re.compile(rf"\?periode={q1.pk}$"))
    box = page.locator("div.border.rounded").filter(has_text=RHK_TEXT)
    box.locator("summary", has_text="Catat realisasi").click()
    box.locator("form[action*='/aksi/realization/'] textarea[name=text]").fill(REALIZATION)
    box.locator("form[action*='/aksi/realization/'] button").click()
    expect(page.get_by_role("alert").filter(has_text="Realisasi disimpan")).to_be_visible()
    assert f"periode={q1.pk}" in page.url
    box.locator("summary", has_text="Catat realisasi").click()
    box.locator("form[action*='/aksi/evidence/'] input[name=url]").fill(EVIDENCE_URL)
    box.get_by_role("button", name="Tambah bukti").click()
    expect(page.get_by_role("alert").filter(has_text="Bukti ditambahkan")).to_be_visible()
    expect(box).to_contain_text(REALIZATION)
    assert Evidence.objects.filter(rhk__skp=skp, period=q1, url=EVIDENCE_URL).exists()
    # That the link is then listed on the page: test_evidence_added_is_listed_on_the_plan below.
    fb = page.get_by_test_id("feedback").filter(has_text=FEEDBACK)
    fb.locator("textarea[name=reply]").fill(REPLY)
    fb.get_by_role("button", name="Tanggapi").click()
    expect(page.get_by_role("alert").filter(has_text="Tanggapan disimpan")).to_be_visible()
    expect(page.get_by_test_id("feedback").filter(has_text=FEEDBACK)).to_contain_text(REPLY)
    assert Feedback.objects.get(skp=skp).reply == REPLY
    expect(page.get_by_test_id("rate-form")).to_have_count(0)  # nobody rates themselves

    # 4. The BKD head sets the Bidang's Q1 predikat on the unit round page.
    round_url = f"{page.base}/kinerja/unit/{team.div.pk}/periode/{q1.pk}/"
    switch_to(page, team.u_head)
    page.goto(round_url)
    page.select_option("select[name=predikat]", "baik")
    page.fill("input[name=note]", "Capaian IKU Bidang Mutasi triwulan I sesuai target")
    page.get_by_test_id("org-save").click()
    expect(page.get_by_role("alert").filter(has_text="Predikat kinerja organisasi ditetapkan")).to_be_visible()
    expect(page.get_by_test_id("org-predikat")).to_have_text("Baik")
    expect(page.locator("h2", has_text="Kurva distribusi")).to_contain_text("4 dari 5 dinilai")
    expect(page.get_by_test_id("finalize-form")).to_have_count(0)  # the head of the Bidang finalizes, not his superior

    # 5. The Kabid rates Q1 on the plan page, then finalizes the Bidang within the curve.
    switch_to(page, team.u_kabid)
    page.goto(f"{plan_url}?periode={q1.pk}")
    form = page.get_by_test_id("rate-form")
    form.locator("select[name=result_rating]").select_option(label="Di Bawah Ekspektasi")
    form.locator("select[name=behaviour_rating]").select_option(label="Sesuai Ekspektasi")
    page.get_by_test_id("rate-save").click()
    expect(page.get_by_role("alert").filter(has_text="Penilaian disimpan sebagai draf")).to_be_visible()
    expect(page.get_by_test_id("predikat")).to_have_text("Butuh Perbaikan")
    expect(page.get_by_test_id("assessment")).to_contain_text("Draf")
    page.get_by_test_id("rate-form").get_by_role("link", name="Ke penetapan unit").click()
    page.wait_for_url(round_url)
    lines = page.get_by_test_id("curve-lines")
    expect(lines).to_contain_text("Baik paling banyak 3 orang, diberikan 3")
    expect(lines).to_contain_text("Butuh Perbaikan + Kurang/Misconduct sedikitnya 1 orang, diberikan 1")
    expect(lines.locator(".bi-x-circle")).to_have_count(0)
    expect(page.locator("h2", has_text="Kurva distribusi")).to_contain_text("5 dari 5 dinilai")
    expect(page.locator("textarea[name=justification]")).to_have_count(0)  # within the curve: nothing to justify
    page.wait_for_function("window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    page.screenshot(path=str(SHOTS / "performance-unit-round-before.png"), full_page=True)
    page.get_by_test_id("finalize").click()
    expect(page.get_by_role("alert").filter(has_text="5 penilaian ditetapkan final")).to_be_visible()
    expect(page.get_by_text("Semua penilaian unit ini sudah final.")).to_be_visible()
    row = page.get_by_test_id("round-table").locator("tr").filter(has_text=staff.name)
    expect(row).to_contain_text("Butuh Perbaikan")
    expect(row).to_contain_text("final")
    expect(page.get_by_test_id("finalize-form")).to_have_count(0)
    page.wait_for_function("window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    page.screenshot(path=str(SHOTS / "performance-unit-round.png"), full_page=True)
    assert Assessment.objects.filter(period=q1, status="final").count() == 5
    assert CoachingPlan.objects.filter(employee=staff).count() == 1  # Butuh Perbaikan gets a coaching plan

    # The plan now shows the final rating, and no rate form.
    page.goto(f"{plan_url}?periode={q1.pk}")
    expect(page.get_by_test_id("predikat")).to_have_text("Butuh Perbaikan")
    expect(page.get_by_test_id("assessment")).to_contain_text("Final")
    expect(page.get_by_test_id("rate-form")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "performance-plan.png"), full_page=True)

    # 6. The evaluation and the plan as PDFs, with the session of the page.
    eval_link = page.get_by_test_id("evaluation-pdf")
    expect(eval_link).to_contain_text("Triwulan I")
    text = pdf_text(page, page.base + eval_link.get_attribute("href"))
    assert staff.name in text and staff.nip in text
    assert "Butuh Perbaikan" in text  # the employee's predikat
    assert "Baik (Bidang Mutasi)" in text  # the unit's predikat
    assert "Di Bawah Ekspektasi" in text and "Sesuai Ekspektasi" in text
    assert REALIZATION in text
    assert "Triwulan I" in text and "DRAF" not in text
    text = pdf_text(page, page.base + page.get_by_test_id("skp-pdf").get_attribute("href"))
    assert staff.name in text and staff.nip in text and team.kabid.name in text
    assert RHK_TEXT in text and "150 usulan" in text and "Mutasi tepat waktu" in text
    assert "DRAF" not in text


def test_finalizing_refuses_an_unrated_employee_then_asks_to_justify_a_deviation(page, team):
    _h, _hr, _kabid_skp, kabid_rhk = approved_chain(team)
    q1 = team.periods[0]
    skps = staff_plans(team, kabid_rhk, range(5))
    for i in range(1, 5):
        rate(team, skps[i], q1, "meets", "meets")  # four Baik: already one more than the curve allows
    org_rating_set(actor=team.actor(team.u_head), unit=team.div, period=q1, predikat="baik")
    round_url = f"{page.base}/kinerja/unit/{team.div.pk}/periode/{q1.pk}/"

    # Colleagues' ratings are not for the employee: the round of her unit is as if missing.
    log_in(page, team.u_staff[0])
    assert page.goto(round_url).status == 404
    page.goto(page.base + "/kinerja/")

    switch_to(page, team.u_kabid)
    page.goto(round_url)
    row = page.get_by_test_id("round-table").locator("tr").filter(has_text=team.staff[0].name)
    expect(row).to_contain_text("belum dinilai")
    expect(page.get_by_test_id("curve-lines")).to_contain_text("Baik paling banyak 3 orang, diberikan 4")
    page.get_by_test_id("finalize").click()
    expect(page.get_by_test_id("form-error")).to_contain_text(f"Belum dinilai: {team.staff[0].name}.")
    assert not Assessment.objects.filter(status="final").exists()

    # Rated “Baik” as well: five Baik, nobody below — finalizing needs a recorded justification.
    row.get_by_role("link", name="Buka").click()
    page.wait_for_url(re.compile(rf"/kinerja/skp/{skps[0].pk}/\?periode={q1.pk}$"))
    form = page.get_by_test_id("rate-form")
    form.locator("select[name=result_rating]").select_option("meets")
    form.locator("select[name=behaviour_rating]").select_option("meets")
    page.get_by_test_id("rate-save").click()
    expect(page.get_by_test_id("predikat")).to_have_text("Baik")
    page.goto(round_url)
    expect(page.get_by_test_id("curve-lines").locator(".bi-x-circle")).to_have_count(2)
    page.get_by_test_id("finalize").click()
    expect(page.get_by_test_id("finalize-form")).to_contain_text("tuliskan justifikasinya")  # under the field
    assert not Assessment.objects.filter(status="final").exists()
    page.screenshot(path=str(SHOTS / "performance-unit-round-deviation.png"), full_page=True)
    page.fill("textarea[name=justification]", "Seluruh staf memenuhi target triwulan I; unit kecil.")
    page.get_by_test_id("finalize").click()
    expect(page.get_by_role("alert").filter(has_text="5 penilaian ditetapkan final")).to_be_visible()
    assert set(Assessment.objects.filter(period=q1).values_list("curve_justification", flat=True)) == {
        "Seluruh staf memenuhi target triwulan I; unit kecil."
    }


def test_evidence_added_is_listed_on_the_plan(page, team):
    _h, _hr, _kabid_skp, kabid_rhk = approved_chain(team)
    q1 = team.periods[0]
    skp = staff_plans(team, kabid_rhk, [0])[0]
    log_in(page, team.u_staff[0])
    page.goto(f"{page.base}/kinerja/skp/{skp.pk}/?periode={q1.pk}")
    box = page.locator("div.border.rounded").filter(has_text=f"RHK {team.staff[0].name}")
    box.locator("summary", has_text="Catat realisasi").click()
    box.locator("form[action*='/aksi/evidence/'] input[name=url]").fill(EVIDENCE_URL)
    box.get_by_role("button", name="Tambah bukti").click()
    expect(page.get_by_role("alert").filter(has_text="Bukti ditambahkan")).to_be_visible()
    assert Evidence.objects.filter(rhk__skp=skp, period=q1, url=EVIDENCE_URL).exists()
    expect(box.get_by_role("link", name=EVIDENCE_URL)).to_be_visible(timeout=3000)
