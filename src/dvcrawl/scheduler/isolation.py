"""Run one crawl in a child process with a wall-clock timeout and a memory cap.

Why a child per crawl: Scrapy's Twisted reactor cannot be restarted inside one process, and a
portal that hangs the parser or leaks memory must not take the months-long scheduler with it.
The child is the leader of its own process group, so a timeout kills everything it started.

The memory cap is applied by re-executing through this module (``python -m
dvcrawl.scheduler.isolation BYTES -- CMD...``): it sets RLIMIT_AS, asks for SIGTERM when its
parent dies, and then execs the command. That avoids ``preexec_fn``, which is unsafe in a
threaded parent like the scheduler.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dvcrawl.config import DB_ENV, SOURCES_ENV

if TYPE_CHECKING:
    from dvcrawl.storage.runs import RunStatus

log = logging.getLogger(__name__)

# Lines of child output kept to explain a failure in the run row.
TAIL_LINES = 20
# Exit status the memory wrapper uses when the command cannot be executed at all.
EXEC_FAILED = 127
# prctl(2) option: the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1


@dataclass
class ChildResult:
    """How a child ended: its exit code, whether we killed it, and its last lines of output."""

    returncode: int | None
    duration: float
    timed_out: bool = False
    stopped: bool = False  # terminated by the scheduler's shutdown
    tail: list[str] = field(default_factory=list)
    timeout: float | None = None
    memory_mb: int | None = None

    @property
    def status(self) -> RunStatus:
        """The run status this ending maps to."""
        # Imported here: the memory wrapper runs this module before every crawl, import-light.
        from dvcrawl.storage.runs import RunStatus

        if self.timed_out:
            return RunStatus.TIMEOUT
        if self.stopped:
            return RunStatus.STOPPED  # says nothing about the portal: not a failure
        if (self.returncode or 0) < 0:
            return RunStatus.KILLED
        return RunStatus.OK if self.returncode == 0 else RunStatus.FAILED

    @property
    def reason(self) -> str | None:
        """One line an operator can act on, or None for a clean exit."""
        last = next((line for line in reversed(self.tail) if line.strip()), "")
        if self.timed_out:
            return f"timed out after {self.timeout:g}s: killed (SIGTERM, then SIGKILL)"
        if self.stopped:
            return "stopped by the scheduler's shutdown"
        if self.returncode is not None and self.returncode < 0:
            name = signal.Signals(-self.returncode).name
            return f"killed by {name}" + (f": {last}" if last else "")
        if self.returncode == 0:
            return None
        if any("MemoryError" in line for line in self.tail):
            return f"out of memory: exceeded the {self.memory_mb} MB cap ({last})"
        return f"crashed with exit code {self.returncode}" + (f": {last}" if last else "")


def crawl_argv(sources: Path, source_id: str, run_id: int, extra: Sequence[str] = ()) -> list[str]:
    """The one crawl command of the scheduler and the workers: ``dvcrawl crawl`` of one source
    into an opened run row (the database URL travels in the environment, see child_env)."""
    return [sys.executable, "-m", "dvcrawl", "crawl", "--sources", str(sources),
            "--source", source_id, "--run-id", str(run_id), *extra]  # fmt: skip


def child_env(db_url: str, sources: Path) -> dict[str, str]:
    """The crawl child's environment: ours, plus where to store and what to crawl."""
    env = dict(os.environ)
    env.update({DB_ENV: db_url, SOURCES_ENV: str(sources), "PYTHONUNBUFFERED": "1"})
    # glibc reserves 64 MB of address space per malloc arena (up to 8 per core); under the
    # RLIMIT_AS cap that reservation, not real use, would count. Two arenas are plenty.
    env.setdefault("MALLOC_ARENA_MAX", "2")
    return env


def limited_argv(argv: Sequence[str], memory_mb: int | None) -> list[str]:
    """``argv`` wrapped so that it runs under an address-space cap of ``memory_mb`` (if any)
    and dies with its parent."""
    limit = int(memory_mb or 0) * 1024 * 1024
    return [sys.executable, "-m", "dvcrawl.scheduler.isolation", str(limit), "--", *argv]


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _pump(stream, tail: deque, label: str) -> None:
    """Forward the child's output to our log (journald sees it) and keep its last lines."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip()
        tail.append(line)
        log.info("[%s] %s", label, line)
    stream.close()


class ChildSupervisor:
    """Starts crawl children and can stop all of them at once (on shutdown)."""

    def __init__(self, grace: float = 10.0) -> None:
        self.grace = grace  # seconds between SIGTERM and SIGKILL
        self._procs: dict[int, subprocess.Popen] = {}
        self._stopped: set[int] = set()
        self._lock = threading.Lock()
        self._closed = False

    def running(self) -> int:
        with self._lock:
            return len(self._procs)

    def _start(self, argv: list[str], env: dict | None) -> subprocess.Popen | None:
        with self._lock:
            if self._closed:
                return None
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # its own process group: a kill reaches its children
            )
            self._procs[proc.pid] = proc
            return proc

    def terminate(self, proc: subprocess.Popen) -> None:
        """SIGTERM the child's group, give it ``grace`` seconds, then SIGKILL."""
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(self.grace)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        _signal_group(proc, signal.SIGKILL)  # stragglers the leader left behind

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        memory_mb: int | None = None,
        env: dict | None = None,
        label: str = "crawl",
    ) -> ChildResult:
        """Run ``argv`` to its end, or kill it after ``timeout`` seconds."""
        began = time.monotonic()
        proc = self._start(limited_argv(argv, memory_mb), env)
        if proc is None:
            return ChildResult(None, 0.0, stopped=True)
        tail: deque = deque(maxlen=TAIL_LINES)
        reader = threading.Thread(target=_pump, args=(proc.stdout, tail, label), daemon=True)
        reader.start()
        timed_out = False
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            log.warning("[%s] no result after %gs: stopping it", label, timeout)
            self.terminate(proc)
        reader.join(5)
        with self._lock:
            self._procs.pop(proc.pid, None)
            stopped = proc.pid in self._stopped
        return ChildResult(
            proc.returncode,
            time.monotonic() - began,
            timed_out=timed_out and not stopped,
            stopped=stopped,
            tail=list(tail),
            timeout=timeout,
            memory_mb=memory_mb,
        )

    def stop_all(self) -> None:
        """Refuse new children; SIGTERM the running ones, SIGKILL those still there after grace."""
        with self._lock:
            self._closed = True
            procs = list(self._procs.values())
            self._stopped.update(self._procs)
        for proc in procs:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for proc in procs:
            try:
                proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM us when the process that started us dies (kept across exec).

    A crawl must not outlive its worker or scheduler: a worker killed with SIGKILL would
    otherwise leave its crawl running without the source's lock while another worker takes
    the source over, and the portal would see two crawls at once.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _exec_limited(args: list[str]) -> int:
    """``BYTES -- CMD...``: cap the address space (0: no cap), then become CMD."""
    if len(args) < 3 or args[1] != "--":
        print("usage: python -m dvcrawl.scheduler.isolation BYTES -- CMD...", file=sys.stderr)
        return 2
    limit = int(args[0])
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _die_with_parent()
    try:
        os.execvp(args[2], args[2:])
    except OSError as exc:
        print(f"cannot run {args[2]!r}: {exc}", file=sys.stderr)
    return EXEC_FAILED


if __name__ == "__main__":
    sys.exit(_exec_limited(sys.argv[1:]))
