"""SKP plans over REST: the plan page and one endpoint per workflow step."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.access import get_actor
from core.errors import DomainError
from performance import selectors
from performance.access import access_skp
from performance.api.common import (
    PERIOD_QUERY,
    EmployeeRefSerializer,
    IndicatorRefSerializer,
    PeriodSerializer,
    PositionRefSerializer,
    RhkRefSerializer,
    UnitRefSerializer,
    _one,
    _period_in,
    _pk,
    _query_id,
    _rhk_in,
    _valid,
)
from performance.choices import Aspect, Behaviour, Rating, SkpStatus
from performance.models import (
    Assessment,
    BehaviourExpectation,
    Evidence,
    Feedback,
    Indicator,
    PerformanceYear,
    Period,
    Realization,
    Rhk,
    RhkIndicator,
    Skp,
    SkpVersion,
)
from performance.services import during, plan, rating
from performance.services.common import actor_employee, is_assessor, supervision_problem
from personnel.models import Employee
from personnel.supervision import employee_snapshot

# ---- plans (SKP) ---------------------------------------------------------------------------------


class RhkIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = RhkIndicator
        fields = ["aspect", "text", "target"]


class SupportedRhkSerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer(source="skp.employee")

    class Meta:
        model = Rhk
        fields = ["id", "text", "employee"]


class RealizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Realization
        fields = ["id", "rhk", "period", "text", "updated_at"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "rhk", "period", "kind", "url", "file", "note", "created_at"]


class RhkSerializer(serializers.ModelSerializer):
    """An RHK with the supervisor's RHK it supports (or its IKU), its indicators, and progress per period."""

    supports = SupportedRhkSerializer(allow_null=True)
    indicator = IndicatorRefSerializer(allow_null=True)
    indicators = RhkIndicatorSerializer(many=True)
    realizations = RealizationSerializer(many=True, source="progress_realizations")
    evidence = EvidenceSerializer(many=True, source="progress_evidence")

    class Meta:
        model = Rhk
        fields = ["id", "text", "order", "supports", "indicator", "indicators", "realizations", "evidence"]


def _attach_progress(rhks, periods, realizations: dict, evidence: dict) -> list[Rhk]:
    """Put each RHK's realizations and evidence (keyed by (rhk id, period id)) on it, in period order."""
    for r in rhks:
        r.progress_realizations = [realizations[(r.pk, p.pk)] for p in periods if (r.pk, p.pk) in realizations]
        r.progress_evidence = [ev for p in periods for ev in evidence.get((r.pk, p.pk), [])]
    return rhks


def _rhk_out(rhk_id: int) -> dict:
    rhk = selectors.rhk_queryset().filter(pk=rhk_id).select_related("skp__perf_year").first()
    periods = list(rhk.skp.perf_year.periods.all())
    realizations = {(x.rhk_id, x.period_id): x for x in Realization.objects.filter(rhk=rhk)}
    evidence: dict = {}
    for ev in Evidence.objects.filter(rhk=rhk):
        evidence.setdefault((ev.rhk_id, ev.period_id), []).append(ev)
    return RhkSerializer(_attach_progress([rhk], periods, realizations, evidence)[0]).data


class ExpectationSerializer(serializers.Serializer):
    behaviour = serializers.ChoiceField(choices=Behaviour.choices)
    text = serializers.CharField()


class SkpVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkpVersion
        fields = ["version", "approved_at", "content"]


class AssessmentSerializer(serializers.ModelSerializer):
    period_label = serializers.CharField(source="period.label")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "skp",
            "period",
            "period_label",
            "result_rating",
            "behaviour_rating",
            "behaviour_notes",
            "predikat",
            "status",
            "finalized_at",
            "curve_justification",
        ]


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "rhk", "behaviour", "text", "reply", "replied_at", "author_label", "created_at"]


class RatingCountsSerializer(serializers.Serializer):
    above = serializers.IntegerField()
    meets = serializers.IntegerField()
    below = serializers.IntegerField()


class PeerCountsSerializer(serializers.Serializer):
    raters = serializers.IntegerField()
    values = serializers.DictField(child=RatingCountsSerializer(), help_text="per BerAKHLAK value")


class PeerSummarySerializer(serializers.Serializer):
    period = serializers.IntegerField()
    label = serializers.CharField()
    summary = PeerCountsSerializer(allow_null=True, help_text="null while fewer than three people have answered")


class PlanRightsSerializer(serializers.Serializer):
    owner = serializers.BooleanField(help_text="edits the plan, adds evidence and realizations, replies")
    assessor = serializers.BooleanField(help_text="the direct supervisor today: approves, gives feedback, rates")
    peer_input = serializers.BooleanField(help_text="may give anonymous 360° input")


class SkpSerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer()
    year = serializers.IntegerField(source="perf_year.year")
    agency = serializers.CharField(source="employee.agency.code")
    position = PositionRefSerializer()
    unit = UnitRefSerializer()
    assessor = EmployeeRefSerializer(allow_null=True)

    class Meta:
        model = Skp
        fields = [
            "id",
            "employee",
            "perf_year",
            "year",
            "agency",
            "position",
            "unit",
            "is_jpt",
            "status",
            "version",
            "assessor",
            "assessor_external",
            "submitted_at",
            "approved_at",
        ]


class SkpDetailSerializer(SkpSerializer):
    """The plan page: the cascade, workflow state, versions, and per period progress, feedback and ratings."""

    assessor_position = serializers.CharField(source="assessor_position.title", allow_null=True)
    supervision_problem = serializers.CharField(source="detail.supervision_problem", allow_null=True)
    can = PlanRightsSerializer(source="detail.can")
    periods = PeriodSerializer(many=True, source="detail.periods")
    rhks = RhkSerializer(many=True, source="detail.rhks")
    expectations = ExpectationSerializer(many=True, source="detail.expectations")
    versions = SkpVersionSerializer(many=True, source="detail.versions")
    assessments = AssessmentSerializer(many=True, source="detail.assessments")
    feedback = FeedbackSerializer(many=True, source="detail.feedback")
    peer_summaries = PeerSummarySerializer(many=True, source="detail.peer_summaries")

    class Meta(SkpSerializer.Meta):
        fields = SkpSerializer.Meta.fields + [
            "return_comment",
            "assessor_position",
            "supervision_problem",
            "can",
            "periods",
            "rhks",
            "expectations",
            "versions",
            "assessments",
            "feedback",
            "peer_summaries",
        ]


def _peer(period: Period, skp: Skp) -> dict:
    return {"period": period.pk, "label": period.label, "summary": selectors.peer_summary(skp, period)}


def skp_detail_data(actor, skp: Skp) -> dict:
    """The plan as the API shows it: selectors.skp_detail plus the caller's part in it."""
    data = selectors.skp_detail(skp)
    day = timezone.localdate()
    periods = data["periods"]
    by_id = {p.pk: p for p in periods}
    assessments = sorted(data["assessments"].values(), key=lambda a: by_id[a.period_id].number)
    for a in assessments:
        a.period = by_id[a.period_id]
    skp.detail = {
        "supervision_problem": supervision_problem(skp.employee, day),
        "can": {
            "owner": actor.employee_id == skp.employee_id,
            "assessor": is_assessor(actor, skp.employee, day),
            "peer_input": during.may_give_peer_input(actor, skp, day),
        },
        "periods": periods,
        "rhks": _attach_progress(data["rhks"], periods, data["realizations"], data["evidence"]),
        "expectations": [{"behaviour": b, "text": t} for b, t in data["expectations"].items()],
        "versions": data["versions"],
        "assessments": assessments,
        "feedback": data["feedback"],
        "peer_summaries": [_peer(p, skp) for p in periods],
    }
    return SkpDetailSerializer(skp).data


class SkpCreateSerializer(serializers.Serializer):
    perf_year = serializers.IntegerField()
    employee = serializers.CharField(required=False, allow_blank=True, help_text="NIP; by default the caller")


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, help_text="what to change")


class RhkIndicatorInputSerializer(serializers.Serializer):
    aspect = serializers.ChoiceField(choices=Aspect.choices)
    text = serializers.CharField(allow_blank=True)
    target = serializers.CharField(allow_blank=True)


class RhkInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=500)
    supports = serializers.IntegerField(
        required=False, allow_null=True, help_text="id of the direct supervisor's RHK this one supports"
    )
    indicator = serializers.IntegerField(required=False, allow_null=True, help_text="id of the IKU (for a JPT's plan)")
    indicators = RhkIndicatorInputSerializer(many=True)


class ExpectationInputSerializer(serializers.Serializer):
    behaviour = serializers.ChoiceField(choices=Behaviour.choices)
    text = serializers.CharField(allow_blank=True, help_text="empty removes the expectation")


class FeedbackInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    rhk = serializers.IntegerField(required=False, allow_null=True)
    behaviour = serializers.ChoiceField(choices=Behaviour.choices, required=False, allow_blank=True, default="")


class FeedbackReplySerializer(serializers.Serializer):
    feedback = serializers.IntegerField()
    reply = serializers.CharField(allow_blank=True)


class RealizationInputSerializer(serializers.Serializer):
    rhk = serializers.IntegerField()
    period = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True)


class EvidenceInputSerializer(serializers.Serializer):
    rhk = serializers.IntegerField()
    period = serializers.IntegerField()
    url = serializers.URLField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class PeerInputSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    ratings = serializers.DictField(
        child=serializers.ChoiceField(choices=Rating.choices), help_text="BerAKHLAK value → rating"
    )


class PeerInputResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class AssessmentInputSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    result_rating = serializers.ChoiceField(
        choices=Rating.choices,
        required=False,
        allow_null=True,
        help_text="ignored for a unit head: the unit's predikat decides it",
    )
    behaviour_rating = serializers.ChoiceField(choices=Rating.choices)
    behaviour_notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


class RhkOptionsSerializer(serializers.Serializer):
    supervisor_rhks = RhkRefSerializer(many=True, help_text="the direct supervisor's RHK this year, to support")
    indicators = IndicatorRefSerializer(many=True, help_text="IKU of the agency or the unit (a JPT's plan)")
    assessor = EmployeeRefSerializer(allow_null=True)
    assessor_external = serializers.CharField()
    supervision_problem = serializers.CharField(allow_null=True)


class SkpFilter(filters.FilterSet):
    perf_year = filters.NumberFilter(field_name="perf_year_id")
    year = filters.NumberFilter(field_name="perf_year__year")
    employee = filters.CharFilter(field_name="employee__nip", help_text="NIP")
    assessor = filters.CharFilter(field_name="assessor__nip", help_text="NIP of the assessing official")
    status = filters.ChoiceFilter(choices=SkpStatus.choices)

    class Meta:
        model = Skp
        fields = []


RHK_PATH = OpenApiParameter("rhk_id", int, OpenApiParameter.PATH)


class SkpViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """SKP plans the caller may read; each workflow step is its own endpoint, checked and audited by its service."""

    serializer_class = SkpSerializer
    filterset_class = SkpFilter

    def get_queryset(self):
        return (
            Skp.objects.visible_to(get_actor(self.request.user))
            .select_related("employee__agency", "perf_year", "position", "unit", "assessor")
            .order_by("-perf_year__year", "employee__name", "id")
        )

    def _plan(self, request, pk) -> tuple:
        actor = get_actor(request.user)
        return actor, access_skp(actor, _pk(pk))

    def _detail(self, actor, skp_id: int, code: int = 200) -> Response:
        return Response(skp_detail_data(actor, access_skp(actor, skp_id)), status=code)

    @extend_schema(responses=SkpDetailSerializer)
    def retrieve(self, request, pk=None):
        actor, skp = self._plan(request, pk)
        return Response(skp_detail_data(actor, skp))

    @extend_schema(request=SkpCreateSerializer, responses={201: SkpDetailSerializer})
    def create(self, request):
        """Start a plan for the year (plan.skp_create): one's own, or any employee's for the HR admin."""
        actor = get_actor(request.user)
        data = _valid(SkpCreateSerializer, request.data)
        perf_year = _one(
            PerformanceYear.objects.visible_to(actor),
            data["perf_year"],
            "perf_year",
            _("Tahun kinerja tidak ditemukan."),
        )
        if data.get("employee"):
            employee = (
                Employee.objects.visible_to(actor)
                .select_related("current_position__unit")
                .filter(nip=data["employee"])
                .first()
            )
            if employee is None:
                raise DomainError(_("Pegawai tidak ditemukan."), field="employee")
        else:
            employee = actor_employee(actor)
            if employee is None:
                raise DomainError(
                    _("Akun ini tidak terhubung ke data pegawai: sebutkan NIP pegawai."), field="employee"
                )
        skp = plan.skp_create(actor=actor, employee=employee, perf_year=perf_year)
        return self._detail(actor, skp.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SkpDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the plan to the direct supervisor (plan.skp_submit): the owner."""
        actor, skp = self._plan(request, pk)
        plan.skp_submit(actor=actor, skp=skp)
        return self._detail(actor, skp.pk)

    @extend_schema(request=None, responses=SkpDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the submitted plan (plan.skp_approve): the direct supervisor."""
        actor, skp = self._plan(request, pk)
        plan.skp_approve(actor=actor, skp=skp)
        return self._detail(actor, skp.pk)

    @extend_schema(request=ReturnSerializer, responses=SkpDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Send the plan back with what to change (plan.skp_return): the direct supervisor."""
        actor, skp = self._plan(request, pk)
        data = _valid(ReturnSerializer, request.data)
        plan.skp_return(actor=actor, skp=skp, comment=data["comment"])
        return self._detail(actor, skp.pk)

    @extend_schema(responses=RhkOptionsSerializer)
    @action(detail=True, url_path="rhk-options")
    def rhk_options(self, request, pk=None):
        """What a new RHK may support: the direct supervisor's RHK, or for a JPT the IKU (the owner only)."""
        actor, skp = self._plan(request, pk)
        if actor.employee_id != skp.employee_id:
            raise Http404
        day = timezone.localdate()
        link = employee_snapshot(skp.employee, day).supervisor_of(skp.employee_id)
        supervisor_rhks = (
            Rhk.objects.filter(skp__employee_id=link.employee_id, skp__perf_year__year=skp.perf_year.year)
            if link.employee_id
            else Rhk.objects.none()
        )
        indicators = (
            Indicator.objects.filter(perf_year=skp.perf_year).filter(Q(unit__isnull=True) | Q(unit=skp.unit))
            if skp.is_jpt
            else Indicator.objects.none()
        )
        data = {
            "supervisor_rhks": list(supervisor_rhks),
            "indicators": list(indicators),
            "assessor": Employee.objects.filter(pk=link.employee_id).first() if link.employee_id else None,
            "assessor_external": link.external,
            "supervision_problem": supervision_problem(skp.employee, day),
        }
        return Response(RhkOptionsSerializer(data).data)

    def _sources(self, skp: Skp, data: dict) -> dict:
        """The RHK's link: the supervisor's RHK (the service's cascade check refuses a wrong one) or an IKU."""
        return {
            "supports": _one(
                Rhk.objects.select_related("skp__perf_year"),
                data.get("supports"),
                "supports",
                _("RHK atasan yang diintervensi tidak ditemukan."),
            ),
            "indicator": _one(
                Indicator.objects.filter(perf_year=skp.perf_year),
                data.get("indicator"),
                "indicator",
                _("IKU tidak ditemukan pada tahun kinerja ini."),
            ),
            "text": data["text"],
            "indicators": [(i["aspect"], i["text"], i["target"]) for i in data["indicators"]],
        }

    @extend_schema(request=RhkInputSerializer, responses={201: RhkSerializer})
    @action(detail=True, methods=["post"])
    def rhk(self, request, pk=None):
        """Add a work-result plan with its indicators (plan.rhk_add): the owner."""
        actor, skp = self._plan(request, pk)
        data = _valid(RhkInputSerializer, request.data)
        rhk = plan.rhk_add(actor=actor, skp=skp, **self._sources(skp, data))
        return Response(_rhk_out(rhk.pk), status=status.HTTP_201_CREATED)

    @extend_schema(methods=["PUT"], parameters=[RHK_PATH], request=RhkInputSerializer, responses=RhkSerializer)
    @extend_schema(methods=["DELETE"], parameters=[RHK_PATH], request=None, responses={204: None})
    @action(detail=True, methods=["put", "delete"], url_path=r"rhks/(?P<rhk_id>[0-9]+)")
    def rhk_detail(self, request, pk=None, rhk_id=None):
        """Change (plan.rhk_update) or remove (plan.rhk_delete) a work-result plan: the owner."""
        actor, skp = self._plan(request, pk)
        rhk = skp.rhks.select_related("skp").filter(pk=rhk_id).first()
        if rhk is None:
            raise Http404
        if request.method == "DELETE":
            plan.rhk_delete(actor=actor, rhk=rhk)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _valid(RhkInputSerializer, request.data)
        plan.rhk_update(actor=actor, rhk=rhk, **self._sources(skp, data))
        return Response(_rhk_out(rhk.pk))

    @extend_schema(request=ExpectationInputSerializer, responses=ExpectationSerializer(many=True))
    @action(detail=True, methods=["post"])
    def expectation(self, request, pk=None):
        """Set (or with empty text remove) the supervisor's expectation for a BerAKHLAK value (plan.expectation_set)."""
        actor, skp = self._plan(request, pk)
        data = _valid(ExpectationInputSerializer, request.data)
        plan.expectation_set(actor=actor, skp=skp, behaviour=data["behaviour"], text=data["text"])
        rows = BehaviourExpectation.objects.filter(skp=skp).order_by("behaviour")
        return Response(ExpectationSerializer(rows, many=True).data)

    @extend_schema(request=FeedbackInputSerializer, responses={201: FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """Give feedback on an RHK or a behaviour (during.feedback_give): the direct supervisor."""
        actor, skp = self._plan(request, pk)
        data = _valid(FeedbackInputSerializer, request.data)
        fb = during.feedback_give(
            actor=actor, skp=skp, rhk=_rhk_in(skp, data.get("rhk")), behaviour=data["behaviour"], text=data["text"]
        )
        return Response(FeedbackSerializer(fb).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FeedbackReplySerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"], url_path="feedback-reply")
    def feedback_reply(self, request, pk=None):
        """Reply to a feedback note (during.feedback_reply): the owner."""
        actor, skp = self._plan(request, pk)
        data = _valid(FeedbackReplySerializer, request.data)
        fb = _one(
            skp.feedback.select_related("skp__employee"),
            data["feedback"],
            "feedback",
            _("Umpan balik bukan bagian dari SKP ini."),
        )
        return Response(FeedbackSerializer(during.feedback_reply(actor=actor, feedback=fb, reply=data["reply"])).data)

    @extend_schema(request=RealizationInputSerializer, responses=RealizationSerializer)
    @action(detail=True, methods=["post"])
    def realization(self, request, pk=None):
        """Record what an RHK achieved in a period (during.realization_set): the owner."""
        actor, skp = self._plan(request, pk)
        data = _valid(RealizationInputSerializer, request.data)
        rhk, period = _rhk_in(skp, data["rhk"]), _period_in(skp.perf_year_id, data["period"])
        obj = during.realization_set(actor=actor, rhk=rhk, period=period, text=data["text"])
        return Response(RealizationSerializer(obj).data)

    @extend_schema(request=EvidenceInputSerializer, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def evidence(self, request, pk=None):
        """Attach a link or (multipart) a file as evidence of an RHK in a period (during.evidence_add): the owner."""
        actor, skp = self._plan(request, pk)
        data = _valid(EvidenceInputSerializer, request.data)
        rhk, period = _rhk_in(skp, data["rhk"]), _period_in(skp.perf_year_id, data["period"])
        ev = during.evidence_add(
            actor=actor, rhk=rhk, period=period, url=data["url"], file=data["file"], note=data["note"]
        )
        return Response(EvidenceSerializer(ev).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PeerInputSerializer, responses={201: PeerInputResultSerializer})
    @action(detail=True, methods=["post"], url_path="peer-input")
    def peer_input(self, request, pk=None):
        """Anonymous 360° input for a period (during.peer_input_submit): a peer or a direct subordinate.

        Peers do not read each other's plans, so the plan is found among those the caller reads or, failing that,
        among the plans of the caller's agency that the service's own rule lets them rate; anyone else gets 404."""
        actor = get_actor(request.user)
        skp = self._peer_target(actor, pk)
        data = _valid(PeerInputSerializer, request.data)
        period = _period_in(skp.perf_year_id, data["period"])
        n = during.peer_input_submit(actor=actor, skp=skp, period=period, ratings=data["ratings"])
        return Response({"count": n}, status=status.HTTP_201_CREATED)

    def _peer_target(self, actor, pk) -> Skp:
        skp_id = _pk(pk)
        try:
            return access_skp(actor, skp_id)
        except Http404:
            pass
        me = actor_employee(actor)
        if me is not None:
            skp = (
                Skp.objects.select_related("employee", "perf_year")
                .filter(pk=skp_id, employee__agency_id=me.agency_id)
                .first()
            )
            if skp is not None and during.may_give_peer_input(actor, skp, timezone.localdate()):
                return skp
        raise Http404

    @extend_schema(parameters=[PERIOD_QUERY], responses=PeerSummarySerializer)
    @action(detail=True, url_path="peer-summary")
    def peer_summary(self, request, pk=None):
        """360° input as counts per behaviour; the summary is null while fewer than three people have answered."""
        _actor, skp = self._plan(request, pk)
        period = skp.perf_year.periods.filter(pk=_query_id(request, "period")).first()
        if period is None:
            raise Http404
        return Response(PeerSummarySerializer(_peer(period, skp)).data)

    @extend_schema(request=AssessmentInputSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def assessment(self, request, pk=None):
        """Rate a period, as a draft until the unit is finalized (rating.assessment_save): the direct supervisor."""
        actor, skp = self._plan(request, pk)
        data = _valid(AssessmentInputSerializer, request.data)
        a = rating.assessment_save(
            actor=actor,
            skp=skp,
            period=_period_in(skp.perf_year_id, data["period"]),
            result_rating=data.get("result_rating"),
            behaviour_rating=data["behaviour_rating"],
            behaviour_notes=data.get("behaviour_notes") or {},
        )
        return Response(AssessmentSerializer(a).data)
