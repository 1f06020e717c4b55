"""Staff triage in the Wagtail admin: the borough's reports, one report, its photos.

Every view checks the user's boroughs through ``reporting.selectors``; personal details
are shown only when asked for, through ``selectors.contact_for`` (which logs the read).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from geography.boundaries import borough_name
from reporting import selectors, services
from reporting.admin_outbox import recipient_label
from reporting.forms import AccessLogFilterForm, NoteForm, StaffFilterForm, StatusForm
from reporting.models import AccessLog, ReportPhoto, Status
from reporting.outbox.kinds import label_for
from reporting.risk import QUESTION_BY_KEY, QUESTIONS

PER_PAGE = 50


def _require_staff(request: HttpRequest) -> None:
    if not selectors.is_reporting_staff(request.user):
        raise PermissionDenied


def report_list(request: HttpRequest) -> HttpResponse:
    """The borough's reports: open ones by default, those due soonest first, each with
    the due-by time of its next promise (``selectors.next_promise``)."""
    _require_staff(request)
    reports = selectors.reports_for_staff(request.user)
    form = StaffFilterForm(request.GET or None, teams=selectors.team_choices(reports))
    filters = dict(form.cleaned_data) if form.is_bound and form.is_valid() else {}
    show, sort = filters.pop("show", "") or "open", filters.pop("sort", "") or "due"
    filters = {key: value for key, value in filters.items() if value}
    chosen_status = filters.get("status", "")
    if not chosen_status:  # a status chosen is more specific than "Show"
        if show == "open":
            filters["open_only"] = True
        elif show == "closed":
            filters["status"] = Status.CLOSED
    filtered = selectors.with_last_contact(selectors.filter_reports(reports, **filters))
    if sort in ("due", "-due"):
        rows = selectors.by_due(selectors.reports_with_promises(filtered), reverse=sort == "-due")
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    else:
        ordered = filtered.order_by("created_at" if sort == "received" else "-created_at", "pk")
        page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("p"))
        page.object_list = selectors.reports_with_promises(page.object_list)
    codes = selectors.staff_borough_codes(request.user)
    return TemplateResponse(
        request,
        "reporting/admin/list.html",
        {
            "header_title": "ASB reports",
            "page_title": "ASB reports",
            "form": form,
            "page_obj": page,
            "rows": page.object_list,
            "caption": (
                f"Reports with the status {Status(chosen_status).label}"
                if chosen_status
                else SHOWN[show]
            )
            + f", {SORT_WORDS[sort]}",
            "sort_due": _sort_link(request, sort, "due"),
            "sort_received": _sort_link(request, sort, "received"),
            "show_borough": codes is None or len(codes) > 1,
            "borough_names": ", ".join(sorted(borough_name(c) or c for c in (codes or []))),
            "query_string": _query_without_page(request),
        },
    )


SHOWN = {"open": "Open reports", "closed": "Closed reports", "all": "All reports"}
SORT_WORDS = {
    "due": "due soonest first",
    "-due": "due latest first",
    "-received": "newest first",
    "received": "oldest first",
}
# Per sortable column: its first sort (the one a click on an unsorted column gives) and
# the other one; the first of each pair is what aria-sort calls it.
SORTS = {"due": ("due", "-due", "ascending"), "received": ("-received", "received", "descending")}


def _sort_link(request: HttpRequest, current: str, column: str) -> dict:
    """The column heading's link (sorting it, or the other way if it is sorted) and its
    ``aria-sort`` state."""
    first, other, first_state = SORTS[column]
    states = {
        first: first_state,
        other: "descending" if first_state == "ascending" else "ascending",
    }
    query = request.GET.copy()
    query.pop("p", None)
    query["sort"] = other if current == first else first
    return {"url": "?" + query.urlencode(), "aria_sort": states.get(current, "")}


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("p", None)
    return query.urlencode()


def _answers(report) -> list[tuple[str, str]]:
    rows = []
    for question in QUESTIONS:
        value = report.screening_answers.get(question.key)
        values = value if isinstance(value, list) else [value] if value else []
        labels = [
            (QUESTION_BY_KEY[question.key].option(v).label if question.option(v) else v)
            for v in values
        ]
        rows.append((question.text, ", ".join(labels) or "Not answered"))
    return rows


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    report = selectors.report_for_staff(request.user, pk)
    status_form = StatusForm(initial={"status": report.status})
    note_form = NoteForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "status":
            status_form = StatusForm(request.POST)
            if status_form.is_valid():
                try:
                    services.apply_update(
                        report=report,
                        status=status_form.cleaned_data["status"],
                        message=status_form.cleaned_data["message"],
                        user=request.user,
                    )
                except ValueError:  # the same status and no message: nothing to save
                    status_form.add_error(
                        "message",
                        "The report already has this status. Choose a new status or write "
                        "a message to the resident.",
                    )
                else:
                    messages.success(request, f"{report.reference}: status saved.")
                    return redirect("reporting_admin:detail", pk=report.pk)
        elif action == "note":
            note_form = NoteForm(request.POST)
            if note_form.is_valid():
                services.add_staff_note(
                    report=report, user=request.user, note=note_form.cleaned_data["note"]
                )
                messages.success(request, f"{report.reference}: note added.")
                return redirect("reporting_admin:detail", pk=report.pk)
    show_contact = request.GET.get("contact") == "1"
    if not show_contact:  # (showing the contact details logs that, below)
        selectors.record_access(request.user, report, AccessLog.What.REPORT, purpose="view report")
    contact = (
        selectors.contact_for(report, request.user, purpose="view contact details")
        if show_contact
        else None
    )
    return TemplateResponse(
        request,
        "reporting/admin/detail.html",
        {
            "header_title": f"ASB report {report.reference}",
            "page_title": f"ASB report {report.reference}",
            "report": report,
            "borough_name": borough_name(report.borough_code),
            "answers": _answers(report),
            "linked": selectors.linked_reports(report),
            "timeline": selectors.staff_timeline(report),
            "outbox_rows": [
                (message, label_for(message.kind), recipient_label(message))
                for message in report.outbox_messages.order_by("created_at", "id")
            ],
            "photos": list(report.photos.all()),
            "show_contact": show_contact,
            "contact": contact,
            "status_form": status_form,
            "note_form": note_form,
            "list_url": reverse("reporting_admin:list"),
        },
    )


def report_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    _require_staff(request)
    report = selectors.report_for_staff(request.user, pk)
    photo = ReportPhoto.objects.filter(report=report, pk=photo_pk).first()
    if photo is None:
        raise Http404
    selectors.record_access(
        request.user, report, AccessLog.What.PHOTO, purpose="view photo", object_id=photo.pk
    )
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def callbacks(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    codes = selectors.staff_borough_codes(request.user)
    return TemplateResponse(
        request,
        "reporting/admin/callbacks.html",
        {
            "header_title": "Call-back survey results",
            "page_title": "Call-back survey results",
            "boroughs": selectors.callback_summary(codes),
        },
    )


@require_http_methods(["GET"])
def access_log(request: HttpRequest) -> HttpResponse:
    """Who looked at which victim's data, for borough leads; read only (the log has no
    edit or delete view anywhere)."""
    _require_staff(request)
    if not request.user.has_perm("reporting.view_accesslog"):
        raise PermissionDenied
    form = AccessLogFilterForm(request.GET or None)
    logs = selectors.access_log_for(request.user)
    if form.is_valid():
        logs = selectors.filter_access_log(logs, **form.cleaned_data)
    page = Paginator(logs, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "reporting/admin/access_log.html",
        {
            "header_title": "Who looked at reports",
            "page_title": "Access log",
            "form": form,
            "page_obj": page,
            "query_string": _query_without_page(request),
        },
    )
