"""The site operator's desk: the sessions of their sites, check-in with seat and PIN, opening a
session, incidents, and the participants' progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import get_actor
from core.errors import DomainError
from exams import operations
from exams.forms import CheckInForm, IncidentForm
from exams.models import ExamIncident, Participant


@login_required
def session_list(request):
    actor = get_actor(request.user)
    sessions = operations.sessions_operated_by(actor).annotate(
        placed=Count("participants", distinct=True),
        finished=Count("participants", filter=Q(participants__finished_at__isnull=False), distinct=True),
    )
    if actor.write_agency_ids is not None and not sessions.exists():
        raise Http404
    today = timezone.localdate()
    show = request.GET.get("hari", "")
    if show != "semua":
        sessions = sessions.filter(starts_at__date__gte=today)
    return render(request, "exams/operator_list.html", {"sessions": sessions[:200], "show": show, "nav": "cat"})


@login_required
def session_desk(request, code: str):
    actor = get_actor(request.user)
    session = get_object_or_404(operations.sessions_operated_by(actor), code=code)
    people = Participant.objects.filter(session=session)
    checkin_form, incident_form = CheckInForm(), IncidentForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "checkin":
                checkin_form = CheckInForm(request.POST)
                if checkin_form.is_valid():
                    p = get_object_or_404(people, pk=checkin_form.cleaned_data["participant"])
                    pin = operations.participant_check_in(
                        actor=actor, participant=p, seat=checkin_form.cleaned_data["seat"]
                    )
                    messages.success(
                        request,
                        _(
                            "%(no)s %(name)s di kursi %(seat)s. PIN: %(pin)s (tunjukkan sekali kepada peserta; tidak disimpan)."
                        )
                        % {"no": p.number, "name": p.name, "seat": checkin_form.cleaned_data["seat"], "pin": pin},
                    )
                    return redirect(request.get_full_path())
            elif action == "open":
                operations.session_open(actor=actor, session=session)
                messages.success(request, _("Sesi dibuka: peserta dapat mulai mengerjakan."))
                return redirect(request.get_full_path())
            elif action == "incident":
                incident_form = IncidentForm(request.POST)
                if incident_form.is_valid():
                    data = incident_form.cleaned_data
                    who = None
                    if data["participant"]:
                        who = people.filter(number=data["participant"].strip()).first()
                        if who is None:
                            raise DomainError(_("Nomor peserta tidak ada di sesi ini."), field="participant")
                    incident = operations.incident_record(
                        actor=actor,
                        session=session,
                        participant=who,
                        kind=data["kind"],
                        started_at=data["started_at"],
                        ended_at=data["ended_at"],
                        note=data["note"],
                    )
                    messages.success(
                        request,
                        _("Gangguan tercatat: %(min)s menit dikembalikan kepada %(n)s peserta.")
                        % {"min": round(incident.lost_seconds / 60, 1), "n": incident.compensated},
                    )
                    return redirect(request.get_full_path())
            elif action == "sweep":
                n = operations.finish_expired(session_id=session.pk)
                messages.info(request, _("%(n)s lembar jawaban yang waktunya habis ditutup.") % {"n": n})
                return redirect(request.get_full_path())
            else:
                raise Http404
        except DomainError as exc:
            form = checkin_form if action == "checkin" else incident_form
            if exc.field and exc.field in form.fields and form.is_bound:
                form.add_error(exc.field, exc.message)
            else:
                messages.error(request, exc.message)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    rows = people.annotate(answered=Count("answers")).order_by("number")
    taken = set(people.exclude(seat="").values_list("seat", flat=True))
    free_seats = [s for s in session.room.seat_labels() if s not in taken]
    now = timezone.now()
    return render(
        request,
        "exams/operator_desk.html",
        {
            "session": session,
            "rows": rows,
            "progress": operations.session_progress(session),
            "free_seats": free_seats,
            "incidents": ExamIncident.objects.filter(session=session).select_related("participant", "recorded_by"),
            "checkin_form": checkin_form,
            "incident_form": incident_form,
            "now": now,
            "nav": "cat",
        },
    )
