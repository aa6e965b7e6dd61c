"""The Dask cluster that runs notebooks: an embedded LocalCluster by default, or an existing scheduler.

The embedded cluster has worker processes with one thread each (papermill changes the working directory,
which is per process), listens on 127.0.0.1 only and starts only when a run must execute. Before any run
is sent, every worker is asked for its wmr library fingerprint and dependency versions; a worker that
differs from the client is refused by name.
"""
from __future__ import annotations

import contextlib
import importlib.util
import logging
import signal
import socket
import threading
from urllib.parse import urlsplit
from dataclasses import dataclass
from typing import Callable, Iterator

from distributed import Client, LocalCluster, WorkerPlugin

from wmr.core.errors import WMRError

from . import runtask

SCHEDULER_ENV = "WMR_SCHEDULER"
HOST = "127.0.0.1"
CONNECT_TIMEOUT = 10  # seconds to reach an existing scheduler
STOP_SECONDS = 5      # the longest each step of stopping runs may wait for the cluster (Ctrl-C must stay prompt)


class SchedulerError(WMRError):
    """The Dask scheduler given by --scheduler or $WMR_SCHEDULER cannot be reached or has no workers."""


@dataclass
class Cluster:
    """A connected Dask client, how many runs it can take at once and where it runs."""

    client: object
    slots: int
    where: str
    embedded: bool


class _WorkerSetup(WorkerPlugin):
    """Worker plugin: Ctrl-C is the client's business; a closing worker kills the kernels it started."""

    name = "wmr-worker-setup"
    idempotent = True

    def setup(self, worker) -> None:
        from . import recovery

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        recovery.die_with_parent()  # a build killed with kill -9 takes its embedded workers (and kernels) with it

    def teardown(self, worker) -> None:
        from . import kernels

        kernels.kill_all()


def _kill_kernels(keys: list[str]) -> int:
    """Run on each worker: kill the kernels of these tasks (a cancelled Dask task is not interrupted)."""
    from . import kernels

    return kernels.kill_all(set(keys))


def _has_dashboard() -> bool:
    """Run on the scheduler: whether its HTTP server serves the dashboard (that needs bokeh there)."""
    return importlib.util.find_spec("bokeh") is not None


def _probe(dependencies: list[str]) -> dict:
    """Run on each worker: its identity (library fingerprint, Python, dependency versions)."""
    return runtask.identity(dependencies)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Worker processes spawned meanwhile inherit an ignored SIGINT (the terminal sends it to the whole group)."""
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        yield
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def connect(scheduler: str | None, workers: int, identity: dict,
            say: Callable[[str], None] = print) -> Iterator[Cluster]:
    """A client on the given scheduler or on a new embedded cluster of `workers` processes; closed on exit."""
    cluster = None
    if scheduler:
        try:
            # a refused connection is known at once; Dask's client would retry it until its timeout
            address = urlsplit(scheduler)
            socket.create_connection((address.hostname, address.port), timeout=CONNECT_TIMEOUT).close()
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(f"Cannot reach the Dask scheduler at {scheduler}; no run was started.",
                                 expected="a running `dask scheduler` at that address",
                                 got=f"{type(exc).__name__}: {exc}",
                                 fix=f"start the scheduler, correct --scheduler / ${SCHEDULER_ENV}, or leave "
                                     "both unset to run on this machine") from None
    else:
        with _sigint_ignored():  # the scheduler's HTTP server (health; dashboard with bokeh) on a free local port
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host=HOST,
                                   dashboard_address=f"{HOST}:0", memory_limit=0, silence_logs=logging.ERROR,
                                   protocol="tcp://")
            client = Client(cluster)
    try:
        client.register_plugin(_WorkerSetup())
        info = client.scheduler_info(n_workers=-1)
        slots = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
        if slots == 0:
            raise SchedulerError(f"The Dask scheduler at {scheduler} has no workers; no run was started.",
                                 expected="at least one `dask worker` connected", got="0 workers",
                                 fix=f"start workers with `dask worker {scheduler} --nthreads 1`")
        check_workers(client, identity)
        where = scheduler or client.scheduler.address
        try:
            dashboard = "dashboard" in info.get("services", {}) and client.run_on_scheduler(_has_dashboard)
        except Exception:  # a scheduler without wmr installed cannot run the check: no address shown
            dashboard = False
        say(f"   Dask: {len(info['workers'])} worker(s), {slots} thread(s) at {where}"
            + (f", dashboard {client.dashboard_link}" if dashboard else ""))
        yield Cluster(client, slots, where, cluster is not None)
    finally:
        client.close(timeout=STOP_SECONDS)
        if cluster is not None:
            cluster.close(timeout=2 * STOP_SECONDS)


def check_workers(client, identity: dict) -> None:
    """Refuse the cluster if any worker's library or dependency versions differ from the client's."""
    found = client.run(_probe, sorted(identity["dependencies"]))
    for worker, theirs in sorted(found.items()):
        diffs = runtask.differences(identity, theirs)
        if diffs:
            info = client.scheduler_info(n_workers=-1)["workers"].get(worker, {})
            name = info.get("name", worker)
            raise runtask.refusal(f"{name} ({worker})" if str(name) != worker else worker, diffs)


def stop_kernels(client, keys: list[str]) -> None:
    """Kill the kernels the tasks `keys` started and still keep on the workers (a profile run's kept kernel)."""
    with contextlib.suppress(Exception):
        client.run(_kill_kernels, keys)


def stop_runs(cl: Cluster, futures: list, keys: list[str]) -> None:
    """Cancel the futures and kill their kernels on every worker (a cancelled running task is not interrupted).

    On the embedded cluster the kernels are this process's grandchildren: they are killed here first, so an
    interrupted build stops at once even if a worker is too busy to answer; each request to the cluster is
    given STOP_SECONDS."""
    if cl.embedded:
        _kill_descendant_kernels()
    _bounded(lambda: cl.client.cancel(futures, force=True))
    _bounded(lambda: stop_kernels(cl.client, keys))


def _kill_descendant_kernels() -> None:
    import psutil

    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "ipykernel_launcher" in " ".join(proc.cmdline()):
                proc.kill()


def _bounded(step: Callable[[], object]) -> None:
    """Run `step`, waiting at most STOP_SECONDS for it (it goes on in the background if it takes longer)."""
    def quietly() -> None:
        with contextlib.suppress(Exception):
            step()

    worker = threading.Thread(target=quietly, daemon=True)
    worker.start()
    worker.join(STOP_SECONDS)
