import pytest

from reporting.models import Report

pytestmark = pytest.mark.django_db


def test_whole_flow_submits_a_report(filled_client, mailoutbox):
    response = filled_client.get("/report/check/")
    assert response.status_code == 200
    response = filled_client.post("/report/check/", {"website": ""})
    assert response.status_code == 302
    report = Report.objects.get()
    page = filled_client.get(response["Location"])
    assert report.reference in page.content.decode()
