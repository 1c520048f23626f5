"""The employee import template: its columns, in the order the downloadable file has them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("nip", "NIP", True, _("18 digit; NI PPPK bagi PPPK"), "199001152015031002"),
    Column("nik", "NIK", True, _("16 digit"), "1871011501900003"),
    Column("name", "Nama", True, _("tanpa gelar"), "Budi Santoso"),
    Column("front_title", "Gelar Depan", False, _("mis. dr., Ir."), ""),
    Column("back_title", "Gelar Belakang", False, _("mis. S.Kom., M.M."), "S.Kom."),
    Column("gender", "Jenis Kelamin", True, _("L atau P"), "L"),
    Column("birth_place", "Tempat Lahir", False, "", "Bandar Lampung"),
    Column("birth_date", "Tanggal Lahir", True, _("TTTT-BB-HH atau HH-BB-TTTT"), "1990-01-15"),
    Column("employee_type", "Jenis Pegawai", True, _("PNS, CPNS atau PPPK"), "PNS"),
    Column("tmt_appointment", "TMT Pengangkatan", True, _("TMT CPNS / TMT PPPK"), "2015-03-01"),
    Column("rank", "Golongan", True, _("mis. III/a; PPPK: I–XVII"), "III/b"),
    Column("rank_tmt", "TMT Golongan", True, "", "2019-04-01"),
    Column("rank_decree", "Nomor SK Golongan", True, "", "823.3/123/BKD/2019"),
    Column("position_code", "Kode Jabatan", True, _("kode jabatan di instansi ini"), ""),
    Column("position_tmt", "TMT Jabatan", True, "", "2020-01-02"),
    Column("position_decree", "Nomor SK Jabatan", True, "", "821.2/45/BKD/2020"),
    Column("education", "Pendidikan", True, _("SD, SMP, SMA, D1, D2, D3, D4, S1, S2, S3"), "S1"),
    Column("education_date", "Tanggal Lulus", False, "", "2012-08-20"),
    Column("education_number", "Nomor Ijazah", False, "", "UNILA-2012-0042"),
    Column("email", "Email", False, "", ""),
    Column("phone", "Telepon", False, "", ""),
)
HEADERS = [c.header for c in COLUMNS]
BY_HEADER = {c.header.lower(): c for c in COLUMNS}
