"""The reference case system's HTML admin pages: the case list and one case's page.

Every value is escaped. The list shows no personal data: no names, emails, phones or
descriptions. A case's page shows the description (staff need it) but only says which
contact details were given ("email given"), never the details.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

STATUS_LABELS = {"received": "Received", "in_progress": "In progress", "closed": "Closed"}
STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; padding: 1rem; max-width: 75rem;
  color: #0b0c0c; background: #fff; line-height: 1.4; }
a { color: #1d70b8; } a:visited { color: #4c2c92; }
a:focus, button:focus { outline: 3px solid #fd0; outline-offset: 0; background: #fd0;
  color: #0b0c0c; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: bold; padding: .5rem 0; }
th, td { border-bottom: 1px solid #b1b4b6; padding: .5rem; text-align: left;
  vertical-align: top; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: bold; } dd { margin: 0; }
.risk { font-weight: bold; color: #942514; }
button { font: inherit; padding: .5rem 1rem; border: 0; background: #00703c; color: #fff;
  box-shadow: 0 2px 0 #002d18; cursor: pointer; }
p.description { white-space: pre-wrap; }
"""


def when(value: str) -> str:
    """A stored UTC time as people read it: 4 Dec 2026, 14:05 UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, AttributeError):
        return value
    return f"{parsed.day} {parsed:%b %Y, %H:%M} UTC"


def when_epoch(seconds: float | None) -> str:
    if seconds is None:
        return "none"
    moment = datetime.fromtimestamp(seconds, UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} – reference case system</title>
<style>{STYLE}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def _status(case: dict) -> str:
    return STATUS_LABELS.get(case["status"], case["status"])


def case_list(cases: list[dict], *, pace: float, fast_seconds: float) -> str:
    """The cases, newest first, without personal data."""
    rows = []
    for case in cases:
        risk = ' <span class="risk">High risk</span>' if case["high_risk"] else ""
        rows.append(
            "<tr>"
            f'<th scope="row"><a href="/admin/cases/{escape(case["case_id"])}">'
            f"{escape(case['reference'] or case['case_id'])}</a></th>"
            f"<td>{escape(case['borough'])}</td>"
            f"<td>{escape(case['category'])}{risk}</td>"
            f"<td>{escape(_status(case))}</td>"
            f"<td>{escape(when(case['opened']))}</td>"
            f"<td>{escape(when(case['updated']))}</td>"
            f"<td>{escape(case['outcome']) or '–'}</td>"
            "</tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="7">No cases yet.</td></tr>')
    if fast_seconds > 0:
        moving = f"Cases move on by themselves every {fast_seconds:g} seconds (test mode)."
    elif pace > 0:
        moving = "Cases move on by themselves as a borough's team would, over hours and days" + (
            f", {pace:g} times faster than real time." if pace != 1 else "."
        )
    else:
        moving = "Cases move on only when staff move them."
    body = f"""<h1>Cases</h1>
<p>The reference case system: a stand-in for the demo boroughs' case management.
{escape(moving)} Open a case to see its updates or to move it on.</p>
<div class="scroll" role="region" aria-label="Cases" tabindex="0">
<table>
<caption>The latest {len(cases)} cases, newest first</caption>
<thead><tr><th scope="col">Reference</th><th scope="col">Borough</th>
<th scope="col">Category</th><th scope="col">Status</th><th scope="col">Opened</th>
<th scope="col">Last update</th><th scope="col">Outcome</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</div>
<p>For scripts: <a href="/admin/cases.json">all cases as JSON</a> and
<a href="/admin/stats">counts as JSON</a>.</p>"""
    return page("Cases", body)


def _contact(contact: dict[str, bool]) -> str:
    given = [f"{name} given" for name in ("name", "email", "phone") if contact.get(name)]
    return ", ".join(given) if given else "No contact details"


def case_detail(case: dict, updates: list[dict], *, next_step: str, due: str) -> str:
    """One case: what it is about, its updates, and a button for its next step."""
    title = case["reference"] or case["case_id"]
    items = "\n".join(
        f"<li><strong>{escape(when(u['updated_datetime']))}</strong> "
        f"({escape(STATUS_LABELS.get(u['status'], u['status']))}): "
        f"{escape(u['description'] or 'No words given.')}</li>"
        for u in updates
    )
    if next_step:
        form = (
            f'<form method="post" action="/admin/cases/{escape(case["case_id"])}/advance">'
            f"<p>Next step: {escape(next_step)} (due {escape(due)}).</p>"
            '<button type="submit">Take the next step now</button></form>'
        )
    else:
        form = "<p>No steps left: this case is closed.</p>"
    body = f"""<p><a href="/admin/cases">Back to all cases</a></p>
<h1>Case {escape(title)}</h1>
<dl>
<dt>Case system id</dt><dd>{escape(case["case_id"])}</dd>
<dt>Portal reference</dt><dd>{escape(case["reference"] or "none")}</dd>
<dt>Received by</dt><dd>{escape(case["channel"])}</dd>
<dt>Borough</dt><dd>{escape(case["borough"])}</dd>
<dt>Category</dt><dd>{escape(case["category"])}</dd>
<dt>Risk</dt><dd>{"High risk" if case["high_risk"] else "Standard"}</dd>
<dt>Status</dt><dd>{escape(_status(case))}</dd>
<dt>Opened</dt><dd>{escape(when(case["opened"]))}</dd>
<dt>Outcome</dt><dd>{escape(case["outcome"] or "not yet")}</dd>
<dt>Contact details</dt><dd>{escape(_contact(case["contact"]))}</dd>
</dl>
<h2>What the resident told us</h2>
<p class="description">{escape(case["description"] or "No description.")}</p>
<h2>Updates</h2>
<p>The resident reads these words on the portal's tracking page.</p>
<ol>
{items or "<li>No updates yet.</li>"}
</ol>
{form}"""
    return page(f"Case {title}", body)


def not_found() -> str:
    return page(
        "Case not found",
        '<h1>Case not found</h1><p><a href="/admin/cases">Back to all cases</a></p>',
    )
