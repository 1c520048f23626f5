"""Item statistics read from delivered sheets: how often each question was given and answered, how it
was answered, and (through exams.analysis) how well it worked. Only finished participants count.

Every figure is over the participants who got the item; an unanswered item counts in the denominator,
as it does in the score (it earns nothing). TKP items have no wrong answer: their figure is the mean
weight among those who answered.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _

from exams import analysis, rules
from exams.models import Answer, ExamSession, Option, Question, SheetItem

LABELS = "abcde"
SUBTEST_ORDER = {s: i for i, s in enumerate(rules.SUBTESTS)}


@dataclass
class QuestionStats:
    question_id: int
    subtest: str
    labels: list[str] = field(default_factory=list)  # the question's option labels, in order
    key: str | None = None  # keyed items: the label worth the most points
    delivered: int = 0
    answered: int = 0
    option_counts: dict[str, int] = field(default_factory=dict)
    points_sum: int = 0
    item: analysis.ItemStats | None = None  # when asked for: exams.analysis's figures (TKP: by weight)

    @property
    def keyed(self) -> bool:
        return self.subtest != rules.TKP

    @property
    def correct_share(self) -> float | None:
        if not self.keyed or not self.delivered:
            return None
        return self.option_counts.get(self.key, 0) / self.delivered

    @property
    def mean_points(self) -> float | None:
        if self.keyed or not self.answered:
            return None
        return self.points_sum / self.answered

    @property
    def unanswered(self) -> int:
        return self.delivered - self.answered

    @property
    def option_shares(self) -> dict[str, float]:
        return {
            label: (self.option_counts.get(label, 0) / self.delivered if self.delivered else 0.0)
            for label in self.labels
        }

    @property
    def option_rows(self) -> list[tuple[str, int, float]]:
        """(label, count, share) per option, in label order: convenient for tables."""
        shares = self.option_shares
        return [(label, self.option_counts.get(label, 0), shares[label]) for label in self.labels]

    @property
    def difficulty(self) -> float | None:
        return self.item.difficulty if self.item and self.item.n else None

    @property
    def discrimination(self) -> float | None:
        return self.item.discrimination if self.item and self.item.n else None

    @property
    def point_biserial(self) -> float | None:
        return self.item.point_biserial if self.item else None

    @property
    def flags(self) -> list[str]:
        if self.item is not None:
            return list(self.item.flags)
        return ["no_responses"] if not self.delivered else []


def flag_label(flag: str) -> str:
    """The review flag in words."""
    if flag.startswith("unused_distractor:"):
        return _("Pengecoh %(label)s jarang dipilih") % {"label": flag.split(":", 1)[1].upper()}
    labels = {
        "too_easy": _("Terlalu mudah"),
        "too_hard": _("Terlalu sulit"),
        "low_discrimination": _("Daya beda rendah"),
        "negative_discrimination": _("Daya beda negatif: periksa kunci"),
        "upper_group_prefers_distractor": _("Kelompok atas memilih pengecoh"),
        "no_responses": _("Belum ada peserta"),
    }
    return labels.get(flag, flag)


def _sheets(question_ids: list[int], session_id: int | None):
    chosen = Answer.objects.filter(participant_id=OuterRef("participant_id"), position=OuterRef("position")).values(
        "option_id"
    )[:1]
    qs = SheetItem.objects.filter(participant__finished_at__isnull=False)
    # Within one session the session is the narrower filter; the id list can be as long as the pool.
    qs = qs.filter(participant__session_id=session_id) if session_id else qs.filter(question_id__in=question_ids)
    return qs.annotate(chosen=Subquery(chosen)).order_by()


def question_stats(
    question_ids: Iterable[int], *, session_id: int | None = None, with_analysis: bool = True
) -> dict[int, QuestionStats]:
    """Statistics per question over the finished participants who got it (in one session, if given).

    Three queries however many items. ``with_analysis`` reads one row per delivery (exams.analysis needs
    each participant's total for the upper and lower groups and the point-biserial); without it the
    counts come grouped from the database, for lists."""
    ids = sorted(set(question_ids))
    if not ids:
        return {}
    stats = {
        pk: QuestionStats(pk, subtest)
        for pk, subtest in Question.objects.filter(pk__in=ids).values_list("pk", "subtest")
    }
    option_of: dict[int, tuple[int, str, int]] = {}
    best: dict[int, int] = {}
    for pk, qid, label, points in (
        Option.objects.filter(question_id__in=ids)
        .order_by("question_id", "label")
        .values_list("pk", "question_id", "label", "points")
    ):
        option_of[pk] = (qid, label, points)
        s = stats[qid]
        s.labels.append(label)
        if qid not in best or points > best[qid]:
            best[qid], s.key = points, label
    for s in stats.values():
        if not s.keyed:
            s.key = None

    def tally(qid: int, option_id: int | None, n: int) -> str | None:
        s = stats.get(qid)
        if s is None:
            return None
        s.delivered += n
        known = option_of.get(option_id) if option_id is not None else None
        if known is None or known[0] != qid:
            return None  # unanswered (an option of another question cannot be saved; treat it alike)
        _q, label, points = known
        s.answered += n
        s.option_counts[label] = s.option_counts.get(label, 0) + n
        s.points_sum += points * n
        return label

    sheets = _sheets(ids, session_id)
    if not with_analysis:
        for qid, option_id, n in (
            sheets.values("question_id", "chosen").annotate(n=Count("pk")).values_list("question_id", "chosen", "n")
        ):
            tally(qid, option_id, n)
        return stats
    responses: dict[int, list[analysis.Response]] = defaultdict(list)
    for qid, option_id, twk, tiu, tkp in sheets.values_list(
        "question_id", "chosen", "participant__twk", "participant__tiu", "participant__tkp"
    ):
        label = tally(qid, option_id, 1)
        if qid in stats:
            responses[qid].append(analysis.Response(label, (twk or 0) + (tiu or 0) + (tkp or 0)))
    weights: dict[int, dict[str, int]] = defaultdict(dict)
    for qid, label, points in option_of.values():
        weights[qid][label] = points
    for qid, s in stats.items():
        if s.keyed and s.key is not None:
            s.item = analysis.analyse_keyed(responses.get(qid, []), s.key, s.labels)
        elif not s.keyed and weights.get(qid):
            s.item = analysis.analyse_weighted(responses.get(qid, []), dict(sorted(weights[qid].items())))
    return stats


@dataclass(frozen=True)
class AnalysisRow:
    question: Question
    stats: QuestionStats

    @property
    def flag_labels(self) -> list[str]:
        return [flag_label(f) for f in self.stats.flags]


def session_item_analysis(session: ExamSession) -> list[AnalysisRow]:
    """Every item delivered in the session with its statistics there, the items to review first."""
    delivered = SheetItem.objects.filter(participant__session=session).values("question_id")
    questions = list(Question.objects.filter(pk__in=delivered))
    stats = question_stats([q.pk for q in questions], session_id=session.pk)
    rows = [AnalysisRow(q, stats[q.pk]) for q in questions]
    rows.sort(
        key=lambda r: (
            not r.stats.flags,
            -len(r.stats.flags),
            SUBTEST_ORDER.get(r.question.subtest, 9),
            r.question.code,
            r.question.version,
            r.question.pk,
        )
    )
    return rows


def export_rows(rows: list[AnalysisRow]) -> tuple[list[str], list[list]]:
    """The analysis table as headers and rows for an xlsx export (shares as fractions, 3 decimals)."""
    headers = [
        _("Kode"),
        _("Versi"),
        _("Subtes"),
        _("Soal"),
        _("Peserta"),
        _("Menjawab"),
        _("Kunci"),
        _("Tingkat kesukaran (p)"),
        _("Rata-rata nilai (TKP)"),
        _("Daya beda (D)"),
        _("Point-biserial"),
        *[_("Pilihan %(label)s") % {"label": label.upper()} for label in LABELS],
        _("Tidak dijawab"),
        _("Tanda"),
    ]

    def r3(x):
        return None if x is None else round(x, 3)

    out = []
    for row in rows:
        q, s = row.question, row.stats
        shares = s.option_shares
        out.append(
            [
                q.code or str(q.pk),
                q.version,
                q.subtest.upper(),
                q.text,
                s.delivered,
                s.answered,
                (s.key or "").upper(),
                r3(s.difficulty),
                r3(s.mean_points),
                r3(s.discrimination),
                r3(s.point_biserial),
                *[r3(shares[label]) if label in shares else None for label in LABELS],
                r3(s.unanswered / s.delivered) if s.delivered else None,
                "; ".join(row.flag_labels),
            ]
        )
    return headers, out
