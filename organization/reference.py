"""Load the region and regional-office reference data (organization/data/*.json)."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load(apps):
    Province = apps.get_model("organization", "Province")
    Regency = apps.get_model("organization", "Regency")
    RegionalOffice = apps.get_model("organization", "RegionalOffice")
    regions = json.loads((DATA / "regions.json").read_text(encoding="utf-8"))
    provinces = {}
    for p in regions["provinces"]:
        provinces[p["code"]], _ = Province.objects.update_or_create(
            code=p["code"], defaults={"name": p["name"], "capital": p.get("capital", "")}
        )
    for r in regions["regencies"]:
        Regency.objects.update_or_create(
            code=r["code"],
            defaults={
                "province": provinces[r["province"]],
                "name": r["name"],
                "kind": r["kind"],
                "capital": r.get("capital", ""),
            },
        )
    for o in json.loads((DATA / "regional_offices.json").read_text(encoding="utf-8")):
        office, _ = RegionalOffice.objects.update_or_create(
            number=o["number"], defaults={"roman": o["roman"], "name": o["name"], "city": o["city"]}
        )
        office.provinces.set([provinces[c] for c in o["provinces"]])
