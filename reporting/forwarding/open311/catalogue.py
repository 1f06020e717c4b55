"""What the portal offers over Open311: one service per national ASB category, each with
attribute definitions for the qualifier and the screening questions (from
``reporting.risk.QUESTIONS``, so the words and the scoring can never drift apart)."""

from __future__ import annotations

from reporting.risk import QUESTIONS
from standards.categories import CATEGORIES, CATEGORY_BY_CODE, QUALIFIERS

GROUP = "Anti-social behaviour"


def services() -> list[dict]:
    return [
        {
            "service_code": category.code,
            "service_name": category.label,
            "description": category.explanation,
            "metadata": True,
            "type": "realtime",
            "keywords": "asb, anti-social behaviour",
            "group": GROUP,
        }
        for category in CATEGORIES
    ]


def is_service(code: str) -> bool:
    return code in CATEGORY_BY_CODE


def attributes() -> list[dict]:
    rows = [
        {
            "variable": True,
            "code": "qualifier",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": "Who or what the behaviour affects.",
            "order": 1,
            "description": "Who or what does it affect?",
            "values": [{"key": q.code, "name": q.question} for q in QUALIFIERS],
        }
    ]
    for order, question in enumerate(QUESTIONS, start=2):
        rows.append(
            {
                "variable": True,
                "code": question.key,
                "datatype": "multivaluelist" if question.multiple else "singlevaluelist",
                "required": False,
                "datatype_description": question.hint,
                "order": order,
                "description": question.text,
                "values": [{"key": o.value, "name": o.label} for o in question.options],
            }
        )
    return rows


def definition(code: str) -> dict:
    return {"service_code": code, "attributes": attributes()}
