from django.urls import path, re_path

from reporting.forwarding import views
from reporting.forwarding.open311 import views as open311

app_name = "forwarding"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("api/case-updates/<str:borough_code>/", views.case_update, name="case_update"),
    re_path(r"^open311/v2/services" + FMT, open311.services, name="open311_services"),
    re_path(
        r"^open311/v2/services/(?P<code>[a-z0-9-]+)" + FMT,
        open311.service_definition,
        name="open311_service",
    ),
    re_path(r"^open311/v2/requests" + FMT, open311.requests, name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[A-Za-z0-9-]+)" + FMT,
        open311.request_detail,
        name="open311_request",
    ),
]
