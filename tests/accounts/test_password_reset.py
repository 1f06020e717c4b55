"""Wagtail's password reset is limited per internet address and per email address, and
answers the same whether or not the address belongs to an account."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"


def main(response) -> str:
    """The page's words (the rest differs by its CSRF token only)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def ask(client, email: str, ip: str = "10.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_known_and_unknown_addresses_get_the_same_answer(client, officer, mailoutbox, settings):
    known = ask(client, "officer@hackney.invalid")
    unknown = ask(client, "nobody@hackney.invalid", ip="10.0.0.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == "/admin/password_reset/done/"
    assert [m.to for m in mailoutbox] == [["officer@hackney.invalid"]]


def test_one_address_asks_five_times_an_hour_at_most(client, officer, mailoutbox, settings):
    assert settings.ACCOUNTS_PASSWORD_RESETS_PER_HOUR == 5
    answers = [ask(client, f"someone{n}@hackney.invalid").status_code for n in range(5)]
    assert answers == [302] * 5
    limited_unknown = ask(client, "nobody@hackney.invalid")
    limited_known = ask(client, "officer@hackney.invalid")
    assert limited_unknown.status_code == limited_known.status_code == 429
    assert main(limited_unknown) == main(limited_known)
    assert "Too many password resets" in limited_known.content.decode()
    assert mailoutbox == []  # nothing sent once limited


def test_one_email_is_asked_for_five_times_an_hour_at_most(client, officer, mailoutbox):
    for n in range(5):
        assert ask(client, "Officer@Hackney.invalid ", ip=f"10.0.1.{n}").status_code == 302
    assert ask(client, "officer@hackney.invalid", ip="10.0.2.1").status_code == 429
    assert len(mailoutbox) == 5
    for n in range(5):
        ask(client, "nobody@hackney.invalid", ip=f"10.0.3.{n}")
    assert ask(client, "nobody@hackney.invalid", ip="10.0.4.1").status_code == 429
    assert ask(client, "someone-else@hackney.invalid", ip="10.0.4.1").status_code == 302


def test_the_reset_form_still_shows(client):
    response = client.get(RESET)
    assert response.status_code == 200 and 'name="email"' in response.content.decode()
