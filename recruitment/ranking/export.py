"""The ranking's tables for download: the SKD ranking, the final list (frozen once published) and the SKB
template to fill in and import."""

from decimal import Decimal

from django.utils.translation import gettext as _

from recruitment.models import FinalOutcome
from recruitment.ranking.final import final_lines
from recruitment.ranking.reads import FormationRanking
from recruitment.ranking.skb import SKB_HEADERS


def _yes(value: bool) -> str:
    return _("Ya") if value else _("Tidak")


def _num(value: Decimal | None):
    return None if value is None else float(value)


def skd_export(ranking: FormationRanking) -> tuple[list[str], list[list]]:
    headers = [
        _("Jenis kebutuhan"), _("Peringkat"), _("Nomor pendaftaran"), _("Nama"), "TWK", "TIU", "TKP", _("Total SKD"),
        _("Memenuhi ambang batas"), _("Ikut SKB"), _("Keterangan"),
    ]  # fmt: skip
    rows = []
    for c in ranking.categories:
        for r in c.rows:
            s = r.score
            met = s is not None and c.grade is not None and c.grade.met_by(s)
            rows.append(
                [
                    c.label, r.rank, r.application.registration_number, r.application.applicant.name,
                    s and s.twk, s and s.tiu, s and s.tkp, s and s.total, _yes(met), _yes(r.to_skb), r.reason,
                ]
            )  # fmt: skip
    return headers, rows


def final_export(ranking: FormationRanking) -> tuple[list[str], list[list]]:
    """The final list: the frozen rows once published, else the live preview."""
    headers = [
        _("Jenis kebutuhan"), _("Peringkat"), _("Nomor pendaftaran"), _("Nama"), "TWK", "TIU", "TKP", _("Total SKD"),
        _("Nilai SKB"), _("Nilai maksimum SKB"), _("IPK / rata-rata nilai ijazah"), _("Nilai akhir"), _("Keterangan"),
    ]  # fmt: skip
    labels = dict(FinalOutcome.choices)
    return headers, [
        [
            x.label, x.rank, x.registration_number, x.name, x.twk, x.tiu, x.tkp, x.skd_total,
            _num(x.skb_score), _num(x.skb_maximum), _num(x.ipk), _num(x.final_score),
            str(labels[x.outcome]) if x.outcome else _("Nilai SKB belum ada"),
        ]
        for x in final_lines(ranking)
    ]  # fmt: skip


def skb_template(rankings: list[FormationRanking]) -> tuple[list[str], list[list]]:
    """The SKB participants with what is on record: the file to fill in and import."""
    rows = []
    for f in rankings:
        for c in f.categories:
            for r in c.skb_rows:
                skb = r.skb
                score = None if skb is None else ("TH" if skb.absent else _num(skb.score))
                rows.append(
                    [
                        r.application.registration_number,
                        r.application.applicant.name,
                        score,
                        _num(skb and skb.maximum),
                        _num(skb and skb.ipk),
                    ]
                )
    return list(SKB_HEADERS), rows
