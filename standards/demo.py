"""Demo content for the standards pages, editors and workflows. Safe to run again."""

from __future__ import annotations

import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from accounts.demo import ensure_demo_factors
from geography import boundaries
from standards import demo_content, factories, services
from standards.models import (
    AdviceIndexPage,
    AdvicePage,
    BoroughIndexPage,
    BoroughPage,
    InformationPage,
    LondonStandardsPage,
    NeighbourhoodPage,
)

# Boroughs with demo editor accounts: the four boroughs of the 2011 Home Office ASB trials.
EDITORIAL_BOROUGHS = ("E09000012", "E09000022", "E09000015", "E09000027")
DEMO_ACCOUNTS_FILE = "demo-password"


def load(*, stdout) -> None:
    with transaction.atomic():
        home = ensure_home_page(stdout=stdout)
        ensure_child(home, LondonStandardsPage, factories.LondonStandardsPageFactory, stdout)
        index = ensure_child(home, BoroughIndexPage, factories.BoroughIndexPageFactory, stdout)
        for area in boundaries.boroughs():
            borough = BoroughPage.objects.filter(ons_code=area.code).first()
            if borough is None:
                borough = _publish(factories.BoroughPageFactory(parent=index, ons_code=area.code))
                stdout.write(f"Created borough page {borough.title}")
            for spec in demo_content.NEIGHBOURHOODS.get(area.code, []):
                _ensure_neighbourhood(borough, spec, stdout)
        advice = ensure_child(home, AdviceIndexPage, factories.AdviceIndexPageFactory, stdout)
        for spec in demo_content.ADVICE_PAGES:
            existing = AdvicePage.objects.child_of(advice).filter(slug=spec["slug"]).first()
            if existing is None:
                _publish(factories.AdvicePageFactory(parent=advice, **spec))
                stdout.write(f"Created advice page {spec['title']}")
            elif not existing.keywords and spec.get("keywords"):
                existing.keywords = spec["keywords"]  # demo content from before keywords
                _publish(existing)
        for spec in demo_content.information_pages():
            if not InformationPage.objects.child_of(home).filter(slug=spec["slug"]).exists():
                _publish(
                    factories.InformationPageFactory(
                        parent=home, last_updated=timezone.localdate(), **spec
                    )
                )
                stdout.write(f"Created information page {spec['title']}")
        _ensure_users(stdout)


def ensure_home_page(*, stdout) -> Page:
    """The portal HomePage as the default site's root, replacing Wagtail's welcome page."""
    # Looked up by name: standards imports no other app (see DESIGN.md).
    HomePage = apps.get_model("portal", "HomePage")  # noqa: N806
    home = HomePage.objects.first()
    root = Page.get_first_root_node()
    if home is None:
        slug = "home"
        for child in root.get_children():
            is_welcome_page = child.specific_class is Page and child.is_leaf()
            if is_welcome_page:
                Site.objects.filter(root_page=child).update(root_page=root)
                child.delete()
            elif child.slug == slug:
                slug = "portal-home"
        home = HomePage(title="London ASB portal", slug=slug)
        root.add_child(instance=home)
        _publish(home)
        stdout.write("Created the portal home page")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()
    return home


def ensure_child(parent: Page, model, factory, stdout) -> Page:
    existing = model.objects.child_of(parent).first()
    if existing is not None:
        return existing
    page = _publish(factory(parent=parent))
    stdout.write(f"Created {page.title}")
    return page


def _ensure_neighbourhood(borough: BoroughPage, spec: dict, stdout) -> NeighbourhoodPage:
    existing = NeighbourhoodPage.objects.child_of(borough).filter(ward_code=spec["ward_code"])
    page = existing.first()
    if page is None:
        page = _publish(
            factories.NeighbourhoodPageFactory(
                parent=borough, **factories.demo_neighbourhood_kwargs(spec)
            )
        )
        stdout.write(f"Created neighbourhood page {borough.title} / {page.title}")
    return page


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def demo_password() -> str:
    """The one password of every demo account, kept in var/demo-password."""
    path = settings.VAR_DIR / DEMO_ACCOUNTS_FILE
    if path.exists():
        password = path.read_text(encoding="utf-8").strip()
        if password:
            return password
    password = secrets.token_urlsafe(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return password


def _ensure_users(stdout) -> None:
    password = demo_password()
    _user("admin", password, stdout, superuser=True)
    for code in EDITORIAL_BOROUGHS:
        borough = BoroughPage.objects.get(ons_code=code)
        editorial = services.setup_borough_editorial(borough_page=borough)
        prefix = borough.slug
        _user(f"{prefix}-editor", password, stdout, group=editorial.editors)
        _user(f"{prefix}-asb-lead", password, stdout, group=editorial.asb_leads)
        first = NeighbourhoodPage.objects.child_of(borough).order_by("path").first()
        if first is not None:
            group = services.setup_neighbourhood_editor_group(neighbourhood_page=first)
            _user(f"{first.slug}-sn-editor", password, stdout, group=group)


def _user(username: str, password: str, stdout, *, superuser: bool = False, group=None):
    User = get_user_model()  # noqa: N806
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@asb.london.invalid",
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        stdout.write(f"Created demo user {username}")
    if group is not None:
        user.groups.add(group)
    ensure_demo_factors(user)  # the demo authenticator app and recovery code
    return user
