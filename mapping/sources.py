"""Where police.uk street-level CSV comes from: files, folders of files, zip archives.

Each source opens as a text stream read lazily, so memory does not grow with file size.
The zip archives from data.police.uk hold ``<YYYY-MM>/<YYYY-MM>-<force>-street.csv``
beside outcomes and stop-and-search files; only the street files are taken.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

OTHER_POLICEUK_FILES = ("-outcomes.csv", "-stop-and-search.csv")


@dataclass(frozen=True)
class Source:
    """One CSV file, possibly inside a zip archive."""

    name: str  # shown in messages: "archive.zip:2025-05/2025-05-city-of-london-street.csv"
    path: Path
    member: str | None = None  # name inside the zip archive
    size: int = 0  # bytes (uncompressed), for the progress bar

    @contextmanager
    def open(self) -> Iterator[tuple[IO[str], IO[bytes]]]:
        """(text stream for csv, underlying byte stream whose tell() shows progress)."""
        if self.member is None:
            with self.path.open("rb") as raw:
                yield _text(raw), raw
        else:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as raw:
                yield _text(raw), raw


def _text(raw: IO[bytes]) -> IO[str]:
    # utf-8-sig drops a byte-order mark; newline="" is what the csv module needs.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")


def is_street_file(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".csv") and not lower.endswith(OTHER_POLICEUK_FILES)


def sources_for(paths: list[Path]) -> list[Source]:
    """Expand files, folders (recursively) and zip archives into sources, in name order."""
    found: list[Source] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    found.extend(_sources_for_file(child, from_folder=True))
        elif path.is_file():
            found.extend(_sources_for_file(path, from_folder=False))
        else:
            raise FileNotFoundError(f"No such file or folder: {path}")
    return found


def _sources_for_file(path: Path, *, from_folder: bool) -> list[Source]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = sorted(
                (info for info in archive.infolist() if not info.is_dir()),
                key=lambda info: info.filename,
            )
            return [
                Source(f"{path.name}:{info.filename}", path, info.filename, info.file_size)
                for info in members
                if is_street_file(info.filename)
            ]
    if from_folder and not is_street_file(path.name):
        return []
    return [Source(str(path), path, None, path.stat().st_size)]
