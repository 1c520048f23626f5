"""The UI is Indonesian by default; English is selectable and every string has its translation."""

from pathlib import Path

import pytest

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    """(msgid, msgstr) pairs of a PO file, continuation lines joined, plural forms as msgstr[0]."""
    entries, key, buf = [], None, {}
    for line in text.splitlines() + [""]:
        if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[")):
            key = line.split(" ", 1)[0]
            buf[key] = line.split(" ", 1)[1][1:-1]
        elif line.startswith('"') and key:
            buf[key] += line[1:-1]
        elif not line.strip() and buf:
            entries.append((buf.get("msgid", ""), buf.get("msgstr", buf.get("msgstr[0]", ""))))
            buf, key = {}, None
    return [e for e in entries if e[0]]


def test_every_message_has_an_english_translation_with_the_same_placeholders():
    import re

    entries = _entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 300
    missing = [mid for mid, mstr in entries if not mstr]
    assert missing == []
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for mid, mstr in entries:
        assert sorted(placeholder.findall(mid)) == sorted(placeholder.findall(mstr)), mid


@pytest.mark.django_db
def test_login_page_in_indonesian_by_default_and_english_on_request(client):
    assert "Masuk" in client.get("/akun/masuk/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    html = client.get("/akun/masuk/").content.decode()
    assert "Sign in" in html and 'lang="en"' in html
