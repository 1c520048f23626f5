"""A burst of public submissions (complaints and survey responses) with the spam defence on, next to a baseline.

    python bench/publicservice_burst.py [--submissions 400] [--clients 16] [--workers 4] [--bits 16]

Builds a fresh PostgreSQL database (default `pamong_bench_ps_burst`, dropped at the end), starts a private
redis-server on a free port (the cache holds the used tokens and the rate counters) and gunicorn on a free
port of 127.0.0.1 with bench/publicservice_settings.py, seeds one agency with service units and an open survey
campaign, then runs two bounded bursts of `--submissions` posts each (half complaints, half survey
responses) by `--clients` client processes:

- defended: each post is a new citizen (a new cookie jar, so a new device): GET the form, solve the proof of
  work in Python exactly as static/publicservice/pow.js does (SHA-256 of "token:nonce" with `--bits` leading
  zero bits), POST it with the CSRF token; the answer must be a redirect to the receipt or the thanks page;
- baseline: the same POST bodies to bench-only views (below) that parse the same forms and call the same
  services (the same rows: complaint, its event, the survey response) without CSRF, token, work or limits.

The app counts the per-address limit on REMOTE_ADDR only, so every client here is the same address: the
bench settings raise PER_ADDRESS (the per-device limit stays as configured: 5 an hour). `--repeat` makes
each device post that many times in a row, so the per-device limit answers 429 past the fifth.
Printed per mode: accepted posts per second, p50/p99 of the POST alone and of the whole visit (form, work,
post), answers by kind (ok, 429, other 4xx, 5xx, dropped), and the rows counted in the database afterwards.
Nothing here is a test: it prints figures.

This module is also the URLconf of the bench server (bench/publicservice_settings.py points at it).
"""

import argparse
import hashlib
import http.client
import multiprocessing
import os
import re
import secrets
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r'name="ps_token" value="([^"]+)"')
BITS = re.compile(r'data-pow-bits="(\d+)"')
CODES = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]  # publicservice.rules.CODES


# --- The bench-only baseline views (served by the bench server, never by the app) ------------------------------


def baseline_complaint(request):
    """The report form's POST without the spam defence: same form, same service, same rows."""
    from django.http import HttpResponse

    from publicservice import services
    from publicservice.forms_public import ComplaintForm

    form = ComplaintForm(request.POST, request.FILES)
    if not form.is_valid():
        return HttpResponse(status=400)
    services.complaint_submit(**form.submission())
    return HttpResponse(status=302, headers={"Location": "/layanan/lapor/tanda-terima/"})


def baseline_survey(request, code: str):
    """The questionnaire's POST without the spam defence: same form, same service, same row."""
    from django.http import HttpResponse

    from publicservice import services
    from publicservice.forms_survey import SurveyForm

    form = SurveyForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    services.survey_submit(
        code=code,
        answers=form.answers(),
        profile=form.profile_data(),
        device=secrets.token_urlsafe(18),
        suggestion=form.cleaned_data["suggestion"],
    )
    return HttpResponse(status=302, headers={"Location": f"/layanan/survei/s/{code}/terima-kasih/"})


def _exempt(view):
    from django.views.decorators.csrf import csrf_exempt

    return csrf_exempt(view)


def __getattr__(name):
    # The URL patterns are built when the bench server asks for them: importing config.urls needs settings,
    # which this script, run as a program, only has after django.setup().
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.urls import include, path

    patterns = [
        path("bench/lapor/", _exempt(baseline_complaint)),
        path("bench/survei/<str:code>/", _exempt(baseline_survey)),
        path("", include("config.urls")),
    ]
    globals()["urlpatterns"] = patterns
    return patterns


# --- The client side ---------------------------------------------------------------------------------------------


def solve(token: str, bits: int) -> str:
    """The nonce pow.js finds: the first n with SHA-256("token:n") starting with `bits` zero bits."""
    prefix = f"{token}:".encode()
    full, rest = divmod(bits, 8)
    mask = (0xFF << (8 - rest)) & 0xFF
    n = 0
    while True:
        d = hashlib.sha256(prefix + str(n).encode()).digest()
        if d[:full] == bytes(full) and (not rest or d[full] & mask == 0):
            return str(n)
        n += 1


def request(port, method, target, *, cookies=None, body=None, timeout=60):
    """One HTTP exchange; returns (status, text). Cookies are updated in place."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept": "text/html"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        body = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}{target}"
    try:
        conn.request(method, target, body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        if cookies is not None:
            for line in resp.msg.get_all("Set-Cookie") or []:
                name, _, rest = line.partition("=")
                cookies[name] = rest.split(";", 1)[0]
        return resp.status, text
    finally:
        conn.close()


def complaint_body(unit_code: str, i: int) -> dict:
    return {
        "kind": ("complaint", "information", "aspiration")[i % 3],
        "unit": unit_code,
        "title": f"Antrean obat lama {i}",
        "description": "Antrean di loket obat lebih dari tiga jam tanpa kejelasan dari petugas.",
        "location": "Loket obat",
        "confidentiality": ("public", "anonymous", "confidential")[i % 3],
        "reporter_name": f"Warga {i}",
        "reporter_contact": f"warga{i}@example.org",
    }


def survey_body(i: int) -> dict:
    body = {c.lower(): str(1 + (i + k) % 4) for k, c in enumerate(CODES)}
    body |= {"age_band": "30-39", "gender": "MF"[i % 2], "education": "sma", "occupation": "swasta"}
    body["suggestion"] = "Tambah kursi di ruang tunggu"
    return body


def client(job):
    """One client process: its share of the posts, in turn complaints and survey responses."""
    port, mode, indices, units, survey_code, repeat, deadline = job
    out = {"post": [], "visit": [], "answers": {}, "ok": 0}
    cookies = {}

    def note(kind):
        out["answers"][kind] = out["answers"].get(kind, 0) + 1

    for n, i in enumerate(indices):
        if time.time() > deadline:
            note("not sent (time limit)")
            continue
        if n % repeat == 0:
            cookies = {}  # a new citizen (a new device)
        survey = i % 2 == 1
        body = survey_body(i) if survey else complaint_body(units[i % len(units)], i)
        t0 = time.perf_counter()
        try:
            if mode == "defended":
                form = f"/layanan/survei/s/{survey_code}/" if survey else "/layanan/lapor/"
                status, html = request(port, "GET", form, cookies=cookies)
                if status != 200:
                    note(f"form {status}")
                    continue
                token = TOKEN.search(html).group(1)
                body |= {
                    "csrfmiddlewaretoken": CSRF.search(html).group(1),
                    "ps_token": token,
                    "ps_nonce": solve(token, int(BITS.search(html).group(1))),
                    "website": "",
                }
                target = form
            else:
                target = f"/bench/survei/{survey_code}/" if survey else "/bench/lapor/"
            t1 = time.perf_counter()
            status, _text = request(port, "POST", target, cookies=cookies, body=body)
            t2 = time.perf_counter()
        except OSError:
            note("dropped")
            continue
        out["post"].append(t2 - t1)
        out["visit"].append(t2 - t0)
        if status == 302:
            out["ok"] += 1
            note("ok (302)")
        elif status == 429:
            note("429")
        elif status >= 500:
            note("5xx")
        else:
            note(f"{status}")
    return out


def burst(port, mode, args, units, survey_code):
    shares = [list(range(k, args.submissions, args.clients)) for k in range(args.clients)]
    deadline = time.time() + args.time_limit
    jobs = [(port, mode, s, units, survey_code, args.repeat, deadline) for s in shares]
    t = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.clients) as pool:
        parts = pool.map(client, jobs)
    wall = time.perf_counter() - t
    res = {"wall": wall, "post": [], "visit": [], "answers": {}, "ok": 0}
    for p in parts:
        res["post"] += p["post"]
        res["visit"] += p["visit"]
        res["ok"] += p["ok"]
        for k, v in p["answers"].items():
            res["answers"][k] = res["answers"].get(k, 0) + v
    return res


# --- Setup and the run ---------------------------------------------------------------------------------------------


def seed(n_units: int):
    """One agency with service units and an open survey campaign with one desk; the units' codes and its code."""
    import datetime

    from django.utils import timezone

    from publicservice.models import ServiceUnit, SurveyCampaign, SurveyPoint
    from tests.factories import make_agency, make_unit

    agency = make_agency("BENCH", "18", "Pemprov Bench")
    org = make_unit(agency, "DINKES", "Dinas Kesehatan")
    units = [
        ServiceUnit.objects.create(agency=agency, org_unit=org, name=f"Puskesmas Bench {k + 1}", population=1000)
        for k in range(n_units)
    ]
    today = timezone.localdate()
    campaign = SurveyCampaign.objects.create(
        unit=units[0],
        name="Semester bench",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
        population=100_000,
    )
    point = SurveyPoint.objects.create(campaign=campaign, label="Loket bench")
    return [u.code for u in units], point.code


def counts():
    from publicservice.models import Complaint, ComplaintEvent, SurveyResponse

    return Complaint.objects.count(), ComplaintEvent.objects.count(), SurveyResponse.objects.count()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--submissions", type=int, default=400, help="posts per mode (half complaints, half surveys)")
    ap.add_argument("--clients", type=int, default=16, help="client processes at once")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    ap.add_argument("--bits", type=int, default=16, help="POW_BITS (the app's default is 16)")
    ap.add_argument("--repeat", type=int, default=1, help="posts per device in a row (past 5 the limit answers 429)")
    ap.add_argument("--units", type=int, default=20)
    ap.add_argument("--time-limit", type=float, default=120, help="seconds per mode")
    ap.add_argument("--db", default="pamong_bench_ps_burst")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = ap.parse_args()

    import psycopg

    from bench.registration_burst import Server, free_port

    admin_url = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')
    import subprocess

    redis_port = free_port()
    redis_server = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    server_env = {
        "DATABASE_URL": admin_url.rsplit("/", 1)[0] + f"/{args.db}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "PS_BENCH_POW_BITS": str(args.bits),
    }
    results = {}
    try:
        os.environ.update(server_env)
        os.environ["PAMONG_ENV"] = "test"
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.publicservice_settings"
        import django

        django.setup()
        import django.db
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        units, survey_code = seed(args.units)
        env = os.environ | server_env | {"PAMONG_ENV": "development"}
        env["DJANGO_SETTINGS_MODULE"] = "bench.publicservice_settings"
        django.db.connections.close_all()
        with Server(env, args.workers) as server:
            for mode in ("baseline", "defended"):
                before = counts()
                results[mode] = burst(server.port, mode, args, units, survey_code)
                after = counts()
                results[mode]["rows"] = tuple(a - b for a, b in zip(after, before, strict=True))
                django.db.connections.close_all()
    finally:
        redis_server.terminate()
        redis_server.wait()
        if not args.keep:
            import django.db

            django.db.connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    report(results, args)


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(results, args):
    print(
        f"\n{args.submissions} posts per mode (half complaints, half survey responses), {args.clients} client"
        f" processes, gunicorn -w {args.workers} (sync), POW_BITS={args.bits}, {args.repeat} post(s) per device"
    )
    base = results["baseline"]["ok"] / results["baseline"]["wall"] if results.get("baseline") else 0
    for mode, r in results.items():
        rate = r["ok"] / r["wall"]
        vs = f" ({rate / base:.2f}× baseline)" if base and mode != "baseline" else ""
        print(
            f"{mode:9s} accepted {r['ok']:5d} in {r['wall']:6.1f} s = {rate:7.1f}/s{vs};"
            f" POST p50 {pct(r['post'], 50) * 1000:6.1f} ms p99 {pct(r['post'], 99) * 1000:6.1f} ms;"
            f" visit p50 {pct(r['visit'], 50) * 1000:6.1f} ms p99 {pct(r['visit'], 99) * 1000:6.1f} ms"
        )
        print(f"          answers {dict(sorted(r['answers'].items()))}")
        print(
            f"          rows written: complaints {r['rows'][0]}, events {r['rows'][1]}, survey responses {r['rows'][2]}"
        )


if __name__ == "__main__":
    main()
