"""A sandbox for running a student's notebook: bubblewrap for files and network, cgroups for limits.

Each graded notebook (its worker and its kernel) runs inside ``bwrap``
(Debian's ``bubblewrap``): every file read-only, the notebook's own folders
excepted; ``/tmp``, the grader's home, the submissions folder and the grading
output hidden behind empty folders; no network (a new network namespace with
only loopback); no capabilities. Memory and the number of processes are
capped by a control group (cgroup v1 or v2, where the machine lets us create
one), else by resource limits (``prlimit``). Output size is capped by the
worker itself (:mod:`tightrope.grade`).

As root, bubblewrap works as it is; an unprivileged user needs user
namespaces enabled (``sysctl kernel.unprivileged_userns_clone=1`` on some
distributions).
"""
from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

GiB = 1024 ** 3
MiB = 1024 ** 2


@dataclass
class Limits:
    """What one notebook may use. Every field can be set from `tightrope grade`'s options."""
    memory: int = 2 * GiB  # bytes, the worker and the kernel together
    processes: int = 256  # processes and threads
    output: int = 10 * MiB  # bytes of cell output, all cells together


def unavailable() -> str:
    """Why notebooks cannot be sandboxed here ("" when they can)."""
    if platform.system() != "Linux":
        return f"the sandbox needs Linux (bubblewrap); this is {platform.system()}"
    if not shutil.which("bwrap"):
        return "bubblewrap (bwrap) is not installed: on Debian or Ubuntu, apt-get install bubblewrap"
    probe = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--unshare-all", "--cap-drop", "ALL", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return ("bubblewrap cannot create a sandbox here (" + (probe.stderr.strip() or "no reason given")
                + "); as a normal user it needs user namespaces enabled")
    return ""


def command(inner: list[str], *, writable: list[Path], hidden: list[Path]) -> list[str]:
    """``inner`` wrapped in bubblewrap: read-only files, ``writable`` folders writable, ``hidden``
    folders (other submissions, the grading output), ``/tmp`` and the caller's home replaced by
    empty ones. Python and the project stay visible (read-only) wherever they live, under
    ``/tmp`` or the home folder included."""
    args = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    emptied = [Path("/tmp").resolve()]
    home = Path.home().resolve()
    if home != Path("/"):
        emptied.append(home)
    for path in emptied:
        args += ["--tmpfs", str(path)]
    needed = {Path(p).resolve() for p in (sys.base_prefix, sys.prefix, Path(sys.executable).parent,
                                          Path(__file__).resolve().parent.parent)}  # the project, if editable
    needed = {p for p in needed if any(e == p or e in p.parents for e in emptied)}
    needed = {p for p in needed if not any(q in p.parents for q in needed)}  # outermost folders only
    for path in sorted(needed):
        args += ["--ro-bind", str(path), str(path)]

    def visible(path: Path) -> bool:
        inside_emptied = any(e == path or e in path.parents for e in emptied)
        return not inside_emptied or any(n == path or n in path.parents for n in needed)

    for path in hidden:
        path = Path(path).resolve()
        if path.exists() and visible(path):
            args += ["--tmpfs", str(path)]
    for path in writable:
        path = Path(path).resolve()
        args += ["--bind", str(path), str(path)]
    args += ["--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--"]
    return args + inner


class Cgroup:
    """A control group capping the memory and processes of everything put in it.

    ``Cgroup(limits)`` creates it where the machine allows (cgroup v2, or the v1
    ``memory`` and ``pids`` hierarchies); ``.enforced`` is False when neither
    could be created, and then :meth:`rlimits` gives the fallback.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.name = f"tightrope-{uuid.uuid4().hex[:12]}"
        self.dirs: dict[str, Path] = {}
        try:
            self._create()
        except OSError:
            self.close()
            self.dirs = {}

    @property
    def enforced(self) -> bool:
        return bool(self.dirs)

    def _create(self) -> None:
        root = Path("/sys/fs/cgroup")
        own = _own_cgroups()
        if (root / "cgroup.controllers").exists():  # v2: one hierarchy
            path = root / own.get("", "/").lstrip("/") / self.name
            path.mkdir()
            self.dirs["v2"] = path
            (path / "memory.max").write_text(str(self.limits.memory))
            if (path / "memory.swap.max").exists():
                (path / "memory.swap.max").write_text("0")
            (path / "pids.max").write_text(str(self.limits.processes))
            return
        for controller in ("memory", "pids"):
            base = root / controller
            if not base.is_dir():
                raise OSError(f"no {controller} cgroup hierarchy")
            path = base / own.get(controller, "/").lstrip("/") / self.name
            path.mkdir()
            self.dirs[controller] = path
        (self.dirs["memory"] / "memory.limit_in_bytes").write_text(str(self.limits.memory))
        (self.dirs["pids"] / "pids.max").write_text(str(self.limits.processes))

    def prefix(self) -> list[str]:
        """A command prefix that puts the command in the group before it starts anything (a shell
        that writes its own pid into the group, then execs); where no group could be made, a
        ``prlimit`` prefix with the same caps per process."""
        if self.enforced:
            procs = [str(path / "cgroup.procs") for path in self.dirs.values()]
            script = 'for f in "$@"; do case "$f" in --) break;; esac; echo $$ > "$f"; shift; done; shift; exec "$@"'
            return ["/bin/sh", "-c", script, "sh", *procs, "--"]
        if shutil.which("prlimit"):
            return ["prlimit", f"--as={self.limits.memory}", f"--nproc={self.limits.processes}", "--"]
        return []

    def limit_hit(self) -> str:
        """Which limit the notebook ran into ("" if none), in words for the grades."""
        memory = self.dirs.get("memory") or self.dirs.get("v2")
        pids = self.dirs.get("pids") or self.dirs.get("v2")
        if memory is not None and _oom_kills(memory) > 0:
            return f"ran out of memory: it used more than the {self.limits.memory // MiB} MiB limit"
        if pids is not None and _count(pids / "pids.events", "max") > 0:
            return f"started too many processes: more than the limit of {self.limits.processes}"
        return ""

    def close(self) -> None:
        """Kill whatever is left in the group and remove it."""
        for path in self.dirs.values():
            try:
                for pid in (path / "cgroup.procs").read_text().split():
                    try:
                        os.kill(int(pid), 9)
                    except OSError:
                        pass
            except OSError:
                pass
        for path in self.dirs.values():
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)


def _own_cgroups() -> dict[str, str]:
    """controller -> this process's cgroup path ("" for the v2 hierarchy)."""
    found = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            found[controller] = path
    return found


def _count(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def _oom_kills(path: Path) -> int:
    for events in ("memory.events", "memory.oom_control"):  # v2, v1
        if (path / events).exists():
            return _count(path / events, "oom_kill")
    return 0
