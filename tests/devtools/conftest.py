"""Fixtures for the devtools tests: the SMTP sink, started in-process on free ports."""

from __future__ import annotations

import pytest

from devtools.smtp_sink import Sink, SinkChaos, make_sink


@pytest.fixture
def sink(tmp_path) -> Sink:
    running = make_sink("127.0.0.1", 0, 0, str(tmp_path / "mail.sqlite3"), SinkChaos(seed=1))
    running.start()
    yield running
    running.stop()
