"""The national question bank: list, one item with its versions, import, revise, retire; and the item
analysis of a session. National admins only; everyone else gets 404, as for anything out of scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_actor
from core.errors import DomainError, apply_to_form
from core.export import XLSX_TYPE, xlsx_response
from exams import bank as bank_services
from exams import rules
from exams.bank_stats import LABELS, export_rows, flag_label, question_stats, session_item_analysis
from exams.forms_bank import ImportForm, RetireForm, ReviseForm
from exams.models import ExamSession, Participant, Question

PAGE_SIZE = 50
ERRORS_SHOWN = 500
STATUSES = {"aktif": Q(active=True), "nonaktif": Q(active=False), "semua": Q()}


def _national(request):
    actor = get_actor(request.user)
    if not bank_services.can_manage_bank(actor):
        raise Http404
    return actor


def _chart(stats) -> dict:
    labels = [label.upper() for label in stats.labels] + [_("Kosong")]
    values = [stats.option_counts.get(label, 0) for label in stats.labels] + [stats.unanswered]
    return {"labels": labels, "label": _("Peserta"), "values": values}


@login_required
def bank(request):
    """The bank: the latest version of each item, filtered and paginated, with its statistics."""
    _national(request)
    params = {
        "subtes": request.GET.get("subtes", "") if request.GET.get("subtes") in rules.SUBTESTS else "",
        "status": request.GET.get("status") if request.GET.get("status") in STATUSES else "aktif",
        "q": request.GET.get("q", "").strip()[:100],
    }
    qs = Question.objects.filter(STATUSES[params["status"]], superseded_by__isnull=True)
    if params["subtes"]:
        qs = qs.filter(subtest=params["subtes"])
    if params["q"]:
        qs = qs.filter(Q(text__icontains=params["q"]) | Q(code__icontains=params["q"]))
    blueprint_order = Case(*[When(subtest=s, then=Value(i)) for i, s in enumerate(rules.SUBTESTS)], default=Value(9))
    page = Paginator(qs.order_by(blueprint_order, "code", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    questions = list(page.object_list)
    # The list shows counts and shares only: the review flags need every single response and are
    # computed on one item's page and on a session's analysis, where the rows are few.
    stats = question_stats([q.pk for q in questions], with_analysis=False)
    active = dict(Question.objects.filter(active=True).order_by().values_list("subtest").annotate(n=Count("pk")))
    pool = [
        {
            "subtest": part.subtest,
            "label": part.subtest.upper(),
            "active": active.get(part.subtest, 0),
            "need": part.questions,
            "short": active.get(part.subtest, 0) < part.questions,
        }
        for part in rules.SKD_2021.parts
    ]
    finished = Participant.objects.filter(session=OuterRef("pk"), finished_at__isnull=False)
    sessions = ExamSession.objects.filter(Exists(finished)).select_related("room__site").order_by("-starts_at")[:20]
    return render(
        request,
        "exams/bank/list.html",
        {
            "page": page,
            "rows": [(q, stats[q.pk]) for q in questions],
            "params": params,
            "subtests": rules.SUBTESTS,
            "statuses": list(STATUSES),
            "pool": pool,
            "sessions": sessions,
            "nav": "exams",
        },
    )


def _versions(question: Question) -> list[Question]:
    if question.code:
        return list(Question.objects.filter(code=question.code).order_by("-version").prefetch_related("options"))
    # Items without a code (seeded before codes) chain by ``supersedes`` alone; chains are short.
    chain, seen = [question], {question.pk}
    nxt = Question.objects.filter(supersedes=question).first()
    while nxt is not None and nxt.pk not in seen and len(chain) < 100:
        chain.insert(0, nxt)
        seen.add(nxt.pk)
        nxt = Question.objects.filter(supersedes=nxt).first()
    prev = question.supersedes
    while prev is not None and prev.pk not in seen and len(chain) < 100:
        chain.append(prev)
        seen.add(prev.pk)
        prev = prev.supersedes
    return list(Question.objects.filter(pk__in=seen).order_by("-version").prefetch_related("options"))


@login_required
def bank_question(request, pk: int):
    """One item: its text and key, its statistics with the review flags, and every version."""
    _national(request)
    question = get_object_or_404(Question, pk=pk)
    versions = _versions(question)
    stats = question_stats([v.pk for v in versions])
    current = next(v for v in versions if v.pk == question.pk)
    s = stats[question.pk]
    return render(
        request,
        "exams/bank/question.html",
        {
            "question": current,
            "stats": s,
            "flags": [flag_label(f) for f in s.flags],
            "versions": [(v, stats[v.pk], [flag_label(f) for f in stats[v.pk].flags]) for v in versions],
            "chart": _chart(s),
            "retire_form": RetireForm(),
            "revisable": current.active and current.pk == versions[0].pk,
            "nav": "exams",
        },
    )


@login_required
def bank_revise(request, pk: int):
    """Revise one item: the change becomes a new version and the old one is retired."""
    actor = _national(request)
    question = get_object_or_404(Question.objects.prefetch_related("options"), pk=pk)
    form = ReviseForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            new = bank_services.question_revise(
                actor=actor,
                question=question,
                text=form.cleaned_data["text"],
                options=form.options(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Revisi tersimpan sebagai versi %(v)s.") % {"v": new.version})
            return redirect("exams:bank_question", pk=new.pk)
    return render(request, "exams/bank/revise.html", {"form": form, "question": question, "nav": "exams"})


@login_required
@require_POST
def bank_retire(request, pk: int):
    """Take one item out of the pool that new sheets are drawn from."""
    actor = _national(request)
    question = get_object_or_404(Question, pk=pk)
    form = RetireForm(request.POST)
    form.is_valid()
    try:
        bank_services.question_retire(actor=actor, question=question, reason=form.cleaned_data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Soal dinonaktifkan: tidak lagi diambil untuk lembar soal baru."))
    return redirect("exams:bank_question", pk=question.pk)


@login_required
def bank_import(request):
    """Upload an xlsx of questions: all rows are written, or none and a list of what to fix."""
    actor = _national(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result, refused = None, None
    if request.method == "POST" and form.is_valid():
        try:
            result = bank_services.import_questions(actor=actor, file=form.cleaned_data["file"])
        except bank_services.ImportRefused as exc:
            refused = exc
        except DomainError as exc:
            apply_to_form(form, exc)
    return render(
        request,
        "exams/bank/import.html",
        {
            "form": form,
            "result": result,
            "refused": refused,
            "errors_shown": refused.rows[:ERRORS_SHOWN] if refused else [],
            "errors_hidden": max(0, len(refused.rows) - ERRORS_SHOWN) if refused else 0,
            "columns": bank_services.COLUMNS,
            "layout_rules": bank_services.layout_rules(),
            "max_rows": bank_services.MAX_ROWS,
            "nav": "exams",
        },
    )


@login_required
def bank_template(request):
    """The import template, an xlsx with two example rows and a sheet of instructions."""
    _national(request)
    response = HttpResponse(bank_services.template_bytes(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-bank-soal.xlsx"'
    return response


@login_required
def analysis(request, session_id: int):
    """Item analysis of one session: every delivered item, those to review first; xlsx on request."""
    _national(request)
    session = get_object_or_404(ExamSession.objects.select_related("room__site"), pk=session_id)
    rows = session_item_analysis(session)
    if request.GET.get("export") == "xlsx":
        headers, data = export_rows(rows)
        return xlsx_response(f"analisis-butir-{session.code}", headers, data, title=_("Analisis butir"))
    finished = Participant.objects.filter(session=session, finished_at__isnull=False).count()
    return render(
        request,
        "exams/bank/analysis.html",
        {
            "session": session,
            "rows": rows,
            "labels": LABELS,
            "finished": finished,
            "flagged": sum(1 for r in rows if r.stats.flags),
            "nav": "exams",
        },
    )
