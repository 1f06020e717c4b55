"""The resident's pages: the report flow, the confirmation, following a report.

Views validate and delegate; rules live in forms, the wizard, services and selectors.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

import throttling
from geography.boundaries import borough_name
from geography.reverse import Description, describe
from geography.search import search_places
from reporting import error_messages, ids, links, messages, selectors, services, summary
from reporting.forms import (
    AddInformationForm,
    CallbackForm,
    FindReportForm,
    PhotosForm,
    SubmitForm,
    WhereForm,
)
from reporting.models import PendingUpload, Report, Status
from reporting.photos import ACCEPT_ATTRIBUTE, MAX_PHOTOS, PhotoError, clean_photo, max_megabytes
from reporting.routing import OutsideLondon
from reporting.wizard import (
    STEP_BY_SLUG,
    STEPS,
    SUBMITTED_KEY,
    Flow,
    Step,
    build_draft,
    next_step,
    previous_step,
)
from standards import selectors as standards_selectors

PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "same-origin",  # never leak the private link to other sites
    "X-Robots-Tag": "noindex, nofollow",
}


def _private(response: HttpResponse) -> HttpResponse:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def step_url(slug: str, *, change: bool = False) -> str:
    url = reverse("reporting:step", args=[slug])
    return f"{url}?change=1" if change else url


def _after(flow: Flow, slug: str, changing: bool) -> str:
    if changing and flow.first_missing() is None:
        return reverse("reporting:check")
    following = next_step(slug)
    return step_url(following.slug) if following else reverse("reporting:check")


def _back_url(slug: str, changing: bool) -> str:
    if changing:
        return reverse("reporting:check")
    before = previous_step(slug)
    return step_url(before.slug) if before else reverse("reporting:start")


def _context(step: Step, changing: bool, **extra) -> dict:
    return {
        "expired": extra.pop("expired", False),
        "step": step,
        "step_number": [s.slug for s in STEPS].index(step.slug) + 1,
        "step_count": len(STEPS),
        "changing": changing,
        "back_url": _back_url(step.slug, changing),
        "action_url": step_url(step.slug, change=changing),
        **extra,
    }


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "reporting/start.html", {"first_step_url": step_url(STEPS[0].slug)}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str) -> HttpResponse:
    current = STEP_BY_SLUG.get(slug)
    if current is None:
        raise Http404
    flow = Flow(request.session)
    if not flow.is_reachable(slug):
        missing = flow.first_missing()
        url = step_url(missing.slug) if missing else reverse("reporting:check")
        # Answers sent to a later step with none before it: the session ran out.
        return redirect(url + ("?expired=1" if request.method == "POST" else ""))
    changing = request.GET.get("change") == "1"
    if slug == "where":
        return _where(request, flow, current, changing)
    if slug == "photos":
        return _photos(request, flow, current, changing)
    if request.method == "POST":
        form = current.form_class(request.POST)
        if form.is_valid():
            flow.store(slug, form.stored_data())
            if slug == "safety" and form.cleaned_data["danger"] == "yes":
                return redirect("reporting:emergency")
            return redirect(_after(flow, slug, changing))
    else:
        form = current.form_class(initial=flow.answers.get(slug))
    context = _context(current, changing, form=form, expired=request.GET.get("expired") == "1")
    return TemplateResponse(request, current.template, context)


def _where(request: HttpRequest, flow: Flow, current: Step, changing: bool) -> HttpResponse:
    search = None
    if request.method == "POST" and request.POST.get("action") == "search":
        query = request.POST.get("query", "").strip()[:200]
        if query:
            search = search_places(query)
            flow.places = search.places
            flow.save()
        # Keep what else was typed; a new search replaces any earlier choice of place.
        form = WhereForm(initial={**request.POST.dict(), "place": ""}, places=flow.places)
        if not query:
            form = WhereForm(data={"query": ""}, places=flow.places)
            form.full_clean()
            form.errors.clear()  # only the empty search is wrong here
            form.add_error("query", error_messages.WHERE["query"]["required"])
    elif request.method == "POST":
        form = WhereForm(request.POST, places=flow.places)
        if form.is_valid():
            flow.store(current.slug, form.stored_data())
            return redirect(_after(flow, current.slug, changing))
    else:
        form = WhereForm(initial=flow.answers.get(current.slug), places=flow.places)
    point = form.point()
    context = _context(
        current,
        changing,
        form=form,
        search=search,
        point=point,
        point_place=describe(*point) if point else None,
    )
    return TemplateResponse(request, current.template, context)


@never_cache
@require_POST
def where_describe(request: HttpRequest) -> JsonResponse:
    """The words for a pin on the "where" step's map:
    {"inside", "label", "attribution", "message"}.

    POST (with the page's CSRF token) so that the point stays out of access logs and
    caches. Only numbers in range are accepted; anything else is a 400, never a 5xx."""
    try:
        latitude = float(request.POST.get("lat", ""))
        longitude = float(request.POST.get("lon", ""))
    except ValueError:
        latitude = longitude = math.nan
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):  # nan fails too
        return _private(JsonResponse({"error": "Send lat and lon as numbers"}, status=400))
    place = describe(latitude, longitude)
    return _private(
        JsonResponse(
            {
                "inside": place is not None,
                "label": place.text if place else None,
                "attribution": place.attribution if place else "",
                "message": "" if place else error_messages.OUTSIDE_LONDON_MESSAGE,
            }
        )
    )


def report_place(report: Report) -> Description | None:
    """Where a report's pin is, in words, for the resident's own private pages (None if it
    has no pin, or the words would only repeat the borough)."""
    if not report.has_point:
        return None
    place = describe(report.latitude, report.longitude)
    if place is None or place.text == borough_name(report.borough_code):
        return None
    return place


def _photos(request: HttpRequest, flow: Flow, current: Step, changing: bool) -> HttpResponse:
    uploads = _pending_uploads(flow)
    form = PhotosForm(already=len(uploads))
    errors: list[str] = []
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove:
            if remove in flow.photo_keys:
                services.discard_pending_uploads(keys=[remove])
                flow.photo_keys.remove(remove)
                flow.save()
            return redirect(step_url(current.slug, change=changing))
        form = PhotosForm(request.POST, request.FILES, already=len(uploads))
        if form.is_valid():
            for upload in form.cleaned_data["photos"]:
                try:
                    photo = clean_photo(upload)
                except PhotoError as error:
                    errors.append(str(error))
                    continue
                flow.photo_keys.append(services.store_pending_upload(photo=photo).key)
            flow.mark_visited(current.slug)
            if not errors:
                if request.POST.get("action") == "upload":
                    return redirect(step_url(current.slug, change=changing))
                return redirect(_after(flow, current.slug, changing))
        else:
            errors = [str(e) for e in form.errors.get("photos", [])]
        uploads = _pending_uploads(flow)
    context = _context(
        current,
        changing,
        form=form,
        photo_errors=errors,
        uploads=uploads,
        max_photos=MAX_PHOTOS,
        can_add=len(uploads) < MAX_PHOTOS,
        max_megabytes=max_megabytes(),
        accept=ACCEPT_ATTRIBUTE,
    )
    return TemplateResponse(request, current.template, context)


def _pending_uploads(flow: Flow) -> list[PendingUpload]:
    uploads = list(PendingUpload.objects.filter(key__in=flow.photo_keys).order_by("id"))
    known = {upload.key for upload in uploads}
    if len(known) != len(flow.photo_keys):  # purged meanwhile: forget them
        flow.photo_keys = [key for key in flow.photo_keys if key in known]
        flow.save()
    return uploads


@never_cache
def pending_photo(request: HttpRequest, key: str) -> HttpResponse:
    """A photo the resident uploaded in this session (nobody else can see it)."""
    flow = Flow(request.session)
    if key not in flow.photo_keys:
        raise Http404
    upload = PendingUpload.objects.filter(key=key).first()
    if upload is None:
        raise Http404
    return _private(FileResponse(upload.image.open("rb"), content_type="image/jpeg"))


@never_cache
def emergency(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "reporting/emergency.html", {"continue_url": step_url("category")}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    flow = Flow(request.session)
    valid = flow.valid_forms()
    if valid is None or flow.first_missing() is not None:
        if request.method == "POST" and request.session.get(SUBMITTED_KEY):
            return redirect("reporting:confirmation")  # a second click on "Send report"
        missing = flow.first_missing()
        url = step_url(missing.slug if missing else STEPS[0].slug)
        return redirect(url + ("?expired=1" if request.method == "POST" else ""))
    submit_form = SubmitForm(request.POST or None)
    if request.method == "POST" and submit_form.is_valid():
        if submit_form.cleaned_data["website"]:
            return TemplateResponse(request, "reporting/rejected.html", status=400)
        if not throttling.allow(
            request, scope="submit", limit=settings.REPORTING_SUBMISSIONS_PER_HOUR
        ):
            return TemplateResponse(request, "reporting/rate_limited.html", status=429)
        draft = build_draft(valid)  # the answers validated above (not all again)
        try:
            submitted = services.submit_report(
                draft=draft,
                photo_keys=flow.photo_keys,
                equality=flow.equality(),
                submission_key=flow.submission_key,
            )
        except OutsideLondon:
            return redirect(step_url("where", change=True))
        flow.clear()
        request.session[SUBMITTED_KEY] = submitted.report.pk
        request.session.cycle_key()
        return redirect("reporting:confirmation")
    uploads = _pending_uploads(flow)
    where = valid["where"].cleaned_data
    place = (
        describe(where["latitude"], where["longitude"])
        if where.get("latitude") is not None
        else None
    )
    context = {
        "sections": summary.sections(valid, uploads=uploads, change_url=step_url),
        "attribution": place.attribution if place else "",
        "submit_form": submit_form,
        "back_url": step_url(STEPS[-1].slug),
    }
    return TemplateResponse(request, "reporting/check.html", context)


@never_cache
def confirmation(request: HttpRequest) -> HttpResponse:
    report_id = request.session.get(SUBMITTED_KEY)
    report = Report.objects.filter(pk=report_id).first() if report_id else None
    if report is None:
        return redirect("reporting:start")
    borough_page = standards_selectors.borough_page_for_code(report.borough_code)
    commitment = commitment_due = None
    if borough_page is not None and hasattr(borough_page, "commitment_for"):
        commitment = borough_page.commitment_for("first_contact")
        commitment_due = commitment.due_by(report.created_at) if commitment else None
    context = {
        "report": report,
        "tracking_url": request.build_absolute_uri(links.tracking_path(report)),
        "borough_name": borough_name(report.borough_code),
        "place": report_place(report),
        "borough_page": borough_page,
        "commitment": commitment,
        "commitment_due": commitment_due,
        "emailed": report.outbox_messages.filter(kind=messages.RESIDENT_CONFIRMATION).exists(),
    }
    return _private(TemplateResponse(request, "reporting/confirmation.html", context).render())


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, token: str) -> HttpResponse:
    report = selectors.report_by_token(token)
    if report is None:
        return _private(
            TemplateResponse(request, "reporting/track_not_found.html", status=404).render()
        )
    posted = request.POST if request.method == "POST" else None
    form = AddInformationForm(posted) if report.is_open else None
    if request.method == "POST" and form is not None and form.is_valid():
        services.add_resident_info(report=report, text=form.cleaned_data["information"])
        return redirect(reverse("reporting:track", args=[token]) + "?added=1#timeline")
    context = {
        "report": report,
        "timeline": selectors.public_timeline(report),
        "borough_name": borough_name(report.borough_code),
        "place": report_place(report),
        "form": form,
        "added": request.GET.get("added") == "1",
        "callback_path": "" if report.is_open else selectors.callback_path_for(report),
    }
    return _private(TemplateResponse(request, "reporting/track.html", context).render())


@never_cache
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Ask for the private link again: it goes to the email on the report, never to the
    screen, and the answer is the same whether or not the details matched."""
    form = FindReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"]
        if not throttling.allow(
            request,
            scope="find",
            limit=settings.REPORTING_LOOKUPS_PER_HOUR,
            key=ids.normalise_reference(reference),
        ):
            return TemplateResponse(request, "reporting/rate_limited.html", status=429)
        services.send_tracking_link(reference=reference, email=form.cleaned_data["email"])
        return redirect("reporting:find_sent")
    return _private(TemplateResponse(request, "reporting/find.html", {"form": form}).render())


@never_cache
def find_sent(request: HttpRequest) -> HttpResponse:
    return _private(TemplateResponse(request, "reporting/find_sent.html").render())


@never_cache
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, token: str) -> HttpResponse:
    """The quality call-back questions, reached from the link in the invitation."""
    survey = selectors.survey_for_token(token)
    if survey is None or survey.report.status != Status.CLOSED:
        raise Http404("No such survey")
    if survey.answered_at is not None:
        return _private(render(request, "reporting/callback_done.html", {"survey": survey}))
    form = CallbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.answer_callback(survey=survey, answers=form.cleaned_data)
        return _private(render(request, "reporting/callback_done.html", {"survey": survey}))
    return _private(render(request, "reporting/callback.html", {"survey": survey, "form": form}))
