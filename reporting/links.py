"""Absolute links the portal puts in what it sends: the resident's private tracking link,
the call-back survey, the report in the staff admin."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse

from reporting import ids


def absolute(path: str) -> str:
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", path.lstrip("/"))


def tracking_path(report) -> str:
    return reverse("reporting:track", args=[ids.tracking_token(report.tracking_nonce)])


def tracking_url(report) -> str:
    return absolute(tracking_path(report))


def staff_url(report) -> str:
    return absolute(reverse("reporting_admin:detail", args=[report.pk]))


def find_url() -> str:
    return absolute(reverse("reporting:find"))


def callback_path(survey) -> str:
    return reverse("reporting:callback", args=[ids.survey_token(survey.nonce)])


def callback_url(survey) -> str:
    return absolute(callback_path(survey))


def outbox_url() -> str:
    return absolute(reverse("outbox_admin:index"))
