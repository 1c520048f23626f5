"""House rules that a grep can hold (STYLE.md): views never fetch by `Model.objects.get(…)`, which
would bypass the actor's scope and answer 500 instead of 404."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "accounts", "organization", "personnel", "performance", "recruitment", "exams", "learning", "publicservice"]


def view_modules():
    for app in APPS:
        base = ROOT / app
        yield from base.glob("views.py")
        yield from base.glob("views_*.py")
        yield from base.glob("api.py")
        for package in ("api", "views"):
            yield from (base / package).glob("*.py") if (base / package).is_dir() else ()


def test_no_objects_get_in_views_or_api():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in view_modules()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.objects\.get\(", line)
    ]
    assert offenders == []


def test_the_check_looks_at_real_files():
    assert len(list(view_modules())) >= 8
