"""The demo dataset: four seed regions, their agencies, org trees, positions and employees.

Deterministic: the same seed gives the same rows (dates are drawn relative to a fixed
reference day, not today). The bulk path writes with COPY on PostgreSQL.
"""

import datetime
import random
import sys
from dataclasses import dataclass, field

from django.db import connection, transaction
from faker.providers.person.id_ID import Provider as Names

from core.audit import Entry, audit_log
from core.bulk import bulk_insert
from organization.models import Agency, OrgUnit, Position, Province, Regency
from personnel import rules
from personnel.models import Assignment, EducationHistory, EducationLevel, Employee, Rank, RankHistory

REFERENCE_DAY = datetime.date(2026, 1, 1)

# (agency code, kind, province code, regency code or None, name, short, head title)
SEED_AGENCIES = [
    ("PROV-18", "province", "18", None, "Pemerintah Provinsi Lampung", "Pemprov Lampung", "Gubernur Lampung"),
    ("KAB-15.09", "regency", "15", "15.09", "Pemerintah Kabupaten Tebo", "Pemkab Tebo", "Bupati Tebo"),
    ("KAB-17.08", "regency", "17", "17.08", "Pemerintah Kabupaten Kepahiang", "Pemkab Kepahiang", "Bupati Kepahiang"),
    ("PROV-75", "province", "75", None, "Pemerintah Provinsi Gorontalo", "Pemprov Gorontalo", "Gubernur Gorontalo"),
]
HOSPITALS = {
    "PROV-18": "RSUD Dr. H. Abdul Moeloek",
    "KAB-15.09": "RSUD Sultan Thaha Saifuddin",
    "KAB-17.08": "RSUD Kepahiang",
    "PROV-75": "RSUD Dr. Hasri Ainun Habibie",
}
HEALTH_CENTERS = {
    "KAB-15.09": ["Puskesmas Muara Tebo", "Puskesmas Rimbo Bujang", "Puskesmas Tengah Ilir", "Puskesmas Sumay"],
    "KAB-17.08": ["Puskesmas Kepahiang", "Puskesmas Kabawetan", "Puskesmas Ujan Mas", "Puskesmas Tebat Karai"],
}
SCHOOLS = {
    "province": ["SMA Negeri 1", "SMA Negeri 2", "SMK Negeri 1"],
    "regency": ["SMP Negeri 1", "SMP Negeri 2", "SD Negeri 1", "SD Negeri 2"],
}

# Rank ranges per position level (PNS) and education per level.
RANK_RANGE = {
    "jpt_madya": ("IV/d", "IV/e"),
    "jpt_pratama": ("IV/c", "IV/d"),
    "administrator": ("IV/a", "IV/b"),
    "pengawas": ("III/c", "III/d"),
    "pelaksana": ("II/a", "III/b"),
    "ahli_madya": ("IV/a", "IV/c"),
    "ahli_muda": ("III/c", "III/d"),
    "ahli_pertama": ("III/a", "III/b"),
    "penyelia": ("III/c", "III/d"),
    "mahir": ("III/a", "III/b"),
    "terampil": ("II/b", "II/d"),
}
PPPK_RANK = {"ahli_pertama": "IX", "ahli_muda": "X", "terampil": "VII", "mahir": "VII", "pelaksana": "V"}
EDUCATION = {
    "jpt_madya": ["S2", "S3"],
    "jpt_pratama": ["S2"],
    "administrator": ["S1", "S2"],
    "pengawas": ["S1"],
    "pelaksana": ["SMA", "SMA", "D3", "S1"],
    "ahli_madya": ["S2"],
    "ahli_muda": ["S1", "S2"],
    "ahli_pertama": ["S1", "D4"],
    "penyelia": ["D3"],
    "mahir": ["D3"],
    "terampil": ["D3"],
}
MAJORS = {
    "S1": ["Manajemen", "Ilmu Pemerintahan", "Pendidikan Matematika", "Kesehatan Masyarakat", "Hukum", "Akuntansi"],
    "S2": ["Administrasi Publik", "Manajemen", "Kedokteran (Spesialis)"],
    "S3": ["Ilmu Pemerintahan"],
    "D3": ["Keperawatan", "Kebidanan", "Akuntansi"],
    "D4": ["Keperawatan"],
    "SMA": ["IPA", "IPS"],
}
PLACES = {
    "18": ["Bandar Lampung", "Metro", "Kotabumi", "Pringsewu"],
    "15": ["Muara Tebo", "Jambi", "Muara Bungo"],
    "17": ["Kepahiang", "Curup", "Bengkulu"],
    "75": ["Gorontalo", "Limboto", "Marisa", "Kwandang"],
}


@dataclass
class PosSpec:
    key: str
    title: str
    ptype: str
    level: str
    job_class: int
    capacity: int = 1
    pppk_share: float = 0.0
    bup: int | None = None
    children: list = field(default_factory=list)


def P(key, title, ptype, level, job_class, capacity=1, pppk=0.0, bup=None, children=()):  # noqa: N802
    return PosSpec(key, title, ptype, level, job_class, capacity, pppk, bup, list(children))


def _section(prefix, name, staff_title):
    return P(
        f"{prefix}",
        f"Kepala {name}",
        "pengawas",
        "pengawas",
        9,
        children=[
            P(f"{prefix}-PL", staff_title, "pelaksana", "pelaksana", 6, capacity=4),
        ],
    )


def _division(prefix, name, sections, jf=None):
    kids = [_section(f"{prefix}-{i}", s, f"Pengadministrasi {s.split(' ', 1)[-1]}") for i, s in enumerate(sections, 1)]
    if jf:
        kids.append(jf)
    return P(prefix, f"Kepala {name}", "administrator", "administrator", 11, children=kids)


def structure(kind: str, code: str):
    """Units (name, kind, [children]) and, for each, the positions of that unit."""
    top_level = "jpt_madya" if kind == "province" else "jpt_pratama"
    units = []
    # Regional secretariat
    units.append(
        (
            "SETDA",
            "Sekretariat Daerah",
            "sekretariat",
            P(
                "SEKDA",
                "Sekretaris Daerah",
                "jpt",
                top_level,
                15 if kind == "province" else 14,
                children=[
                    _division("SETDA-ORG", "Bagian Organisasi", ["Subbagian Kelembagaan", "Subbagian Tata Laksana"]),
                    _division("SETDA-UM", "Bagian Umum", ["Subbagian Tata Usaha", "Subbagian Rumah Tangga"]),
                ],
            ),
            [],
        )
    )
    bkd_name = (
        "Badan Kepegawaian Daerah" if kind == "province" else "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
    )
    units.append(
        (
            "BKD",
            bkd_name,
            "perangkat_daerah",
            P(
                "KBKD",
                f"Kepala {bkd_name}",
                "jpt",
                "jpt_pratama",
                14,
                children=[
                    _division(
                        "BKD-MUT",
                        "Bidang Mutasi dan Promosi",
                        ["Subbidang Mutasi", "Subbidang Promosi"],
                        P(
                            "BKD-ASDM",
                            "Analis SDM Aparatur Ahli Muda",
                            "fungsional_keahlian",
                            "ahli_muda",
                            10,
                            capacity=3,
                        ),
                    ),
                    _division(
                        "BKD-PK",
                        "Bidang Pengembangan Kompetensi",
                        ["Subbidang Diklat", "Subbidang Penilaian Kinerja"],
                        P(
                            "BKD-ASDM1",
                            "Analis SDM Aparatur Ahli Pertama",
                            "fungsional_keahlian",
                            "ahli_pertama",
                            8,
                            capacity=3,
                        ),
                    ),
                ],
            ),
            [],
        )
    )
    schools = [(f"SCH{i}", f"{s}", "sekolah") for i, s in enumerate(SCHOOLS[kind], 1)]
    units.append(
        (
            "DIKBUD",
            "Dinas Pendidikan dan Kebudayaan",
            "perangkat_daerah",
            P(
                "KDIK",
                "Kepala Dinas Pendidikan dan Kebudayaan",
                "jpt",
                "jpt_pratama",
                14,
                children=[
                    _division("DIK-SEK", "Sekretariat Dinas", ["Subbagian Umum", "Subbagian Keuangan"]),
                    _division("DIK-PEM", "Bidang Pembinaan Sekolah", ["Seksi Kurikulum", "Seksi Tenaga Pendidik"]),
                ],
            ),
            [
                (
                    u,
                    n,
                    k,
                    P(
                        f"{u}-KS",
                        f"Kepala {n}",
                        "fungsional_keahlian",
                        "ahli_madya",
                        11,
                        bup=60,
                        children=[
                            P(f"{u}-GM", "Guru Ahli Muda", "fungsional_keahlian", "ahli_muda", 10, capacity=8, bup=60),
                            P(
                                f"{u}-GP",
                                "Guru Ahli Pertama",
                                "fungsional_keahlian",
                                "ahli_pertama",
                                8,
                                capacity=14,
                                pppk=0.6,
                                bup=60,
                            ),
                            P(f"{u}-TU", "Pengadministrasi Sekolah", "pelaksana", "pelaksana", 5, capacity=3),
                        ],
                    ),
                    "DIK-PEM",
                )
                for u, n, k in schools
            ],
        )
    )
    centers = HEALTH_CENTERS.get(code, [])
    health_sub = [
        (
            f"PKM{i}",
            n,
            "puskesmas",
            P(
                f"PKM{i}-K",
                f"Kepala {n}",
                "pengawas",
                "pengawas",
                9,
                children=[
                    P(f"PKM{i}-DR", "Dokter Ahli Pertama", "fungsional_keahlian", "ahli_pertama", 8, capacity=3),
                    P(f"PKM{i}-PR", "Perawat Terampil", "fungsional_keterampilan", "terampil", 7, capacity=8, pppk=0.5),
                    P(f"PKM{i}-BD", "Bidan Terampil", "fungsional_keterampilan", "terampil", 7, capacity=6, pppk=0.5),
                ],
            ),
            "KES-YAN",
        )
        for i, n in enumerate(centers, 1)
    ]
    if kind == "province":
        health_sub.append(
            (
                "LABKES",
                "UPTD Laboratorium Kesehatan Daerah",
                "lainnya",
                P(
                    "LABKES-K",
                    "Kepala UPTD Laboratorium Kesehatan",
                    "pengawas",
                    "pengawas",
                    9,
                    children=[
                        P(
                            "LABKES-PR",
                            "Pranata Laboratorium Kesehatan Mahir",
                            "fungsional_keterampilan",
                            "mahir",
                            7,
                            capacity=6,
                        ),
                    ],
                ),
                "KES-YAN",
            )
        )
    units.append(
        (
            "DINKES",
            "Dinas Kesehatan",
            "perangkat_daerah",
            P(
                "KDINKES",
                "Kepala Dinas Kesehatan",
                "jpt",
                "jpt_pratama",
                14,
                children=[
                    _division("KES-SEK", "Sekretariat Dinas", ["Subbagian Umum", "Subbagian Program"]),
                    _division("KES-YAN", "Bidang Pelayanan Kesehatan", ["Seksi Pelayanan Primer", "Seksi Rujukan"]),
                    _division(
                        "KES-P2P",
                        "Bidang Pencegahan dan Pengendalian Penyakit",
                        ["Seksi Surveilans", "Seksi Imunisasi"],
                    ),
                ],
            ),
            health_sub,
        )
    )
    units.append(
        (
            "RSUD",
            HOSPITALS[code] if code in HOSPITALS else "RSUD",
            "rumah_sakit",
            P(
                "DIRRS",
                "Direktur",
                "jpt",
                "jpt_pratama",
                13,
                children=[
                    _division(
                        "RS-YAN",
                        "Bidang Pelayanan Medik",
                        ["Seksi Rawat Jalan", "Seksi Rawat Inap"],
                        P("RS-DS", "Dokter Ahli Madya", "fungsional_keahlian", "ahli_madya", 12, capacity=6),
                    ),
                    _division(
                        "RS-KEP",
                        "Bidang Keperawatan",
                        ["Seksi Asuhan Keperawatan", "Seksi Mutu Keperawatan"],
                        P(
                            "RS-PR",
                            "Perawat Ahli Pertama",
                            "fungsional_keahlian",
                            "ahli_pertama",
                            8,
                            capacity=20,
                            pppk=0.4,
                        ),
                    ),
                    _division("RS-UM", "Bagian Umum", ["Subbagian Tata Usaha", "Subbagian Keuangan"]),
                ],
            ),
            [],
        )
    )
    return units


# --- generation ------------------------------------------------------------------------------


class Progress:
    def __init__(self, total: int, label: str, out=None):
        self.total, self.label, self.out, self.last = max(total, 1), label, out or sys.stderr, -1

    def __call__(self, done: int):
        pct = done * 100 // self.total
        if pct != self.last:
            self.last = pct
            bar = "#" * (pct // 4)
            self.out.write(f"\r{self.label:<12} [{bar:<25}] {pct:3d}% ({done:,}/{self.total:,})")
            if done >= self.total:
                self.out.write("\n")
            self.out.flush()


@dataclass
class Gen:
    rng: random.Random
    ranks: dict
    levels: dict
    serials: dict = field(default_factory=dict)

    def nip(self, birth: datetime.date, tmt: datetime.date, gender: str, pppk: bool) -> str:
        mid = f"{tmt.year}21" if pppk else f"{tmt.year}{tmt.month:02d}"
        head = f"{birth:%Y%m%d}{mid}{rules.GENDER_DIGIT[gender]}"
        n = self.serials.get(head, 0) + 1
        self.serials[head] = n
        return f"{head}{n:03d}"


def _date_between(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max((end - start).days, 1)))


def _add_unit(agency, code, name, kind, parent):
    unit = OrgUnit(agency=agency, parent=parent, code=code, name=name, kind=kind, path="/")
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2
    unit.save(update_fields=["path", "depth"])
    return unit


def _multi_capacity(kind: str, code: str) -> tuple[int, int]:
    """(posts of capacity one, sum of the larger capacities) of an agency at scale one."""
    single = multi = 0
    for _u, _n, _k, top, subs in structure(kind, code):
        for spec in [*_walk(top), *(p for s in subs for p in _walk(s[3]))]:
            if spec.capacity == 1:
                single += 1
            else:
                multi += spec.capacity
    return single, multi


def _build_org(agency: Agency, kind: str, code: str, quota: int, vacancies: set):
    """Create units and positions sized so that the holders number exactly the quota (when it can)."""
    single, multi = _multi_capacity(kind, code)
    scale = max(0.05, (quota - single + len(vacancies)) / multi)
    out: list[tuple[Position, PosSpec]] = []

    def add_positions(spec: PosSpec, unit: OrgUnit, parent: Position | None, units: dict):
        cap = 1 if spec.capacity == 1 else max(1, round(spec.capacity * scale))
        pos = Position(
            agency=agency,
            unit=unit,
            parent=parent,
            code=spec.key,
            title=spec.title,
            position_type=spec.ptype,
            level=spec.level,
            job_class=spec.job_class,
            capacity=cap,
            reports_to_head=parent is None,
            retirement_age_override=spec.bup,
            path="/",
        )
        pos.save()
        pos.path = f"{parent.path if parent else '/'}{pos.pk}/"
        pos.save(update_fields=["path"])
        out.append((pos, spec))
        for child in spec.children:
            add_positions(child, units.get(child.key, unit), pos, units)
        return pos

    top_positions: dict[str, Position] = {}
    for ucode, name, ukind, top, subs in structure(kind, code):
        root = _add_unit(agency, ucode, name, ukind, None)
        units = {}
        for div in top.children:
            if div.ptype == "administrator":
                units[div.key] = _add_unit(agency, div.key, div.title.removeprefix("Kepala "), "bidang", root)
                for sec in div.children:
                    if sec.ptype == "pengawas":
                        units[sec.key] = _add_unit(
                            agency, sec.key, sec.title.removeprefix("Kepala "), "seksi", units[div.key]
                        )
        top_positions[top.key] = add_positions(top, root, top_positions.get("SEKDA"), units)
        by_code = {p.code: p for p, _s in out}
        for scode, sname, skind, sspec, parent_key in subs:
            add_positions(sspec, _add_unit(agency, scode, sname, skind, root), by_code[parent_key], {})
    # Round the capacities to the quota exactly on the largest post.
    holders = sum(p.capacity for p, _s in out if p.code not in vacancies)
    largest = max((p for p, _s in out), key=lambda p: p.capacity)
    if largest.capacity + quota - holders >= 1:
        largest.capacity += quota - holders
        largest.save(update_fields=["capacity"])
    return out


def _employee_rows(gen: Gen, agency: Agency, province_code: str, positions, next_id: int, *, vacancies: set):
    rng = gen.rng
    emps, ranks, assigns, edus = [], [], [], []
    for pos, spec in positions:
        holders = pos.capacity
        if pos.code in vacancies:
            holders = 0
        for _ in range(holders):
            pppk = rng.random() < spec.pppk_share
            gender = "F" if rng.random() < (0.62 if spec.ptype.startswith("fungsional") else 0.42) else "M"
            first = rng.choice(Names.first_names_female if gender == "F" else Names.first_names_male)
            name = f"{first} {rng.choice(Names.last_names)}"
            lo, hi = {"jpt": (45, 57), "administrator": (40, 56), "pengawas": (33, 56)}.get(spec.ptype, (23, 57))
            age = rng.randint(lo, hi)
            birth = _date_between(
                rng, datetime.date(REFERENCE_DAY.year - age - 1, 1, 2), datetime.date(REFERENCE_DAY.year - age, 1, 1)
            )
            start_age = rng.randint(22, 30) if not pppk else rng.randint(max(22, age - 6), max(22, age))
            tmt_year = min(birth.year + start_age, REFERENCE_DAY.year - (0 if pppk else 1))
            tmt = datetime.date(tmt_year, rng.choice([1, 3, 4]), 1)
            if pppk:
                tmt = datetime.date(max(tmt_year, 2019), rng.choice([1, 3]), 1)
            etype = "pppk" if pppk else ("cpns" if (REFERENCE_DAY - tmt).days < 365 else "pns")
            nip = gen.nip(birth, tmt, gender, pppk)
            eid = next_id
            next_id += 1
            # Rank history: start low, one step every four years up to the level's range.
            if pppk:
                codes = [PPPK_RANK.get(spec.level, "IX")]
                dates = [tmt]
            else:
                lo_r, hi_r = RANK_RANGE[spec.level]
                order_lo, order_hi = gen.ranks[lo_r].order, gen.ranks[hi_r].order
                start = max(1, order_lo - rng.randint(0, 3))
                steps = max(0, min(order_hi - start, (REFERENCE_DAY.year - 1 - tmt.year) // 4))
                codes, dates = [], []
                for k in range(steps + 1):
                    codes.append(gen.ranks_by_order[start + k].code)
                    dates.append(datetime.date(tmt.year + 4 * k, 4 if k % 2 else 10, 1) if k else tmt)
            for c, d in zip(codes, dates):
                ranks.append((eid, gen.ranks[c].id, d, f"800/{rng.randint(100, 9999)}/BKD/{d.year}"))
            edu_code = rng.choice(EDUCATION[spec.level])
            edu_date = datetime.date(max(birth.year + 18, min(tmt.year - 1, REFERENCE_DAY.year)), 8, rng.randint(1, 28))
            edus.append(
                (
                    eid,
                    gen.levels[edu_code].id,
                    rng.choice(MAJORS.get(edu_code, [""])),
                    edu_date,
                    f"IJZ-{edu_date.year}-{rng.randint(1, 99999):05d}",
                )
            )
            pos_tmt = max(tmt, datetime.date(REFERENCE_DAY.year - 1 - rng.randint(0, 6), rng.randint(1, 12), 1))
            assigns.append(
                (eid, pos.id, "definitive", pos_tmt, None, f"821.2/{rng.randint(1, 999)}/BKD/{pos_tmt.year}")
            )
            cur_rank = gen.ranks[codes[-1]]
            bup = rules.retirement_age(spec.level, on=REFERENCE_DAY, override=spec.bup)
            emps.append(
                dict(
                    id=eid,
                    agency_id=agency.pk,
                    nip=nip,
                    nik=f"{province_code}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"
                    f"{birth.day + (40 if gender == 'F' else 0):02d}{birth:%m%y}{rng.randint(1, 9999):04d}",
                    name=name,
                    front_title="dr." if spec.title.startswith("Dokter") else "",
                    back_title={"S1": "S.E.", "S2": "M.M.", "S3": "Dr.", "D3": "A.Md.", "D4": "S.Tr."}.get(
                        edu_code, ""
                    ),
                    gender=gender,
                    birth_place=rng.choice(PLACES.get(province_code, ["Jakarta"])),
                    birth_date=birth,
                    employee_type=etype,
                    status="active",
                    tmt_appointment=tmt,
                    email="",
                    phone="",
                    current_rank_id=cur_rank.id,
                    current_position_id=pos.id,
                    current_unit_id=pos.unit_id,
                    current_position_type=pos.position_type,
                    current_education_id=gen.levels[edu_code].id,
                    retirement_date=rules.retirement_date(birth, bup),
                )
            )
    return emps, ranks, assigns, edus, next_id


def _write(emps, ranks, assigns, edus):
    """Insert one batch of employees with their histories (COPY on PostgreSQL)."""
    bulk_insert(Employee, [Employee(**e) for e in emps])
    bulk_insert(RankHistory, [RankHistory(employee_id=a, rank_id=b, tmt=c, decree_number=d) for a, b, c, d in ranks])
    bulk_insert(
        Assignment,
        [
            Assignment(employee_id=a, position_id=b, kind=c, tmt=d, end_date=e, decree_number=f)
            for a, b, c, d, e, f in assigns
        ],
    )
    bulk_insert(
        EducationHistory,
        [EducationHistory(employee_id=a, level_id=b, major=c, tmt=d, decree_number=e) for a, b, c, d, e in edus],
    )


def _reset_employee_sequence():
    """Employees were given explicit ids (their histories refer to them); move the sequence past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('personnel_employee', 'id'), COALESCE((SELECT MAX(id) FROM personnel_employee), 1))"
        )


def agency_specs(n_employees: int):
    """The four seed agencies; for large registries also the other regencies and provinces."""
    specs = list(SEED_AGENCIES)
    if n_employees > 20000:
        for reg in Regency.objects.exclude(code__in=["15.09", "17.08"]).select_related("province"):
            specs.append(
                (
                    f"KAB-{reg.code}",
                    "regency",
                    reg.province.code,
                    reg.code,
                    f"Pemerintah {reg}",
                    str(reg),
                    f"{'Wali Kota' if reg.kind == 'kota' else 'Bupati'} {reg.name}",
                )
            )
        for prov in Province.objects.exclude(code__in=["18", "75"]):
            specs.append(
                (
                    f"PROV-{prov.code}",
                    "province",
                    prov.code,
                    None,
                    f"Pemerintah Provinsi {prov.name}",
                    f"Pemprov {prov.name}",
                    f"Gubernur {prov.name}",
                )
            )
    return specs


def seed(*, seed: int = 2026, employees: int = 3000, out=None, batch: int = 20000) -> dict:
    """Build the demo registry. Returns counts. Refuses if the seed agencies already exist."""
    rng = random.Random(seed)
    ranks = {r.code: r for r in Rank.objects.all()}
    gen = Gen(rng=rng, ranks=ranks, levels={e.code: e for e in EducationLevel.objects.all()})
    gen.ranks_by_order = {r.order: r for r in ranks.values() if r.scheme == "pns"}
    specs = agency_specs(employees)
    quotas = [employees // len(specs) + (1 if i < employees % len(specs) else 0) for i in range(len(specs))]
    provinces = {p.code: p for p in Province.objects.all()}
    regencies = {r.code: r for r in Regency.objects.all()}
    total = 0
    next_id = (Employee.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    bar = Progress(employees, "pegawai", out)
    if Agency.objects.filter(code=specs[0][0]).exists():
        raise ValueError("demo data already present")
    with transaction.atomic():
        agencies = []
        vacancies = {"BKD-PK", "KES-P2P-1"}
        for (code, kind, pcode, rcode, name, short, head), quota in zip(specs, quotas):
            agency = Agency.objects.create(
                code=code,
                kind=kind,
                province=provinces[pcode],
                regency=regencies.get(rcode) if rcode else None,
                name=name,
                short_name=short,
                head_title=head,
            )
            # Gaps on purpose, so that the supervision worklist has work: one division head vacant
            # with a Plt (appointed below), one section head vacant with nobody acting.
            positions = _build_org(agency, kind, code, quota, vacancies)
            emps, rks, asg, eds, next_id = _employee_rows(gen, agency, pcode, positions, next_id, vacancies=vacancies)
            agencies.append((agency, positions, emps))
            for i in range(0, len(emps), batch):
                ids = {e["id"] for e in emps[i : i + batch]}
                _write(
                    emps[i : i + batch],
                    [r for r in rks if r[0] in ids],
                    [a for a in asg if a[0] in ids],
                    [d for d in eds if d[0] in ids],
                )
                total += len(ids)
                bar(total)
        _reset_employee_sequence()
        # A Plt in the vacant division: the head of the other division acts in it.
        for _agency, positions, _emps in agencies:
            by_code = {p.code: p for p, _s in positions}
            acting = Employee.objects.filter(current_position=by_code["BKD-MUT"]).first()
            if acting:
                Assignment.objects.create(
                    employee=acting,
                    position=by_code["BKD-PK"],
                    kind="plt",
                    tmt=datetime.date(REFERENCE_DAY.year, 1, 2),
                    decree_number="800/PLT/001/2026",
                )
        audit_log(
            actor=None,
            entry=Entry(
                "demo.seed",
                "demo",
                str(seed),
                "seed_demo",
                None,
                None,
                {"employees": total, "agencies": len(agencies), "seed": seed},
            ),
        )
    return {"agencies": len(specs), "employees": total}


def _walk(spec: PosSpec):
    yield spec
    for c in spec.children:
        yield from _walk(c)
