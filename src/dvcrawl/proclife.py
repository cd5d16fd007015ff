"""Who owns a run row, and whether that process is still alive.

A crawl killed with ``kill -9`` cannot close its run row. Waiting for its heartbeat to go stale
(storage/runs.py) works across machines but takes a minute; on the machine that ran it, the
row's owner can be asked directly: a process that no longer exists, or whose pid now belongs to
a process started at another moment (pid reuse), or that ran before the machine last booted,
is dead, and its row can be closed at once. Another machine's process is never judged here.
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path

_PROC = Path("/proc")


@cache
def _host() -> str:
    return socket.gethostname()


@cache
def _boot() -> str:
    """This boot of the machine (Linux); '' where the kernel does not say."""
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _started(pid: int) -> str | None:
    """When ``pid`` started, in clock ticks since boot; None when there is no such process."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except (OSError, ValueError):
        return None
    # The command name (field 2) may hold spaces and parentheses: fields follow its last ")".
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def this_process() -> dict[str, str | int]:
    """The mark a run row keeps of the process that opened it."""
    pid = os.getpid()
    return {"host": _host(), "boot": _boot(), "pid": pid, "start": _started(pid) or ""}


def is_dead(mark: object) -> bool:
    """True only when ``mark`` (from this_process) names a process of this machine that is gone.

    Anything unsure (another host, no /proc, a malformed mark) is not dead: the heartbeat
    decides those rows.
    """
    if not isinstance(mark, dict) or mark.get("host") != _host() or not _boot():
        return False
    pid, start = mark.get("pid"), mark.get("start")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0 or not start:
        return False
    if mark.get("boot") != _boot():
        return True  # it ran before this machine booted
    now = _started(pid)
    if now is None:
        return not _exists(pid)  # /proc may hide other users' processes (hidepid)
    return now != start


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or a pid we cannot ask about: not ours to judge
    return True
