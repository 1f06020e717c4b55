"""Writes of the standards app: editorial groups, page permissions and workflows.

Who may do what:
- "<Borough> (<ONS code>) editors": add and edit pages in the borough's subtree, and
  submit them to the borough's workflow. They cannot publish.
- "<Borough> (<ONS code>) ASB leads": the same, and they approve (and may publish) changes:
  the borough's workflow has one GroupApprovalTask whose group is this one.
- "<Ward> (<ward code>) SN team editors": edit only their own neighbourhood page (and so its
  priorities), and submit it to the borough's workflow.

Every function here is idempotent: safe to call again when a page is published or renamed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITOR_PAGE_PERMISSIONS = ("add", "change")
LEAD_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
SN_EDITOR_PAGE_PERMISSIONS = ("change",)


@dataclass(frozen=True)
class BoroughEditorial:
    editors: Group
    asb_leads: Group
    workflow: Workflow
    approval_task: GroupApprovalTask


def borough_group_names(borough_page) -> tuple[str, str]:
    label = f"{borough_page.title} ({borough_page.ons_code})"
    return f"{label} editors", f"{label} ASB leads"


def neighbourhood_group_name(neighbourhood_page) -> str:
    return f"{neighbourhood_page.title} ({neighbourhood_page.ward_code}) SN team editors"


@transaction.atomic
def setup_borough_editorial(*, borough_page) -> BoroughEditorial:
    """Groups, page permissions and the ASB lead approval workflow for one borough."""
    editors_name, leads_name = borough_group_names(borough_page)
    editors = _group(editors_name, borough_page.ons_code, "editors")
    asb_leads = _group(leads_name, borough_page.ons_code, "ASB leads")
    _grant_page_permissions(editors, borough_page, EDITOR_PAGE_PERMISSIONS)
    _grant_page_permissions(asb_leads, borough_page, LEAD_PAGE_PERMISSIONS)

    task_name = f"{borough_page.title} ASB lead approval"
    task = GroupApprovalTask.objects.filter(groups=asb_leads).order_by(
        "pk"
    ).first() or GroupApprovalTask.objects.create(name=task_name)
    task.groups.add(asb_leads)
    if task.name != task_name or not task.active:
        task.name, task.active = task_name, True
        task.save(update_fields=["name", "active"])

    workflow_name = f"{borough_page.title} sign-off"
    link = WorkflowTask.objects.filter(task=task).select_related("workflow").first()
    workflow = link.workflow if link else Workflow.objects.create(name=workflow_name)
    if not link:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if workflow.name != workflow_name or not workflow.active:
        workflow.name, workflow.active = workflow_name, True
        workflow.save(update_fields=["name", "active"])
    WorkflowPage.objects.update_or_create(
        page=Page.objects.get(pk=borough_page.pk), defaults={"workflow": workflow}
    )
    return BoroughEditorial(editors, asb_leads, workflow, task)


@transaction.atomic
def setup_neighbourhood_editor_group(*, neighbourhood_page) -> Group:
    """The group whose members edit only this neighbourhood page (and its priorities)."""
    group = _group(
        neighbourhood_group_name(neighbourhood_page),
        neighbourhood_page.ward_code,
        "SN team editors",
        page_pk=neighbourhood_page.pk,
    )
    _grant_page_permissions(group, neighbourhood_page, SN_EDITOR_PAGE_PERMISSIONS)
    return group


def _group(name: str, code: str, suffix: str, *, page_pk: int | None = None) -> Group:
    """Find the group by its exact name, or by its code and suffix if a page was renamed."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        renamed = Group.objects.filter(name__contains=f"({code}) {suffix}")
        if page_pk is not None:
            renamed = renamed.filter(page_permissions__page_id=page_pk)
        group = renamed.order_by("pk").first()
        if group is not None:
            group.name = name
            group.save(update_fields=["name"])
        else:
            group = Group.objects.create(name=name)
    group.permissions.add(_admin_access_permission())
    return group


def _admin_access_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _grant_page_permissions(group: Group, page, kinds: tuple[str, ...]) -> None:
    page = Page.objects.get(pk=page.pk)
    for kind in kinds:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=f"{kind}_page"
        )
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
