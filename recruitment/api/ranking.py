"""The committee's selection results over REST, within the pages' reach (``access.access_formation`` and
``access.access_period_agency``: the committee of the agency or the national admin, 404 for anyone else): the
SKD ranking of a formation, its SKB scores (entered one by one or imported per agency, with the page's
refusals and audit: ``ranking.skb_enter`` and ``ranking.skb_import``), the final list, and the publication
(``ranking.final_publish``), refused while an SKB score is missing, naming whose."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_actor
from core.errors import DomainError
from recruitment import ranking
from recruitment.access import access_formation, access_period_agency
from recruitment.api.common import (
    CATEGORIES,
    FinalLineSerializer,
    SelectionAgencyRefSerializer,
    SelectionFormationRefSerializer,
    SelectionPeriodRefSerializer,
    agency_ref,
    final_line,
    formation_ref,
    period_ref,
    valid,
)
from recruitment.api.public import PublishedResultSerializer, published_result
from recruitment.models import SkbScore, SkbSource

SOURCES = ", ".join(SkbSource.values)

# ---- the SKD ranking -------------------------------------------------------------------------------------


class SkdRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="among those meeting the passing grade")
    registration_number = serializers.CharField()
    name = serializers.CharField()
    twk = serializers.IntegerField(allow_null=True)
    tiu = serializers.IntegerField(allow_null=True)
    tkp = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField(allow_null=True, help_text="null: no SKD score (absent or unfinished)")
    grade_met = serializers.BooleanField()
    to_skb = serializers.BooleanField()
    reason = serializers.CharField(help_text="why not to the SKB, or why beyond the seats")


class SkdCategorySerializer(serializers.Serializer):
    category = serializers.CharField(help_text=CATEGORIES)
    label = serializers.CharField()
    quota = serializers.IntegerField()
    seats = serializers.IntegerField(help_text="SKB seats: 3 × the quota")
    grade = serializers.CharField(help_text="the passing grade in force when registration opened")
    grade_set = serializers.BooleanField()
    to_skb = serializers.IntegerField(help_text="how many go to the SKB (ties at the last seat included)")
    rows = SkdRowSerializer(many=True)


class BlueprintSerializer(serializers.Serializer):
    code = serializers.CharField()
    maximum = serializers.IntegerField()


class SkdRankingSerializer(serializers.Serializer):
    formation = SelectionFormationRefSerializer()
    blueprint = BlueprintSerializer()
    published = serializers.BooleanField(help_text="the agency's final result is announced: SKB scores are frozen")
    categories = SkdCategorySerializer(many=True)


def _skd_category(c: ranking.CategoryRanking) -> dict:
    rows = []
    for r in c.rows:
        s = r.score
        rows.append(
            {
                "rank": r.rank,
                "registration_number": r.application.registration_number,
                "name": r.application.applicant.name,
                "twk": s and s.twk,
                "tiu": s and s.tiu,
                "tkp": s and s.tkp,
                "total": s and s.total,
                "grade_met": s is not None and c.grade is not None and c.grade.met_by(s),
                "to_skb": r.to_skb,
                "reason": r.reason,
            }
        )
    return {
        "category": c.category,
        "label": c.label,
        "quota": c.quota,
        "seats": c.seats,
        "grade": ranking.grade_text(c.grade),
        "grade_set": c.grade is not None,
        "to_skb": len(c.skb_rows),
        "rows": rows,
    }


class FormationRankingApi(APIView):
    """The SKD ranking of a formation per category, who goes to the SKB and why not: its committee."""

    @extend_schema(responses=SkdRankingSerializer)
    def get(self, request, formation_id: int):
        formation = access_formation(get_actor(request.user), formation_id)
        result = ranking.formation_ranking(formation)
        data = {
            "formation": formation_ref(formation),
            "blueprint": {"code": result.blueprint.code, "maximum": result.blueprint.maximum},
            "published": result.published,
            "categories": [_skd_category(c) for c in result.categories],
        }
        return Response(SkdRankingSerializer(data).data)


# ---- SKB scores --------------------------------------------------------------------------------------------


class SkbParticipantSerializer(serializers.Serializer):
    """An applicant ranked into the SKB and what is on record of their SKB."""

    category = serializers.CharField(help_text=CATEGORIES)
    registration_number = serializers.CharField()
    name = serializers.CharField()
    recorded = serializers.BooleanField(help_text="a score or an absence is on record")
    score = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)
    maximum = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)
    absent = serializers.BooleanField()
    ipk = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    source = serializers.CharField(help_text=f"{SOURCES}; empty while nothing is on record")
    entered_at = serializers.DateTimeField(allow_null=True)


class SkbScoresSerializer(serializers.Serializer):
    formation = SelectionFormationRefSerializer()
    skb_maximum = serializers.DecimalField(
        max_digits=7, decimal_places=3, allow_null=True, help_text="the formation's SKB maximum once one is on record"
    )
    published = serializers.BooleanField(help_text="the agency's final result is announced: no more changes")
    participants = SkbParticipantSerializer(many=True)


def _participant(category: str, application, skb: SkbScore | None) -> dict:
    return {
        "category": category,
        "registration_number": application.registration_number,
        "name": application.applicant.name,
        "recorded": skb is not None,
        "score": skb and skb.score,
        "maximum": skb and skb.maximum,
        "absent": bool(skb and skb.absent),
        "ipk": skb and skb.ipk,
        "source": skb.source if skb else "",
        "entered_at": skb and skb.entered_at,
    }


class SkbScoresApi(APIView):
    """The SKB participants of a formation with their scores, and the entry of one score or absence
    (ranking.skb_enter): its committee. Correcting a recorded score needs a reason; both are audited."""

    class InputSerializer(serializers.Serializer):
        registration_number = serializers.CharField(max_length=20)
        score = serializers.CharField(
            required=False,
            allow_blank=True,
            allow_null=True,
            default="",
            max_length=12,
            help_text='e.g. 78.5 or "78,5"; empty when absent',
        )
        maximum = serializers.CharField(max_length=12, help_text="the SKB's maximum, the same for the whole formation")
        absent = serializers.BooleanField(required=False, default=False, help_text="tidak hadir (TH)")
        ipk = serializers.CharField(
            required=False, allow_blank=True, allow_null=True, default="", max_length=8, help_text="0–100"
        )
        reason = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=300,
            help_text="required when it changes a recorded score",
        )

        class Meta:
            ref_name = "SkbScoreInput"

    @extend_schema(responses=SkbScoresSerializer)
    def get(self, request, formation_id: int):
        formation = access_formation(get_actor(request.user), formation_id)
        result = ranking.formation_ranking(formation)
        data = {
            "formation": formation_ref(formation),
            "skb_maximum": result.skb_maximum,
            "published": result.published,
            "participants": [
                _participant(c.category, r.application, r.skb) for c in result.categories for r in c.skb_rows
            ],
        }
        return Response(SkbScoresSerializer(data).data)

    @extend_schema(request=InputSerializer, responses=SkbParticipantSerializer)
    def post(self, request, formation_id: int):
        actor = get_actor(request.user)
        formation = access_formation(actor, formation_id)
        data = valid(self.InputSerializer, request.data)
        application = (
            formation.applications.select_related("applicant")
            .filter(registration_number=data["registration_number"].strip())
            .first()
        )
        if application is None:
            raise DomainError(_("Pelamar ini tidak masuk daftar peserta SKB formasinya."), field="registration_number")
        skb = ranking.skb_enter(
            actor=actor,
            application=application,
            score=data["score"],
            maximum=data["maximum"],
            absent=data["absent"],
            ipk=data["ipk"],
            reason=data["reason"],
        )
        return Response(SkbParticipantSerializer(_participant(application.category, application, skb)).data)


# ---- the final list ------------------------------------------------------------------------------------------


class FormationFinalSerializer(serializers.Serializer):
    formation = SelectionFormationRefSerializer()
    published = serializers.BooleanField(help_text="true: the lines as announced, frozen; false: the live preview")
    results = FinalLineSerializer(many=True)


def _formation_final(result: ranking.FormationRanking) -> dict:
    return {
        "formation": formation_ref(result.formation),
        "published": result.published,
        "results": [final_line(x) for x in ranking.final_lines(result)],
    }


class FormationFinalApi(APIView):
    """The final list of a formation (40 % SKD + 60 % SKB): the preview until announced, then as announced."""

    @extend_schema(responses=FormationFinalSerializer)
    def get(self, request, formation_id: int):
        formation = access_formation(get_actor(request.user), formation_id)
        return Response(FormationFinalSerializer(_formation_final(ranking.formation_ranking(formation))).data)


class MissingSkbSerializer(serializers.Serializer):
    formation = serializers.IntegerField(help_text="formation id")
    category = serializers.CharField(help_text=CATEGORIES)
    registration_number = serializers.CharField()
    name = serializers.CharField()


class AgencyResultSerializer(serializers.Serializer):
    period = SelectionPeriodRefSerializer()
    agency = SelectionAgencyRefSerializer()
    published_at = serializers.DateTimeField(allow_null=True, help_text="null until announced")
    missing_skb = MissingSkbSerializer(many=True, help_text="SKB participants without a score: publishing waits")
    formations = FormationFinalSerializer(many=True)


class AgencyResultApi(APIView):
    """The final result of an agency in a period, every formation, and whose SKB score is still missing: what
    the publication page checks. The agency's committee or the national admin."""

    @extend_schema(responses=AgencyResultSerializer)
    def get(self, request, period_id: int, agency_id: int):
        period, agency = access_period_agency(get_actor(request.user), period_id, agency_id)
        rankings = ranking.agency_rankings(period, agency)
        publication = ranking.publication_of(period.pk, agency.pk)
        data = {
            "period": period_ref(period),
            "agency": agency_ref(agency),
            "published_at": publication and publication.published_at,
            "missing_skb": [
                {
                    "formation": f.formation.pk,
                    "category": c.category,
                    "registration_number": r.application.registration_number,
                    "name": r.application.applicant.name,
                }
                for f in rankings
                for c in f.categories
                for r in c.missing_skb
            ],
            "formations": [_formation_final(f) for f in rankings],
        }
        return Response(AgencyResultSerializer(data).data)


class SkbImportResultSerializer(serializers.Serializer):
    recorded = serializers.IntegerField(help_text="scores recorded or changed")


class SkbImportApi(APIView):
    """Import the SKB scores of an agency's SKB participants from the template, xlsx or CSV
    (ranking.skb_import): every row valid or nothing written; each bad row is named (400, field ``file``)."""

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(help_text="xlsx or CSV with the template's header row; at most 5 MB")
        maximum = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=12,
            help_text="the SKB maximum for rows whose maximum column is empty",
        )
        reason = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=300,
            help_text="required when the file changes a recorded score",
        )

        class Meta:
            ref_name = "SkbImportInput"

    @extend_schema(request={"multipart/form-data": InputSerializer}, responses=SkbImportResultSerializer)
    def post(self, request, period_id: int, agency_id: int):
        actor = get_actor(request.user)
        period, agency = access_period_agency(actor, period_id, agency_id)
        data = valid(self.InputSerializer, request.data)
        upload = data["file"]
        try:
            n = ranking.skb_import(
                actor=actor,
                period=period,
                agency=agency,
                data=ranking.skb_file_bytes(upload),
                filename=upload.name,
                maximum=data["maximum"],
                reason=data["reason"],
            )
        except DomainError as exc:
            # The page shows the refusal on top and each bad row on the file field: so does the answer.
            if exc.errors and not any(exc.message in msgs for msgs in exc.errors.values()):
                raise ValidationError({"detail": [exc.message], **exc.errors}) from None
            raise
        return Response(SkbImportResultSerializer({"recorded": n}).data)


class FinalPublishApi(APIView):
    """Announce the agency's final result in the period and freeze it (ranking.final_publish): refused while an
    SKB participant has no score, naming whose. The agency's committee or the national admin."""

    @extend_schema(request=None, responses={201: PublishedResultSerializer})
    def post(self, request, period_id: int, agency_id: int):
        actor = get_actor(request.user)
        period, agency = access_period_agency(actor, period_id, agency_id)
        publication = ranking.final_publish(actor=actor, period=period, agency=agency)
        return Response(published_result(publication), status=status.HTTP_201_CREATED)
