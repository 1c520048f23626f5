"""Evaluation of training: the participant's reaction survey once an event is over, and the direct
supervisor's follow-up three months after a completion (has the behaviour changed?)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from learning import services
from learning.choices import CLOSED_STATUSES, EnrollmentStatus
from learning.forms_reports import FollowUpForm, ReactionForm
from learning.models import Enrollment
from personnel.supervision import agency_snapshot


def _subordinates_enrolments(actor):
    """Enrolments of the employees in the posts directly under the actor's (empty for a non-supervisor)."""
    if actor.employee_id is None or not actor.supervised_paths:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(employee__current_position__path__in=actor.supervised_paths)


def due_follow_ups(actor, day: datetime.date | None = None) -> list[Enrollment]:
    """Completions of the actor's direct reports at least three months old with no follow-up yet."""
    day = day or timezone.localdate()
    rows = list(
        _subordinates_enrolments(actor)
        .filter(
            status=EnrollmentStatus.COMPLETED,
            completed_on__lte=day - services.FOLLOW_UP_AFTER,
            follow_up__isnull=True,
            employee__status="active",
        )
        .select_related("employee__current_unit", "event__program")
        .order_by("completed_on", "employee__name", "pk")
    )
    # The post tree says who is under whom; the supervision rules (acting holders) say who answers for them.
    snapshots = {a: agency_snapshot(a, day) for a in {e.employee.agency_id for e in rows}}
    return [
        e for e in rows if snapshots[e.employee.agency_id].supervisor_of(e.employee_id).employee_id == actor.employee_id
    ]


@login_required
def home(request):
    """The participant's finished training with its reaction survey, and the supervisor's follow-ups due."""
    actor = get_actor(request.user)
    if actor.employee_id is None:
        raise Http404
    own = list(
        Enrollment.objects.filter(employee_id=actor.employee_id, status__in=CLOSED_STATUSES)
        .select_related("event__program", "reaction")
        .order_by("-event__ends_on", "-pk")
    )
    pending = [e for e in own if not hasattr(e, "reaction")]
    done = [e for e in own if hasattr(e, "reaction")]
    due = due_follow_ups(actor) if actor.is_supervisor else []
    return render(
        request,
        "learning/evaluation/home.html",
        {"nav": "learning", "pending": pending, "done": done, "due_count": len(due), "supervisor": actor.is_supervisor},
    )


@login_required
def reaction(request, enrollment_id: int):
    """The participant rates relevance, material, facilitator and organisation (1–5) and may suggest."""
    actor = get_actor(request.user)
    if actor.employee_id is None:
        raise Http404
    enrollment = (
        Enrollment.objects.filter(pk=enrollment_id, employee_id=actor.employee_id)
        .select_related("event__program", "reaction")
        .first()
    )
    if enrollment is None:
        raise Http404
    form = ReactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reaction_submit(actor=actor, enrollment=enrollment, **form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Terima kasih, evaluasi pelatihan tersimpan."))
            return redirect("learning:evaluation")
    survey = getattr(enrollment, "reaction", None)
    return render(
        request,
        "learning/evaluation/reaction.html",
        {"nav": "learning", "enrollment": enrollment, "form": form, "survey": survey},
        status=400 if form.errors else 200,
    )


@login_required
def follow_ups(request):
    """The supervisor's list of completions due for the three-month follow-up."""
    actor = get_actor(request.user)
    if not actor.is_supervisor or actor.employee_id is None:
        raise Http404
    return render(request, "learning/evaluation/follow_ups.html", {"nav": "learning", "rows": due_follow_ups(actor)})


@login_required
def follow_up(request, enrollment_id: int):
    """The supervisor says whether the behaviour changed since the training."""
    actor = get_actor(request.user)
    enrollment = (
        _subordinates_enrolments(actor)
        .filter(pk=enrollment_id)
        .select_related("employee__current_unit", "event__program", "follow_up")
        .first()
    )
    if enrollment is None:
        raise Http404
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_submit(actor=actor, enrollment=enrollment, **form.cleaned_data)
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Tindak lanjut pascapelatihan tersimpan."))
            return redirect("learning:evaluation_follow_ups")
    return render(
        request,
        "learning/evaluation/follow_up.html",
        {
            "nav": "learning",
            "enrollment": enrollment,
            "form": form,
            "done": getattr(enrollment, "follow_up", None),
            "due": enrollment.completed_on + services.FOLLOW_UP_AFTER if enrollment.completed_on else None,
        },
        status=400 if form.errors else 200,
    )
