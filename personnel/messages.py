"""Sentences, in the user's language, for the problem codes that personnel.rules returns."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "nip_format": _("NIP harus 18 digit angka."),
    "nip_gender_digit": _("Digit ke-15 NIP (jenis kelamin) harus 1 (pria) atau 2 (wanita)."),
    "nip_tmt_month": _("Digit ke-13–14 NIP (bulan TMT CPNS) harus 01 sampai 12."),
    "nip_birth_date": _("Delapan digit pertama NIP bukan tanggal lahir yang sah."),
    "nip_serial": _("Nomor urut NIP (tiga digit terakhir) harus 001 sampai 999."),
    "nip_birth_mismatch": _("Tanggal lahir tidak sama dengan tanggal lahir di NIP."),
    "nip_gender_mismatch": _("Jenis kelamin tidak sesuai dengan digit ke-15 NIP."),
    "nip_tmt_future": _("TMT pengangkatan di NIP belum lewat."),
    "nip_tmt_mismatch": _("Bulan dan tahun TMT CPNS tidak sama dengan yang tertera di NIP."),
    "nip_year_mismatch": _("Tahun TMT pengangkatan PPPK tidak sama dengan yang tertera di NIP."),
    "nip_young": _("Menurut NIP, pegawai diangkat sebelum berusia %(age)s tahun; periksa kembali."),
    "nik_format": _("NIK harus 16 digit angka."),
}


def message_for(problem) -> str:
    text = MESSAGES[problem.code]
    if problem.code == "nip_young":
        return str(text) % {"age": problem.params[0]}
    return str(text)
