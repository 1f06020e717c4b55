"""Reads of the forwarding app that are more than one line."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from reporting.forwarding.models import (
    CallbackSurvey,
    CaseSystemConfig,
    Delivery,
    DeliveryState,
    Open311ApiKey,
)
from reporting.forwarding.tokens import hash_secret, survey_token


def config_for(borough_code: str) -> CaseSystemConfig | None:
    return CaseSystemConfig.objects.filter(borough_code=borough_code).first()


def survey_for_token(token: str) -> CallbackSurvey | None:
    if not token or len(token) > 100:
        return None
    return (
        CallbackSurvey.objects.select_related("report")
        .filter(token_hash=hash_secret(token))
        .first()
    )


def callback_path_for(report) -> str:
    """The survey link for a closed report's tracking page, or '' (none, or answered)."""
    from django.urls import reverse

    survey = CallbackSurvey.objects.filter(report=report, answered_at__isnull=True).first()
    if survey is None:
        return ""
    return reverse("forwarding:callback", args=[survey_token(survey.nonce)])


def api_key_for(key: str) -> Open311ApiKey | None:
    if not key or len(key) > 200:
        return None
    return Open311ApiKey.objects.filter(key_hash=hash_secret(key), revoked_at__isnull=True).first()


def deliveries_for_boroughs(codes: set[str] | None) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.select_related("report", "config")
    if codes is not None:
        deliveries = deliveries.filter(borough_code__in=codes)
    return deliveries


def dead_deliveries(codes: set[str] | None) -> QuerySet[Delivery]:
    return deliveries_for_boroughs(codes).filter(state=DeliveryState.DEAD).order_by("-dead_at")


def delivery_counts(codes: set[str] | None) -> dict[str, int]:
    rows = deliveries_for_boroughs(codes).values("state").annotate(n=Count("id")).order_by()
    counts = {state: 0 for state in DeliveryState.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


QUESTIONS = ("told_action", "seriousness", "know_action", "satisfaction")


def callback_summary(codes: set[str] | None) -> list[dict]:
    """Per borough: surveys sent, answered, and the count of each answer to each question."""
    from geography.boundaries import borough_name

    surveys = CallbackSurvey.objects.all()
    if codes is not None:
        surveys = surveys.filter(borough_code__in=codes)
    boroughs: dict[str, dict] = {}
    for row in surveys.values("borough_code").annotate(n=Count("id")).order_by("borough_code"):
        boroughs[row["borough_code"]] = {
            "borough_code": row["borough_code"],
            "borough_name": borough_name(row["borough_code"]) or row["borough_code"],
            "invited": row["n"],
            "answered": 0,
            "questions": [],
        }
    answered = surveys.filter(answered_at__isnull=False)
    for row in answered.values("borough_code").annotate(n=Count("id")).order_by():
        boroughs[row["borough_code"]]["answered"] = row["n"]
    for name in QUESTIONS:
        field = CallbackSurvey._meta.get_field(name)
        counts: dict[str, dict[str, int]] = {}
        for row in answered.values("borough_code", name).annotate(n=Count("id")).order_by():
            counts.setdefault(row["borough_code"], {})[row[name]] = row["n"]
        for code, summary in boroughs.items():
            per_answer = counts.get(code, {})
            total = sum(per_answer.values())
            summary["questions"].append(
                {
                    "question": str(field.verbose_name),
                    "answers": [
                        {
                            "label": label,
                            "count": per_answer.get(value, 0),
                            "percent": round(100 * per_answer.get(value, 0) / total)
                            if total
                            else 0,
                        }
                        for value, label in field.choices
                    ],
                }
            )
    return list(boroughs.values())
