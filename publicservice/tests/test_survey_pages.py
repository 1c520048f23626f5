"""Satisfaction survey pages: the public questionnaire on a phone (one answer per device per day, rate
limits, incomplete answers, closed and unknown links), the results against rules.ikm with the grade
boundary and the legacy weighting, the report and poster PDFs, QR codes, action plans from start to
finish, scope (another agency answers 404), and the public voice on the performance screens."""

import datetime
import io
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.access import build_actor
from core.models import AuditRecord
from publicservice import antispam, feedback, rules
from publicservice.models import ActionPlan, Complaint, ServiceUnit, SurveyCampaign, SurveyPoint, SurveyResponse

pytestmark = pytest.mark.django_db

BASE = "/layanan/survei/"
PROFILE = {"age_band": "30-39", "gender": "F", "education": "s1", "occupation": "swasta"}


@pytest.fixture(autouse=True)
def quick_challenge(settings):
    """The challenge as the browser solves it, but cheap: two bits of work and no minimum wait."""
    settings.PUBLICSERVICE_ANTISPAM = {"POW_BITS": 2, "MIN_SECONDS": 0, "PER_ADDRESS": (20, 3600)}


@pytest.fixture
def campaign(ps):
    today = timezone.localdate()
    return SurveyCampaign.objects.create(
        unit=ps["unit"],
        name="Semester II 2026",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        population=1200,
    )


def answers(*values):
    """One questionnaire: nine answers in unsur order (a single value repeats)."""
    values = values * 9 if len(values) == 1 else values
    return dict(zip(rules.CODES, values))


def add_responses(campaign, rows, point=None):
    today = timezone.localdate()
    for i, row in enumerate(rows):
        SurveyResponse.objects.create(
            campaign=campaign,
            point=point,
            **{c.lower(): v for c, v in row.items()},
            **PROFILE,
            device=f"d{campaign.pk}-{point.pk if point else 0}-{i}",
            day=today,
        )


def form_data(page_html: str, values: dict | None = None, **profile) -> dict:
    token = re.search(r'name="ps_token" value="([^"]+)"', page_html).group(1)
    data = {"ps_token": token, "ps_nonce": antispam.solve(token, 2), "website": ""}
    data.update({c.lower(): str(v) for c, v in (values or answers(3)).items()})
    data.update({**PROFILE, **profile})
    return data


def submit(client, code, values=None, extra=None, **kw):
    page = client.get(f"{BASE}s/{code}/", **kw)
    assert page.status_code == 200
    return client.post(f"{BASE}s/{code}/", form_data(page.content.decode(), values) | (extra or {}), **kw)


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def comma(value) -> str:
    return str(value).replace(".", ",")


# --- The public questionnaire -------------------------------------------------------------------------


class TestPublicForm:
    def test_the_questionnaire_has_the_nine_unsur_and_the_four_point_labels(self, client, campaign):
        resp = client.get(f"{BASE}s/{campaign.code}/")
        html = resp.content.decode()
        assert resp.status_code == 200 and "Puskesmas Kedaton" in html
        for code, name in rules.UNSUR:
            assert f'data-testid="question-{code}"' in html and name in html
        for label in ("Sangat mahal", "Cukup mahal", "Murah", "Gratis", "Sangat sesuai", "Tidak sesuai"):
            assert label in html
        assert html.count('type="radio" class="btn-check" name="u4"') == 4
        assert resp.cookies[antispam.DEVICE_COOKIE]["max-age"] >= 180 * 24 * 3600
        assert resp["X-Robots-Tag"] == "noindex, nofollow"

    def test_a_complete_answer_is_stored_and_thanked(self, client, campaign):
        resp = submit(client, campaign.code, answers(4, 3, 3, 4, 3, 2, 4, 3, 3), {"suggestion": "Ruang tunggu sempit"})
        assert resp.status_code == 302 and resp["Location"] == f"{BASE}s/{campaign.code}/terima-kasih/"
        r = SurveyResponse.objects.get()
        assert (r.u1, r.u4, r.u6, r.suggestion, r.point) == (4, 4, 2, "Ruang tunggu sempit", None)
        assert (r.age_band, r.gender, r.education, r.occupation) == ("30-39", "F", "s1", "swasta")
        device = client.cookies[antispam.DEVICE_COOKIE].value
        assert device not in r.device and len(r.device) == 64
        thanks = client.get(resp["Location"])
        assert thanks.status_code == 200 and "Terima kasih" in thanks.content.decode()

    def test_a_desk_link_records_its_desk(self, client, campaign):
        desk = SurveyPoint.objects.create(campaign=campaign, label="Loket 2")
        html = client.get(f"{BASE}s/{desk.code}/").content.decode()
        assert "Loket 2" in html
        assert submit(client, desk.code).status_code == 302
        assert SurveyResponse.objects.get().point == desk

    def test_the_same_device_is_refused_a_second_time_the_same_day(self, client, campaign):
        assert submit(client, campaign.code).status_code == 302
        again = submit(client, campaign.code, answers(1))
        assert again.status_code == 409
        assert "sudah mengisi survei hari ini" in again.content.decode()
        assert SurveyResponse.objects.count() == 1 and SurveyResponse.objects.get().u1 == 3

    def test_the_same_device_may_answer_again_the_next_day(self, client, campaign):
        assert submit(client, campaign.code).status_code == 302
        SurveyResponse.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))  # it was yesterday
        assert submit(client, campaign.code).status_code == 302
        assert SurveyResponse.objects.count() == 2

    def test_another_device_the_same_day_is_welcome(self, client, campaign):
        assert submit(client, campaign.code).status_code == 302
        assert submit(Client(), campaign.code).status_code == 302
        assert SurveyResponse.objects.count() == 2

    def test_too_many_posts_from_one_address_get_429(self, settings, campaign):
        settings.PUBLICSERVICE_ANTISPAM = {"POW_BITS": 2, "MIN_SECONDS": 0, "PER_ADDRESS": (2, 3600)}
        for _i in range(2):
            assert submit(Client(), campaign.code, REMOTE_ADDR="10.1.1.1").status_code == 302
        limited = submit(Client(), campaign.code, REMOTE_ADDR="10.1.1.1")
        assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
        assert "Terlalu banyak kiriman" in limited.content.decode()
        assert SurveyResponse.objects.count() == 2
        assert submit(Client(), campaign.code, REMOTE_ADDR="10.2.2.2").status_code == 302

    def test_incomplete_answers_are_refused_and_what_was_chosen_stays(self, client, campaign):
        page = client.get(f"{BASE}s/{campaign.code}/").content.decode()
        data = form_data(page)
        del data["u3"], data["u9"], data["gender"]
        data["u1"] = "4"
        resp = client.post(f"{BASE}s/{campaign.code}/", data)
        html = resp.content.decode()
        assert resp.status_code == 400 and not SurveyResponse.objects.exists()
        assert html.count("Pilih salah satu jawaban.") == 2 and "Pilih salah satu." in html
        assert re.search(r'name="u1" id="id_u1_3" value="4" autocomplete="off" checked', html)

    def test_an_answer_outside_the_scale_is_refused(self, client, campaign):
        page = client.get(f"{BASE}s/{campaign.code}/").content.decode()
        data = form_data(page)
        data["u4"] = "5"
        assert client.post(f"{BASE}s/{campaign.code}/", data).status_code == 400
        assert not SurveyResponse.objects.exists()

    def test_a_post_without_the_challenge_is_refused(self, client, campaign):
        client.get(f"{BASE}s/{campaign.code}/")
        data = {c.lower(): "3" for c in rules.CODES} | PROFILE
        resp = client.post(f"{BASE}s/{campaign.code}/", data)
        assert resp.status_code == 400 and "Formulir tidak sah" in resp.content.decode()
        assert not SurveyResponse.objects.exists()

    def test_an_unknown_code_says_so(self, client, db):
        resp = client.get(f"{BASE}s/TIDAKADA/")
        assert resp.status_code == 404 and "Survei tidak ditemukan." in resp.content.decode()

    def test_a_closed_period_says_so_with_its_dates(self, client, campaign):
        campaign.starts_on = campaign.ends_on = datetime.date(2025, 6, 30)
        campaign.save()
        resp = client.get(f"{BASE}s/{campaign.code}/")
        html = resp.content.decode()
        assert resp.status_code == 410 and "Survei ini tidak sedang dibuka." in html and "30 Juni 2025" in html
        page_post = client.post(f"{BASE}s/{campaign.code}/", {"u1": "4"})
        assert page_post.status_code == 410 and not SurveyResponse.objects.exists()


# --- Results ------------------------------------------------------------------------------------------------

# Twelve questionnaires with every unsur different.
ROWS = [
    answers(4, 3, 3, 2, 4, 4, 4, 3, 3),
    answers(3, 3, 2, 1, 4, 3, 4, 3, 2),
    answers(4, 4, 3, 2, 3, 4, 4, 2, 3),
    answers(3, 2, 2, 2, 4, 3, 3, 3, 2),
    answers(4, 3, 3, 1, 4, 4, 4, 4, 3),
    answers(3, 3, 3, 2, 3, 3, 4, 3, 2),
    answers(4, 4, 2, 2, 4, 4, 3, 3, 3),
    answers(3, 3, 3, 1, 4, 3, 4, 2, 2),
    answers(4, 3, 3, 2, 3, 4, 4, 3, 3),
    answers(4, 4, 2, 2, 4, 3, 4, 3, 2),
    answers(3, 3, 3, 2, 4, 4, 3, 3, 3),
    answers(4, 3, 3, 2, 4, 4, 4, 3, 2),
]


class TestResults:
    def test_the_sums_give_exactly_what_rules_ikm_gives(self, campaign):
        add_responses(campaign, ROWS)
        for weighting in (rules.EXACT, rules.LEGACY):
            campaign.weighting = weighting
            ours = feedback.campaign_summary(campaign).result
            theirs = rules.ikm(ROWS, weighting)
            assert (ours.nrr, ours.ikm, ours.converted, ours.grade) == (
                theirs.nrr,
                theirs.ikm,
                theirs.converted,
                theirs.grade,
            )

    def test_the_page_shows_the_numbers_of_the_rules(self, client, login, ps, campaign):
        add_responses(campaign, ROWS)
        expected = rules.ikm(ROWS)
        login(ps["officer"].user)
        html = client.get(f"{BASE}periode/{campaign.pk}/").content.decode()
        target = rules.krejcie_morgan(1200)
        assert target == 291
        assert 'data-testid="respondents">12<' in html and f'data-testid="target">{target}<' in html
        assert f'style="width: {12 * 100 // target}%"' in html
        assert f'data-testid="converted">{comma(expected.converted)}<' in html
        assert f'data-testid="grade-letter">{expected.grade[0]}<' in html
        assert f'data-testid="grade-label">{expected.grade[1]}<' in html
        u4 = expected.nrr["U4"]
        assert u4 == Fraction(21, 12)
        row = re.search(r'data-testid="unsur-U4">(.*?)</tr>', html, re.S).group(1)
        assert "1,750" in row and "terlemah" in row and ">D<" in row
        weakest = feedback.weak_unsur(expected)
        assert weakest[0] == "U4" and "U7" not in weakest
        rows = re.findall(r'data-testid="unsur-(U\d)">(.*?)</tr>', html, re.S)
        assert [code for code, body in rows if 'data-testid="weak-flag"' in body] == sorted(weakest)
        assert '"labels": ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]' in html  # the chart's data

    @pytest.mark.parametrize(("total", "letter", "label"), [(117, "C", "Kurang Baik"), (116, "D", "Tidak Baik")])
    def test_the_grade_boundary_at_65(self, client, login, ps, campaign, total, letter, label):
        # Five respondents whose answers add up to 117 give 25 × 117 / 45 = 65.00 exactly: C, not D.
        rows = [answers(3, 3, 3, 3, 3, 3, 3, 3, 3) for _i in range(3)] + [answers(2), answers(2)]
        assert sum(sum(r.values()) for r in rows) == 117
        if total == 116:
            rows[-1] = answers(2, 2, 2, 2, 2, 2, 2, 2, 1)
        add_responses(campaign, rows)
        login(ps["officer"].user)
        html = client.get(f"{BASE}periode/{campaign.pk}/").content.decode()
        converted = rules.ikm(rows).converted
        assert converted == Decimal("65.00" if total == 117 else "64.44")
        assert f'data-testid="converted">{comma(converted)}<' in html
        assert f'data-testid="grade-letter">{letter}<' in html and f'data-testid="grade-label">{label}<' in html

    def test_the_legacy_weighting_shows_both_values(self, client, login, ps, campaign):
        campaign.weighting = SurveyCampaign.Weighting.LEGACY
        campaign.save()
        add_responses(campaign, ROWS)
        login(ps["officer"].user)
        html = client.get(f"{BASE}periode/{campaign.pk}/").content.decode()
        legacy, exact = rules.ikm(ROWS, rules.LEGACY), rules.ikm(ROWS)
        assert legacy.converted < exact.converted
        assert f'data-testid="converted">{comma(legacy.converted)}<' in html
        other = re.search(r'data-testid="other-weighting">(.*?)</div>', html, re.S).group(1)
        assert comma(exact.converted) in other and "1/9" in other

    def test_an_exact_period_shows_one_value(self, client, login, ps, campaign):
        add_responses(campaign, ROWS)
        login(ps["officer"].user)
        assert 'data-testid="other-weighting"' not in client.get(f"{BASE}periode/{campaign.pk}/").content.decode()

    def test_per_desk_results_and_the_trend_across_periods(self, client, login, ps, campaign):
        desk = SurveyPoint.objects.create(campaign=campaign, label="Loket Farmasi")
        add_responses(campaign, ROWS[:4], point=desk)
        add_responses(campaign, ROWS[4:])
        earlier = SurveyCampaign.objects.create(
            unit=ps["unit"],
            name="Semester I 2026",
            starts_on=campaign.starts_on - datetime.timedelta(days=200),
            ends_on=campaign.starts_on - datetime.timedelta(days=100),
            population=1000,
        )
        add_responses(earlier, [answers(2)] * 3)
        login(ps["officer"].user)
        html = client.get(f"{BASE}periode/{campaign.pk}/").content.decode()
        assert "Loket Farmasi" in html and comma(rules.ikm(ROWS[:4]).converted) in html
        assert '"labels": ["Semester I 2026", "Semester II 2026"]' in html
        assert "[50.0, " + str(float(rules.ikm(ROWS).converted)) in html
        desk_page = client.get(f"{BASE}periode/{campaign.pk}/", {"loket": desk.pk}).content.decode()
        assert 'data-testid="respondents">4<' in desk_page and 'data-testid="point-label">Loket Farmasi<' in desk_page
        other = SurveyCampaign.objects.create(
            unit=ps["other"], name="X", starts_on=campaign.starts_on, ends_on=campaign.ends_on, population=5
        )
        stranger = SurveyPoint.objects.create(campaign=other, label="Asing")
        assert client.get(f"{BASE}periode/{campaign.pk}/", {"loket": stranger.pk}).status_code == 404

    def test_the_results_page_runs_a_fixed_number_of_queries(self, client, login, ps, campaign):
        login(ps["officer"].user)
        url = f"{BASE}periode/{campaign.pk}/"
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for i in range(4):
            p = SurveyPoint.objects.create(campaign=campaign, label=f"Loket {i}")
            add_responses(campaign, ROWS[:2], point=p)
            SurveyCampaign.objects.create(
                unit=ps["unit"],
                name=f"Lama {i}",
                starts_on=datetime.date(2020 + i, 1, 1),
                ends_on=datetime.date(2020 + i, 6, 30),
                population=100,
            )
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_the_export_has_every_answer_and_no_device(self, client, login, ps, campaign):
        add_responses(campaign, ROWS[:3])
        login(ps["officer"].user)
        resp = client.get(f"{BASE}periode/{campaign.pk}/jawaban.xlsx")
        assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = list(load_workbook(io.BytesIO(resp.content)).active.values)
        assert rows[0][:5] == (
            "No",
            "Tanggal",
            "Loket / petugas",
            "U1 Persyaratan",
            "U2 Sistem, Mekanisme, dan Prosedur",
        )
        assert len(rows) == 4 and rows[1][3:12] == tuple(ROWS[0].values())
        devices = set(SurveyResponse.objects.values_list("device", flat=True))
        assert not any(cell in devices for row in rows for cell in row)


# --- Documents and QR codes ---------------------------------------------------------------------------------


class TestDocuments:
    def test_the_report_is_a_pdf_with_the_grade_and_the_tables(self, client, login, ps, campaign):
        add_responses(campaign, ROWS)
        ActionPlan.objects.create(
            unit=ps["unit"],
            campaign=campaign,
            unsur="U4",
            title="Tarif di papan",
            owner=ps["staff"].user.employee,
            due=timezone.localdate(),
        )
        login(ps["officer"].user)
        resp = client.get(f"{BASE}periode/{campaign.pk}/laporan.pdf")
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
        assert resp.content.startswith(b"%PDF-")
        text = pdf_text(resp.content)
        expected = rules.ikm(ROWS)
        assert "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT" in text and "PUSKESMAS KEDATON" in text
        assert f"Mutu pelayanan {expected.grade[0]}" in text and expected.grade[1] in text
        assert comma(expected.converted) in text and "Biaya/Tarif (terlemah)" in text
        assert "Tarif di papan" in text and "target 291 responden" in text

    def test_the_report_of_an_empty_period_still_renders(self, client, login, ps, campaign):
        login(ps["officer"].user)
        resp = client.get(f"{BASE}periode/{campaign.pk}/laporan.pdf")
        assert resp.status_code == 200 and "terkumpul 0" in pdf_text(resp.content)

    def test_the_poster_is_one_page_with_the_big_grade(self, client, login, ps, campaign):
        add_responses(campaign, ROWS)
        login(ps["officer"].user)
        resp = client.get(f"{BASE}periode/{campaign.pk}/poster.pdf")
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf" and len(resp.content) > 1000
        reader = PdfReader(io.BytesIO(resp.content))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        expected = rules.ikm(ROWS)
        assert "INDEKS KEPUASAN MASYARAKAT" in text and "Puskesmas Kedaton" in text and "Semester II 2026" in text
        assert re.search(rf"(^|\n){expected.grade[0]}\s*{expected.grade[1].upper()}(\n|$)", text)
        assert comma(expected.converted) in text and "Terima kasih" in text

    def test_qr_codes_png_svg_per_desk_and_the_sheet(self, client, login, ps, campaign):
        desk = SurveyPoint.objects.create(campaign=campaign, label="Loket 1")
        login(ps["officer"].user)
        png = client.get(f"{BASE}periode/{campaign.pk}/qr.png")
        assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG\r\n\x1a\n")
        svg = client.get(f"{BASE}periode/{campaign.pk}/qr.svg")
        assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
        desk_png = client.get(f"{BASE}periode/{campaign.pk}/qr.png", {"loket": desk.pk})
        assert desk_png.content.startswith(b"\x89PNG") and desk_png.content != png.content
        assert client.get(f"{BASE}periode/{campaign.pk}/qr.gif").status_code == 404
        sheet = client.get(f"{BASE}periode/{campaign.pk}/cetak-qr/").content.decode()
        assert sheet.count("<svg") == 2 and "Loket 1" in sheet
        assert f"/layanan/survei/s/{campaign.code}/" in sheet and f"/layanan/survei/s/{desk.code}/" in sheet


# --- Setting up units, periods and desks ---------------------------------------------------------------------


class TestSetup:
    def test_an_officer_creates_a_unit_a_period_and_a_desk(self, client, login, ps, world):
        login(ps["officer"].user)
        resp = client.post(
            f"{BASE}unit/baru/",
            {
                "agency": world["lpg"]["agency"].pk,
                "name": "Kantor Camat Kedaton",
                "org_unit": world["lpg"]["div"].pk,
                "services": "KTP, surat keterangan",
                "population": "800",
                "active": "on",
            },
        )
        unit = ServiceUnit.objects.get(name="Kantor Camat Kedaton")
        assert resp["Location"] == f"{BASE}unit/{unit.pk}/" and unit.population == 800
        resp = client.post(
            f"{BASE}unit/{unit.pk}/periode-baru/",
            {
                "name": "Triwulan IV 2026",
                "starts_on": "2026-10-01",
                "ends_on": "2026-12-31",
                "population": "800",
                "weighting": "legacy",
            },
        )
        c = SurveyCampaign.objects.get(unit=unit)
        assert resp["Location"] == f"{BASE}periode/{c.pk}/" and c.weighting == "legacy"
        clash = client.post(
            f"{BASE}unit/{unit.pk}/periode-baru/",
            {
                "name": "Bertumpuk",
                "starts_on": "2026-12-01",
                "ends_on": "2027-01-31",
                "population": "800",
                "weighting": "exact",
            },
        )
        assert clash.status_code == 200 and "bertumpang tindih" in clash.content.decode()
        client.post(f"{BASE}periode/{c.pk}/loket/", {"label": "Loket KTP", "officer_nip": world["lpg"]["e_staff"].nip})
        point = SurveyPoint.objects.get(campaign=c)
        assert point.officer == world["lpg"]["e_staff"]
        twice = client.post(f"{BASE}periode/{c.pk}/loket/", {"label": "loket ktp"}, follow=True)
        assert "sudah punya tautan" in twice.content.decode()
        client.post(
            f"{BASE}periode/{c.pk}/loket/", {"label": "Loket Asing", "officer_nip": world["gtlo"]["e_staff"].nip}
        )
        assert SurveyPoint.objects.filter(campaign=c).count() == 1
        actions = set(AuditRecord.objects.filter(agency_id=unit.agency_id).values_list("action", flat=True))
        assert {
            "publicservice.service_unit_create",
            "publicservice.campaign_create",
            "publicservice.survey_point_add",
        } <= actions

    def test_an_org_unit_of_another_agency_is_refused(self, client, login, ps, world):
        login(ps["officer"].user)
        resp = client.post(
            f"{BASE}unit/{ps['unit'].pk}/ubah/",
            {"name": "Puskesmas Kedaton", "org_unit": world["gtlo"]["div"].pk, "population": "10"},
        )
        assert resp.status_code == 200
        ps["unit"].refresh_from_db()
        assert ps["unit"].org_unit == world["lpg"]["div"]

    def test_narrowing_a_period_past_its_answers_is_refused(self, client, login, ps, campaign):
        add_responses(campaign, ROWS[:1])
        login(ps["officer"].user)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        resp = client.post(
            f"{BASE}periode/{campaign.pk}/ubah/",
            {
                "name": campaign.name,
                "starts_on": tomorrow.isoformat(),
                "ends_on": campaign.ends_on.isoformat(),
                "population": "1200",
                "weighting": "exact",
            },
        )
        assert resp.status_code == 200 and "tidak dapat dipersempit" in resp.content.decode()


# --- Action plans ---------------------------------------------------------------------------------------------


class TestActionPlans:
    def plan_from_weak_unsur(self, client, ps, campaign, **over):
        data = {
            "periode": campaign.pk,
            "unsur": "U4",
            "title": "Pasang papan tarif resmi di setiap loket",
            "owner_nip": ps["staff"].user.employee.nip,
            "due": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        }
        data.update(over)
        return client.post(f"{BASE}rtl/baru/", data)

    def test_from_weak_unsur_to_done(self, client, login, ps, world, campaign):
        add_responses(campaign, ROWS)
        login(ps["officer"].user)
        form = client.get(f"{BASE}rtl/baru/", {"periode": campaign.pk, "unsur": "U4"}).content.decode()
        assert "U4 Biaya/Tarif — terlemah" in form and world["lpg"]["e_staff"].nip in form
        resp = self.plan_from_weak_unsur(client, ps, campaign)
        plan = ActionPlan.objects.get()
        assert resp["Location"] == f"{BASE}rtl/{plan.pk}/"
        assert (plan.unsur, plan.campaign, plan.owner, plan.status) == (
            "U4",
            campaign,
            world["lpg"]["e_staff"],
            "planned",
        )
        # The owner (a staff member without any survey role) reports progress and closes it.
        login(world["employee_lpg"])
        empty = client.post(f"{BASE}rtl/{plan.pk}/progress/", {"note": "ok"}, follow=True)
        assert "Tuliskan perkembangannya." in empty.content.decode()
        assert ActionPlan.objects.get().status == "planned"
        client.post(f"{BASE}rtl/{plan.pk}/progress/", {"note": "Papan tarif dipesan"})
        plan.refresh_from_db()
        assert (plan.status, plan.result) == ("in_progress", "Papan tarif dipesan")
        client.post(f"{BASE}rtl/{plan.pk}/done/", {"result": "Papan terpasang di 4 loket"})
        plan.refresh_from_db()
        assert (plan.status, plan.result, plan.done_at) == ("done", "Papan terpasang di 4 loket", timezone.localdate())
        again = client.post(f"{BASE}rtl/{plan.pk}/progress/", {"note": "Sekali lagi"}, follow=True)
        assert "sudah selesai" in again.content.decode()
        history = client.get(f"{BASE}rtl/{plan.pk}/").content.decode()
        assert "action_plan_create" in history and "action_plan_done" in history
        assert AuditRecord.objects.filter(object_type="publicservice.actionplan", object_id=str(plan.pk)).count() == 3

    def test_from_a_recurring_complaint_theme(self, client, login, ps, world):
        for title in ("Antrean obat lama", "Antrean pendaftaran panjang", "Parkir sempit"):
            Complaint.objects.create(
                kind="complaint",
                unit=ps["unit"],
                agency=ps["unit"].agency,
                title=title,
                description="x" * 30,
                verify_due=timezone.now(),
                secret="x",
            )
        login(ps["officer"].user)
        unit_page = client.get(f"{BASE}unit/{ps['unit'].pk}/").content.decode()
        assert re.search(r"<strong>antrean</strong> <span[^>]*>2</span>", unit_page)
        assert "<strong>parkir</strong>" not in unit_page  # once is not a pattern
        resp = client.post(
            f"{BASE}rtl/baru/",
            {
                "unit": ps["unit"].pk,
                "theme": "antrean",
                "title": "Sistem nomor antrean daring",
                "owner_nip": world["lpg"]["e_kabid"].nip,
                "due": (timezone.localdate() + datetime.timedelta(days=120)).isoformat(),  # ahead, whatever today is
            },
        )
        plan = ActionPlan.objects.get()
        assert resp.status_code == 302 and (plan.theme, plan.unsur, plan.campaign) == ("antrean", "", None)

    @pytest.mark.parametrize(
        ("over", "message"),
        [
            ({"unsur": "", "theme": ""}, "Pilih unsur yang lemah"),
            ({"due": "2020-01-01"}, "Tenggat tidak boleh di masa lalu"),
            ({"title": "x"}, "Tuliskan rencana tindak lanjutnya"),
            ({"owner_nip": "199001152015032999"}, "Tidak ada pegawai aktif instansi ini"),
        ],
    )
    def test_refusals(self, client, login, ps, campaign, over, message):
        login(ps["officer"].user)
        resp = self.plan_from_weak_unsur(client, ps, campaign, **over)
        assert resp.status_code == 200 and message in resp.content.decode()
        assert not ActionPlan.objects.exists()

    def test_an_owner_from_another_agency_is_refused_by_the_service(self, ps, world, campaign):
        from core.errors import DomainError
        from publicservice import action_plans as ap

        with pytest.raises(DomainError, match="pegawai instansi ini"):
            ap.action_plan_create(
                actor=ps["officer"],
                unit=ps["unit"],
                campaign=campaign,
                unsur="U4",
                title="Papan tarif",
                owner=world["gtlo"]["e_staff"],
                due=datetime.date(2027, 1, 1),
            )
        with pytest.raises(DomainError, match="dari sebuah periode"):
            ap.action_plan_create(
                actor=ps["officer"],
                unit=ps["unit"],
                unsur="U4",
                title="Papan tarif",
                owner=world["lpg"]["e_staff"],
                due=datetime.date(2027, 1, 1),
            )
        with pytest.raises(DomainError, match="Unsur tidak dikenal"):
            ap.action_plan_create(
                actor=ps["officer"],
                unit=ps["unit"],
                campaign=campaign,
                unsur="U10",
                title="Papan tarif",
                owner=world["lpg"]["e_staff"],
                due=datetime.date(2027, 1, 1),
            )
        assert not ActionPlan.objects.exists()

    def test_who_may_plan_and_follow_up(self, client, login, ps, world, campaign):
        # A staff member reads nothing of the surveys and may not plan.
        login(world["employee_lpg"])
        assert client.get(f"{BASE}rtl/baru/", {"periode": campaign.pk}).status_code == 404
        assert client.get(f"{BASE}periode/{campaign.pk}/").status_code == 404
        # An auditor reads the results but may not plan.
        login(world["auditor_lpg"])
        assert client.get(f"{BASE}periode/{campaign.pk}/").status_code == 200
        assert client.get(f"{BASE}rtl/baru/", {"periode": campaign.pk}).status_code == 403
        plan = ActionPlan.objects.create(
            unit=ps["unit"],
            campaign=campaign,
            unsur="U4",
            title="Papan tarif",
            owner=world["lpg"]["e_kabid"],
            due=timezone.localdate() - datetime.timedelta(days=1),
        )
        # Another staff member who does not own the plan does not see it; Gorontalo's officer neither.
        login(world["employee_lpg"])
        assert client.get(f"{BASE}rtl/{plan.pk}/").status_code == 404
        assert client.post(f"{BASE}rtl/{plan.pk}/done/", {"result": "Selesai dikerjakan"}).status_code == 404
        login(world["complaints_gtlo"])
        assert client.get(f"{BASE}rtl/{plan.pk}/").status_code == 404
        assert client.post(f"{BASE}rtl/{plan.pk}/done/", {"result": "Selesai dikerjakan"}).status_code == 404
        # The auditor sees it, overdue, but cannot close it.
        login(world["auditor_lpg"])
        page = client.get(f"{BASE}rtl/{plan.pk}/").content.decode()
        assert 'data-testid="overdue"' in page and 'data-testid="done-form"' not in page
        assert client.post(f"{BASE}rtl/{plan.pk}/done/", {"result": "Selesai dikerjakan"}).status_code == 403
        plan.refresh_from_db()
        assert plan.status == "planned"

    def test_the_list_marks_overdue_and_filters(
        self, client, login, ps, world, campaign, django_assert_max_num_queries
    ):
        today = timezone.localdate()
        for i in range(6):
            ActionPlan.objects.create(
                unit=ps["unit"],
                campaign=campaign,
                unsur="U4",
                title=f"Rencana {i}",
                owner=world["lpg"]["e_kabid"],
                due=today + datetime.timedelta(days=i - 2),
                status="done" if i == 5 else "planned",
            )
        login(ps["officer"].user)
        client.get(f"{BASE}rtl/")
        with django_assert_max_num_queries(10):
            html = client.get(f"{BASE}rtl/").content.decode()
        assert html.count('data-testid="overdue"') == 2 and "Rencana 5" not in html
        overdue = client.get(f"{BASE}rtl/", {"status": "overdue"}).content.decode()
        assert "Rencana 0" in overdue and "Rencana 2" not in overdue
        assert "Rencana 5" in client.get(f"{BASE}rtl/", {"status": "done"}).content.decode()
        login(world["complaints_gtlo"])
        assert "Rencana 0" not in client.get(f"{BASE}rtl/").content.decode()


# --- Access ----------------------------------------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize(
        "suffix",
        [
            "periode/{c}/",
            "periode/{c}/laporan.pdf",
            "periode/{c}/poster.pdf",
            "periode/{c}/qr.png",
            "periode/{c}/cetak-qr/",
            "periode/{c}/jawaban.xlsx",
            "periode/{c}/ubah/",
            "unit/{u}/",
            "unit/{u}/ubah/",
            "unit/{u}/periode-baru/",
            "instansi/{a}/",
        ],
    )
    def test_another_agency_gets_404(self, client, login, ps, world, campaign, suffix):
        url = BASE + suffix.format(c=campaign.pk, u=ps["unit"].pk, a=world["lpg"]["agency"].pk)
        login(world["complaints_gtlo"])
        assert client.get(url).status_code == 404
        login(world["admin_gtlo"])
        assert client.get(url).status_code == 404
        login(ps["officer"].user)
        assert client.get(url).status_code == 200

    def test_anonymous_is_sent_to_log_in(self, client, campaign):
        resp = client.get(f"{BASE}periode/{campaign.pk}/")
        assert resp.status_code == 302 and "/akun/" in resp["Location"]

    def test_the_unit_list_shows_only_own_agencies(self, client, login, ps, world, django_assert_max_num_queries):
        login(world["complaints_gtlo"])
        html = client.get(BASE).content.decode()
        assert "Dukcapil Gorontalo" in html and "Puskesmas Kedaton" not in html
        login(world["national"])
        html = client.get(BASE).content.decode()
        assert "Dukcapil Gorontalo" in html and "Puskesmas Kedaton" in html
        login(world["employee_lpg"])
        assert client.get(BASE).status_code == 404

    def test_the_unit_list_runs_a_fixed_number_of_queries(self, client, login, ps, world, campaign):
        add_responses(campaign, ROWS[:1])
        login(ps["officer"].user)
        client.get(BASE)
        with CaptureQueriesContext(connection) as few:
            client.get(BASE)
        for i in range(5):
            u = ServiceUnit.objects.create(agency=world["lpg"]["agency"], name=f"Unit {i}", population=100)
            c = SurveyCampaign.objects.create(
                unit=u, name="P", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 6, 30), population=90
            )
            add_responses(c, ROWS[:2])
        with CaptureQueriesContext(connection) as many:
            html = client.get(BASE).content.decode()
        assert html.count("Unit ") >= 5 and len(many.captured_queries) == len(few.captured_queries)


# --- The agency dashboard ---------------------------------------------------------------------------------------


class TestDashboard:
    def test_ikm_per_unit_and_open_plans(self, client, login, ps, world, campaign):
        add_responses(campaign, ROWS)
        ActionPlan.objects.create(
            unit=ps["unit"],
            campaign=campaign,
            unsur="U4",
            title="Papan tarif resmi",
            owner=world["lpg"]["e_kabid"],
            due=timezone.localdate() - datetime.timedelta(days=3),
        )
        ActionPlan.objects.create(
            unit=ps["unit"],
            campaign=campaign,
            unsur="U3",
            title="Sudah beres",
            owner=world["lpg"]["e_kabid"],
            due=timezone.localdate(),
            status="done",
        )
        login(world["admin_lpg"])
        html = client.get(f"{BASE}instansi/{world['lpg']['agency'].pk}/").content.decode()
        table = re.search(r'data-testid="ikm-by-unit">(.*?)</table>', html, re.S).group(1)
        assert "Puskesmas Kedaton" in table and comma(rules.ikm(ROWS).converted) in table
        assert "UPT Samsat Bandar Lampung" in table and "Dukcapil Gorontalo" not in table
        assert "Papan tarif resmi" in html and "Sudah beres" not in html
        assert 'data-testid="overdue-count">1 terlambat' in html

    def test_the_dashboard_runs_a_fixed_number_of_queries(self, client, login, ps, world, campaign):
        add_responses(campaign, ROWS[:1])
        login(world["admin_lpg"])
        url = f"{BASE}instansi/{world['lpg']['agency'].pk}/"
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for i in range(5):
            u = ServiceUnit.objects.create(agency=world["lpg"]["agency"], name=f"Unit {i}", population=100)
            c = SurveyCampaign.objects.create(
                unit=u, name="P", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 6, 30), population=90
            )
            add_responses(c, ROWS[:2])
            ActionPlan.objects.create(
                unit=u,
                campaign=c,
                unsur="U1",
                title=f"R{i}",
                owner=world["lpg"]["e_kabid"],
                due=datetime.date(2027, 1, 1),
            )
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many.captured_queries) == len(few.captured_queries)


# --- The loop back to performance ---------------------------------------------------------------------------------


@pytest.fixture
def staff_plan(world):
    from performance.services import plan
    from performance.services.setup import year_open

    admin = build_actor(world["admin_lpg"])
    year = year_open(actor=admin, agency=world["lpg"]["agency"], year=2026)
    skp = plan.skp_create(actor=admin, employee=world["lpg"]["e_staff"], perf_year=year)
    period = year.periods.order_by("number").first()
    return skp, period


def complaint(unit, period, *, on_time=None, rating=None, day_offset=1):
    """A report filed in the period: on time (responded before due), late, or still waiting."""
    at = timezone.make_aware(
        datetime.datetime.combine(period.start + datetime.timedelta(days=day_offset), datetime.time(10))
    )
    due = at + datetime.timedelta(days=14)
    c = Complaint.objects.create(
        kind="complaint",
        unit=unit,
        agency=unit.agency,
        title="Antrean lama",
        description="x" * 30,
        verify_due=at,
        response_due=due,
        responded_at=None
        if on_time is None
        else (due - datetime.timedelta(days=1) if on_time else due + datetime.timedelta(days=2)),
        status="responded" if on_time is not None else "forwarded",
        rating=rating,
        secret="x",
    )
    Complaint.objects.filter(pk=c.pk).update(created_at=at)
    return c


class TestPublicVoice:
    def test_complaints_and_ikm_of_the_units_below(self, ps, world, staff_plan):
        skp, period = staff_plan
        complaint(ps["unit"], period, on_time=True, rating=4)
        complaint(ps["unit"], period, on_time=True, rating=5)
        complaint(ps["unit"], period, on_time=False, rating=2)
        complaint(ps["unit"], period)  # still waiting, due long gone
        complaint(ps["unit"], period, on_time=True, day_offset=-40)  # before the period
        complaint(ps["gtlo"], period, on_time=True)  # another agency
        c = SurveyCampaign.objects.create(
            unit=ps["unit"], name="Triwulan I", starts_on=period.start, ends_on=period.end, population=300
        )
        add_responses(c, ROWS)
        voice = feedback.public_voice(world["lpg"]["div"], period.start, period.end)
        assert (voice["complaints"], voice["open"], voice["on_time_rate"]) == (4, 1, 50)
        assert (voice["rated"], voice["mean_rating"]) == (3, pytest.approx(3.7))
        [survey] = voice["surveys"]
        expected = rules.ikm(ROWS)
        assert (survey["unit"], survey["ikm"], survey["grade"]) == (
            "Puskesmas Kedaton",
            expected.converted,
            expected.grade[0],
        )
        assert survey["weakest"][0] == "Biaya/Tarif"
        # The BKD (above the Bidang) sees the Bidang's puskesmas and its own Samsat; a unit with none, nothing.
        assert feedback.public_voice(world["lpg"]["root"], period.start, period.end)["complaints"] == 4
        assert feedback.public_voice(world["gtlo"]["div"], period.start, period.end) is None

    def test_the_plan_screen_shows_it_with_bounded_queries(self, client, login, ps, world, staff_plan):
        skp, period = staff_plan
        login(world["employee_lpg"])
        url = f"/kinerja/skp/{skp.pk}/?periode={period.pk}"
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            html = client.get(url).content.decode()
        assert 'data-testid="public-voice"' in html and "0 pengaduan" in html
        for i in range(5):
            complaint(ps["unit"], period, on_time=bool(i % 2), rating=3)
            u = ServiceUnit.objects.create(agency=ps["unit"].agency, org_unit=world["lpg"]["div"], name=f"Loket {i}")
            c = SurveyCampaign.objects.create(
                unit=u, name=f"Triwulan I {i}", starts_on=period.start, ends_on=period.end, population=50
            )
            add_responses(c, ROWS[:3])
        with CaptureQueriesContext(connection) as many:
            html = client.get(url).content.decode()
        assert "5 pengaduan" in html and "Triwulan I 4" in html
        assert comma(rules.ikm(ROWS[:3]).converted) in html
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_a_plan_outside_any_service_unit_shows_nothing(self, client, login, world, staff_plan):
        skp, period = staff_plan
        login(world["employee_lpg"])
        html = client.get(f"/kinerja/skp/{skp.pk}/?periode={period.pk}").content.decode()
        assert 'data-testid="public-voice"' not in html
