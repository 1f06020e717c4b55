"""The editor's landing: on the admin home, the pages they may edit, first.

An SN team editor may edit one page (their team's), which Wagtail's explorer shows as a
page with "0 pages" below it; a borough editor their borough's page. This panel lists each
page they were given, what state it is in (live, a draft, waiting for the ASB lead's
approval, changes asked for), a neighbourhood page's priorities as they are now, an edit
link, and how a change goes live: "Submit to <the borough's sign-off>" at the foot of the
edit page, then the borough's ASB lead approves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import strip_tags
from wagtail.admin.ui.components import Component
from wagtail.models import GroupPagePermission, Page, WorkflowState

MAX_PAGES = 10


@dataclass(frozen=True)
class EditablePage:
    page: Page  # the specific page, as it is in its latest revision
    state: str  # in words
    workflow_name: str  # the sign-off its changes go to ("" if none)
    can_publish: bool  # an ASB lead: publishes (approves) their own changes
    priorities: list[tuple[str, str]]  # (what was said, its status) of a team's page


def _state(page: Page) -> str:
    workflow_state = page.current_workflow_state
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        task = workflow_state.current_task_state
        name = task.task.name if task is not None else "approval"
        return f"Waiting for approval ({name})"
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "Changes asked for: edit it and submit it again"
    if not page.live:
        return "Not published yet"
    if page.has_unpublished_changes:
        return "Live, with draft changes not yet submitted"
    return "Live"


def _priorities(page) -> list[tuple[str, str]]:
    priorities = getattr(page, "current_priorities", None)
    if priorities is None:
        return []
    return [
        (strip_tags(priority.issue).strip(), priority.get_status_display())
        for priority in priorities()
    ]


def editable_pages(user) -> list[EditablePage]:
    """The pages a (non-superuser) editor was given to edit by their groups, by title."""
    if not user.is_authenticated or user.is_superuser:
        return []
    page_ids = (
        GroupPagePermission.objects.filter(group__user=user, permission__codename="change_page")
        .values_list("page_id", flat=True)
        .distinct()
    )
    pages = Page.objects.filter(pk__in=page_ids).specific().order_by("title")[:MAX_PAGES]
    found = []
    for page in pages:
        latest = page.get_latest_revision_as_object()
        workflow = page.get_workflow()
        found.append(
            EditablePage(
                page=page,
                state=_state(page),
                workflow_name=workflow.name if workflow is not None else "",
                can_publish=page.permissions_for_user(user).can_publish(),
                priorities=_priorities(latest),
            )
        )
    return found


class EditorPagesPanel(Component):
    name = "editor_pages"
    template_name = "wagtailadmin/home/editor_pages.html"
    order = 40

    def __init__(self, pages: list[EditablePage]) -> None:
        self.pages = pages

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["pages"] = self.pages
        return context


def add_editor_pages_panel(request, panels) -> None:
    """``construct_homepage_panels``: the editor's own pages come first."""
    pages = editable_pages(request.user)
    if pages:
        panels.insert(0, EditorPagesPanel(pages))
