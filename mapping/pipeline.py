"""An import run: files are read while earlier ones are being stored.

``import_sources(sources)`` reads every source (``mapping.importer``) and stores each
force-month it finds (``mapping.services.replace_dataset``), in order. Reading is most of
the work and needs no database, so large inputs are read by worker processes, one per
core, forked from this one; the calling process is the only one that touches the
database, and stores each result as it arrives. Small inputs are read by one background
thread instead (no processes to start).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from mapping.importer import Batch, FileResult, Problem, StreetFileReader, Tally
from mapping.models import Dataset
from mapping.services import SnapIndex, refresh_statistics, replace_dataset
from mapping.sources import Source

# Below this many bytes in all, starting processes costs more than it saves.
PROCESS_MIN_BYTES = 16 * 1024 * 1024
PROGRESS_SECONDS = 0.2
WORKER_NICENESS = 10
Progress = Callable[[int, int], None]  # (bytes read, rows read), across all sources


@dataclass
class ImportRun:
    summary: Tally = field(default_factory=Tally)
    problems: list[Problem] = field(default_factory=list)
    datasets: list[Dataset] = field(default_factory=list)


def import_sources(
    sources: list[Source],
    *,
    synthetic: bool = False,
    max_problems: int = 1000,
    progress: Progress | None = None,
    on_stored: Callable[[Dataset, Batch, Source], None] | None = None,
    workers: int | None = None,
) -> ImportRun:
    """Read and store every source. ``synthetic`` marks all of it synthetic (rows that
    say they are synthetic are marked anyway). ``on_stored`` is called after each
    force-month is stored. ``workers``: reading processes (default: one per core)."""
    run = ImportRun()
    index = SnapIndex()
    with _collector_paused():
        for source, result in read_files(
            sources, max_problems=max_problems, progress=progress, workers=workers
        ):
            for batch in result.batches:
                dataset = replace_dataset(
                    batch=batch, synthetic=synthetic or batch.synthetic, snap_index=index
                )
                run.datasets.append(dataset)
                if on_stored is not None:
                    on_stored(dataset, batch, source)
            run.summary.add(result.tally)
            run.problems.extend(result.problems)
    refresh_statistics()
    return run


def read_files(
    sources: list[Source],
    *,
    max_problems: int = 1000,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Iterator[tuple[Source, FileResult]]:
    """Each source with its result, in order, read ahead of the caller."""
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    workers = max(1, min(workers, len(sources)))
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if forkable and sum(s.size for s in sources) >= PROCESS_MIN_BYTES:
        return _read_in_processes(sources, max_problems, progress, workers)
    return _read_in_thread(sources, max_problems, progress)


def _read_in_thread(
    sources: list[Source], max_problems: int, progress: Progress | None
) -> Iterator[tuple[Source, FileResult]]:
    """The next file is read in a background thread while the caller stores this one
    (the database does its part outside Python's GIL, so the two overlap)."""
    reader = StreetFileReader(max_problems=max_problems)
    offsets = [sum(source.size for source in sources[:index]) for index in range(len(sources))]
    rows_done = [0]

    def read(index: int) -> FileResult:
        def report(position: int, rows: int) -> None:
            if progress is not None:
                progress(offsets[index] + position, rows_done[0] + rows)

        result = reader.read(sources[index], progress=report)
        rows_done[0] += result.tally.read
        return result

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="policeuk-reader") as pool:
        pending = pool.submit(read, 0) if sources else None
        for index, source in enumerate(sources):
            assert pending is not None
            result = pending.result()
            pending = pool.submit(read, index + 1) if index + 1 < len(sources) else None
            yield source, result


# In a worker process: its reader (caches shared across the files it reads) and the
# shared array where it reports progress (bytes, rows of source i at 2i, 2i + 1).
_worker_reader: StreetFileReader | None = None
_worker_progress = None


def _start_worker(max_problems: int, shared_progress) -> None:
    global _worker_reader, _worker_progress
    gc.disable()  # a worker lives for one run and builds no reference cycles
    # Storing is the one step that cannot run in parallel, so it goes first whenever it
    # is ready to run; readers take the rest of the machine.
    os.nice(WORKER_NICENESS)
    _worker_reader = StreetFileReader(max_problems=max_problems)
    _worker_progress = shared_progress


def _read_in_worker(index: int, source: Source) -> FileResult:
    assert _worker_reader is not None and _worker_progress is not None
    shared = _worker_progress

    def report(position: int, rows: int) -> None:
        shared[2 * index] = position
        shared[2 * index + 1] = rows

    result = _worker_reader.read(source, progress=report)
    report(source.size, result.tally.read)
    return result


def _read_in_processes(
    sources: list[Source], max_problems: int, progress: Progress | None, workers: int
) -> Iterator[tuple[Source, FileResult]]:
    context = multiprocessing.get_context("fork")
    shared = context.Array("q", 2 * len(sources), lock=False)
    stop = threading.Event()
    poller = None
    if progress is not None:

        def poll() -> None:
            while not stop.wait(PROGRESS_SECONDS):
                progress(sum(shared[0::2]), sum(shared[1::2]))

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(max_problems, shared),
    )
    pending: deque[tuple[Source, Future[FileResult]]] = deque()
    queue = iter(enumerate(sources))

    def submit_next() -> None:
        for index, source in queue:
            pending.append((source, pool.submit(_read_in_worker, index, source)))
            return

    try:
        for _ in range(2 * workers):  # a few files ahead; results wait in memory
            submit_next()
        if progress is not None:
            poller = threading.Thread(target=poll, name="policeuk-progress", daemon=True)
            poller.start()
        while pending:
            source, future = pending.popleft()
            result = future.result()
            submit_next()
            yield source, result
    finally:
        stop.set()
        if poller is not None:
            poller.join()
        pool.shutdown(wait=True, cancel_futures=True)
    if progress is not None:
        progress(sum(shared[0::2]), sum(shared[1::2]))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """An import allocates millions of small tuples and no reference cycles: Python's
    cycle collector would keep walking them for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
