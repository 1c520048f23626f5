"""Pages of the open selection for senior (JPT) posts: set-up, the members' desks, ranking and proposal."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from organization.models import Agency
from recruitment import open_selection as jpt
from recruitment.forms_jpt import CandidateAddForm, DeclarationForm, MemberAddForm, SelectionForm, StageScoreForm
from recruitment.models import SelectionCandidate, SelectionMember

PAGE_SIZE = 25


def _count(model):
    rows = model.objects.filter(selection=OuterRef("pk")).order_by().values("selection").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), Value(0))


@login_required
def jpt_list(request):
    """Selections the user oversees or sits on, newest first."""
    actor = get_actor(request.user)
    qs = (
        jpt.selections_visible_to(actor)
        .select_related("agency")
        .annotate(
            n_candidates=_count(SelectionCandidate),
            n_members=_count(SelectionMember),
            is_member=Exists(SelectionMember.objects.filter(selection=OuterRef("pk"), user=request.user)),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "recruitment/jpt/list.html",
        {"page": page, "can_create": actor.can_write_registry, "nav": "recruitment"},
    )


@login_required
def jpt_create(request):
    """Set up a selection: the five stages and their weights, the committee and the candidates."""
    actor = get_actor(request.user)
    if not actor.can_write_registry:
        raise PermissionDenied(_("Seleksi terbuka dibentuk oleh admin kepegawaian instansi."))
    agencies = Agency.objects.order_by("name")
    if actor.write_agency_ids is not None:
        agencies = agencies.filter(pk__in=actor.write_agency_ids)
    choices = (
        list(agencies.only("pk", "name")) if actor.write_agency_ids is None or len(actor.write_agency_ids) > 1 else []
    )
    wanted = request.POST.get("agency") or request.GET.get("instansi")
    agency = (
        agencies.first() if not choices else agencies.filter(pk=int(wanted) if str(wanted).isdigit() else 0).first()
    )
    if agency is None:
        return render(request, "recruitment/jpt/create.html", {"agencies": choices, "nav": "recruitment"})
    form = SelectionForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            selection = jpt.selection_create(
                actor=actor,
                agency=agency,
                position_title=form.cleaned_data["position_title"],
                members=list(form.cleaned_data["members"]),
                candidates=form.cleaned_data["candidates"],
                stages=form.stages(),
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Seleksi terbuka dibentuk."))
            return redirect("recruitment:jpt_detail", pk=selection.pk)
    return render(
        request,
        "recruitment/jpt/create.html",
        {"form": form, "agency": agency, "agencies": choices, "nav": "recruitment"},
    )


@login_required
def jpt_detail(request, pk: int):
    """The selection at a glance; its admin adds candidates and members here."""
    actor = get_actor(request.user)
    selection = jpt.access_selection(actor, pk, for_write=request.method == "POST")
    candidate_form = member_form = None
    manager = actor.can_write_agency(selection.agency_id)
    if manager:
        posted = request.POST.get("action") if request.method == "POST" else None
        candidate_form = CandidateAddForm(request.POST if posted == "candidate" else None, agency=selection.agency)
        member_form = MemberAddForm(request.POST if posted == "member" else None, selection=selection)
        form = {"candidate": candidate_form, "member": member_form}.get(posted)
        if request.method == "POST" and form is None:
            raise Http404
        if form is not None and form.is_valid():
            try:
                if posted == "candidate":
                    value = form.cleaned_data["candidate"]
                    is_name = isinstance(value, str)
                    jpt.candidate_add(
                        actor=actor,
                        selection=selection,
                        name=value if is_name else "",
                        employee=None if is_name else value,
                    )
                    messages.success(request, _("Peserta ditambahkan."))
                else:
                    jpt.member_add(actor=actor, selection=selection, user=form.cleaned_data["user"])
                    messages.success(request, _("Anggota panitia ditambahkan."))
            except DomainError as exc:
                apply_to_form(form, exc)
            else:
                return redirect("recruitment:jpt_detail", pk=selection.pk)
    members = list(selection.members.select_related("user").prefetch_related("conflicts").order_by("pk"))
    return render(
        request,
        "recruitment/jpt/detail.html",
        {
            "selection": selection,
            "stages": selection.stages.all(),
            "candidates": selection.candidates.select_related("employee"),
            "members": members,
            "me": next((m for m in members if m.user_id == request.user.pk), None),
            "manager": manager,
            "oversee": jpt.can_oversee(actor, selection),
            "adding_candidates": manager and not selection.proposed_at and not any(m.declared_at for m in members),
            "candidate_form": candidate_form,
            "member_form": member_form,
            "nav": "recruitment",
        },
    )


def _desk(request, selection, *, form=None, stage_id=None, status=200):
    actor = get_actor(request.user)
    member = jpt.member_of(actor, selection)
    if member is None:
        raise PermissionDenied(_("Hanya anggota panitia seleksi ini yang dapat membuka meja penilaian."))
    ctx = {"selection": selection, "member": member, "nav": "recruitment"}
    if member.declared_at is None:
        ctx["declaration"] = form or DeclarationForm(selection=selection)
        return render(request, "recruitment/jpt/member.html", ctx, status=status)
    member, desk = jpt.member_desk(actor, selection)
    blank = StageScoreForm(candidates=[r.candidate for r in desk[0].rows] if desk else [])
    for d in desk:
        f = form if d.stage.pk == stage_id and form is not None else blank
        d.form = f
        for r in d.rows:
            r.field = f[f"c{r.candidate.pk}"]
    ctx.update(desk=desk, conflicts=list(member.conflicts.all()))
    return render(request, "recruitment/jpt/member.html", ctx, status=status)


@login_required
def jpt_member(request, pk: int):
    """A member's desk: the conflict-of-interest statement first, then their own scores stage by stage."""
    actor = get_actor(request.user)
    selection = jpt.access_selection(actor, pk)
    if request.method == "POST":
        if jpt.member_of(actor, selection) is None:
            raise PermissionDenied(_("Hanya anggota panitia seleksi ini yang dapat membuka meja penilaian."))
        form = DeclarationForm(request.POST, selection=selection)
        if form.is_valid():
            try:
                jpt.conflicts_declare(
                    actor=actor,
                    selection=selection,
                    conflicts=list(form.cleaned_data["conflicts"]),
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                if exc.code == "declared":
                    messages.error(request, exc.message)
                    return redirect("recruitment:jpt_member", pk=selection.pk)
                apply_to_form(form, exc)
            else:
                messages.success(request, _("Pernyataan konflik kepentingan tersimpan. Silakan menilai."))
                return redirect("recruitment:jpt_member", pk=selection.pk)
        return _desk(request, selection, form=form)
    return _desk(request, selection)


@login_required
@require_POST
def jpt_score(request, pk: int, stage_id: int):
    """Send this member's scores for a stage; sent scores never change."""
    actor = get_actor(request.user)
    selection = jpt.access_selection(actor, pk)
    stage = get_object_or_404(selection.stages, pk=stage_id)
    if jpt.member_of(actor, selection) is None:
        raise PermissionDenied(_("Hanya anggota panitia seleksi ini yang dapat menilai."))
    form = StageScoreForm(request.POST, candidates=list(selection.candidates.all()))
    if form.is_valid():
        try:
            sent = jpt.stage_scores_submit(actor=actor, stage=stage, scores=form.scores())
        except DomainError as exc:
            if exc.code == "undeclared":
                messages.error(request, exc.message)
                return redirect("recruitment:jpt_member", pk=selection.pk)
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("%(n)d nilai tahap %(stage)s terkirim.") % {"n": len(sent), "stage": stage.name}
            )
            return redirect(reverse("recruitment:jpt_member", kwargs={"pk": selection.pk}) + f"#tahap-{stage.pk}")
    return _desk(request, selection, form=form, stage_id=stage.pk, status=400)


def _chart(board) -> dict:
    """Weighted points per stage, stacked per candidate in rank order."""
    return {
        "labels": [r["candidate"].name for r in board.rows],
        "datasets": [
            {"label": f"{st.name} ({st.weight}%)", "data": [float(r["stages"][i]["weighted"]) for r in board.rows]}
            for i, st in enumerate(board.stages)
        ],
        "stacked": True,
        "suggestedMax": 100,
    }


@login_required
def jpt_ranking(request, pk: int):
    """Completeness per stage; the weighted ranking only once every score is in."""
    actor = get_actor(request.user)
    selection = jpt.access_selection(actor, pk)
    board = jpt.selection_board(selection)
    show = board.complete or selection.proposed_at is not None
    manager = actor.can_write_agency(selection.agency_id)
    return render(
        request,
        "recruitment/jpt/ranking.html",
        {
            "selection": selection,
            "board": board,
            "show_values": show,
            "chart": _chart(board) if show else None,
            "can_propose": manager and board.complete and not selection.proposed_at,
            "manager": manager,
            "is_member": jpt.member_of(actor, selection) is not None,
            "proposed_count": jpt.PROPOSED,
            "nav": "recruitment",
        },
    )


@login_required
@require_POST
def jpt_propose(request, pk: int):
    """Propose the best three to the appointing official (PPK), in one audited step."""
    actor = get_actor(request.user)
    selection = jpt.access_selection(actor, pk, for_write=True)
    try:
        jpt.selection_propose(actor=actor, selection=selection)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("recruitment:jpt_ranking", pk=selection.pk)
    messages.success(request, _("Tiga terbaik diusulkan kepada pejabat pembina kepegawaian."))
    return redirect("recruitment:jpt_proposal", pk=selection.pk)


@login_required
def jpt_proposal(request, pk: int):
    """The proposal to the appointing official, ready to print."""
    actor = get_actor(request.user)
    selection = jpt.access_selection(actor, pk)
    if not selection.proposed_at:
        raise Http404
    board = jpt.selection_board(selection)
    by_id = {r["candidate"].pk: r for r in board.rows}
    by_name = {r["candidate"].name: r for r in board.rows}
    proposal = [
        {**p, "score": Decimal(p["score"]), "row": by_id.get(p.get("candidate_id")) or by_name.get(p["candidate"])}
        for p in selection.proposal or []
    ]
    employees = {
        c.pk: c.employee for c in selection.candidates.select_related("employee").filter(employee__isnull=False)
    }
    for p in proposal:
        p["employee"] = employees.get(p["row"]["candidate"].pk) if p["row"] else None
    return render(
        request,
        "recruitment/jpt/proposal.html",
        {"selection": selection, "proposal": proposal, "board": board, "nav": "recruitment"},
    )
