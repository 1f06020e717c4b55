from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import ThrottledPasswordResetView
from portal import views

# A database outage met outside a view (e.g. saving the session) is a 503 too.
handler400 = "portal.outage.bad_request"
handler500 = "portal.outage.server_error"

urlpatterns = [
    # Staff sign-in (accounts): Wagtail's password reset, throttled; the second step; and
    # django-otp-webauthn's JSON API for passkeys.
    path("admin/password_reset/", ThrottledPasswordResetView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("staff/", include("accounts.urls")),
    path("staff/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("find-your-area/", views.find_area, name="find_area"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("exit/", views.exit_this_page, name="exit_this_page"),
    path("", include("standards.urls")),
    path("", include("mapping.urls")),
    path("", include("reporting.urls")),
    path("", include("reporting.forwarding.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
