"""The outbox in the Wagtail admin, for staff allowed to see it (``outbox.view_message``)
and only for their own boroughs: per borough what is queued, in flight, delivered and
dead and how long the oldest has waited; every message with its attempts and the
receiving server's reasons; "Send again" for a dead one (``outbox.retry_message``).

Nothing personal is shown: a resident is "the resident", never an address, and the
reasons stored for residents' messages have their address removed.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.admin import messages as admin_messages

from geography.boundaries import borough_name
from reporting import selectors
from reporting.outbox import selectors as outbox_selectors
from reporting.outbox import services as outbox
from reporting.outbox.kinds import label_for
from reporting.outbox.models import Audience, Message, State

PER_PAGE = 50
RETRYABLE = (State.DEAD, State.RETRYING)


def may_view(user) -> bool:
    return selectors.is_reporting_staff(user) and user.has_perm("outbox.view_message")


def may_retry(user) -> bool:
    return may_view(user) and user.has_perm("outbox.retry_message")


def _codes(request: HttpRequest) -> set[str] | None:
    if not may_view(request.user):
        raise PermissionDenied
    return selectors.staff_borough_codes(request.user)


class OutboxFilterForm(forms.Form):
    borough = forms.ChoiceField(required=False, label="Borough")
    state = forms.ChoiceField(
        required=False, label="State", choices=[("", "Any state"), *State.choices]
    )
    audience = forms.ChoiceField(
        required=False, label="For", choices=[("", "Anyone"), *Audience.choices]
    )

    def __init__(self, *args, boroughs: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["borough"].choices = [("", "All your boroughs"), *boroughs]


def recipient_label(message: Message) -> str:
    if message.audience == Audience.RESIDENT:
        return "The resident"
    if message.config_id:
        return str(message.config)
    return message.recipient


def index(request: HttpRequest) -> HttpResponse:
    codes = _codes(request)
    summary = outbox_selectors.borough_summary(codes)
    visible = codes if codes is not None else {row.borough_code for row in summary}
    boroughs = sorted(
        ((code, borough_name(code) or code) for code in visible if code), key=lambda b: b[1]
    )
    form = OutboxFilterForm(request.GET or None, boroughs=boroughs)
    found = outbox_selectors.messages_for_boroughs(codes)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["borough"]:
            found = found.filter(borough_code=data["borough"])
        if data["state"]:
            found = found.filter(state=data["state"])
        if data["audience"]:
            found = found.filter(audience=data["audience"])
    page = Paginator(found.order_by("-created_at", "-id"), PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "reporting/admin/outbox.html",
        {
            "header_title": "Outbox",
            "page_title": "Outbox",
            "summary": summary,
            "totals": outbox_selectors.totals(codes),
            "overdue": selectors.overdue_to_boroughs(codes),
            "form": form,
            "page_obj": page,
            "rows": [(m, label_for(m.kind), recipient_label(m)) for m in page.object_list],
            "query_string": query.urlencode(),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    codes = _codes(request)
    message = get_object_or_404(outbox_selectors.messages_for_boroughs(codes), pk=pk)
    return TemplateResponse(
        request,
        "reporting/admin/outbox_message.html",
        {
            "header_title": f"Message {message.pk}",
            "page_title": f"Outbox message {message.pk}",
            "message": message,
            "what": label_for(message.kind),
            "recipient": recipient_label(message),
            "attempts": outbox_selectors.attempts_of(message),
            "can_retry": message.state in RETRYABLE and may_retry(request.user),
        },
    )


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    codes = _codes(request)
    if not may_retry(request.user):
        raise PermissionDenied
    message = get_object_or_404(outbox_selectors.messages_for_boroughs(codes), pk=pk)
    if outbox.retry_now(message=message, user=request.user):
        admin_messages.success(request, f"Message {message.pk} will be sent again now.")
    else:
        admin_messages.error(request, f"Message {message.pk} is not waiting to be sent again.")
    return redirect("outbox_admin:message", pk=pk)
