"""Ranking of the CPNS selection (RULES.md §2.2–2.4): the SKD ranking per formation and category, the SKB
scores, the 40/60 integration with the final ranking, its frozen publication, and the exports.

The regulation itself is in ``recruitment.rules``; this package feeds it from the database and writes the
committee's decisions, each audited. One module per concern: ``reads`` (the ranking as it stands), ``skb``
(entering and importing SKB scores), ``final`` (publishing the final result and reading it back), ``export``
(the tables for download). Callers use ``from recruitment import ranking`` and ``ranking.<name>``.
"""

from recruitment.ranking.export import final_export, skb_template, skd_export
from recruitment.ranking.final import (
    LISTED_MISSING,
    FinalLine,
    final_lines,
    final_publish,
    publication_of,
    publications,
    published_results,
)
from recruitment.ranking.reads import (
    SKB_FACTOR,
    CategoryRanking,
    FinalRow,
    FormationRanking,
    SkdRow,
    agency_rankings,
    applicant_result,
    formation_ranking,
    grade_date,
    grade_text,
    histogram,
    shortfalls,
    skb_of,
    skd_of,
)
from recruitment.ranking.skb import (
    ABSENT_MARKS,
    HUNDREDTH,
    MAX_UPLOAD,
    NOT_A_NUMBER,
    SKB_HEADERS,
    THOUSANDTH,
    skb_enter,
    skb_file_bytes,
    skb_import,
)

__all__ = [
    "ABSENT_MARKS",
    "HUNDREDTH",
    "LISTED_MISSING",
    "MAX_UPLOAD",
    "NOT_A_NUMBER",
    "SKB_FACTOR",
    "SKB_HEADERS",
    "THOUSANDTH",
    "CategoryRanking",
    "FinalLine",
    "FinalRow",
    "FormationRanking",
    "SkdRow",
    "agency_rankings",
    "applicant_result",
    "final_export",
    "final_lines",
    "final_publish",
    "formation_ranking",
    "grade_date",
    "grade_text",
    "histogram",
    "publication_of",
    "publications",
    "published_results",
    "shortfalls",
    "skb_enter",
    "skb_file_bytes",
    "skb_import",
    "skb_of",
    "skb_template",
    "skd_export",
    "skd_of",
]
