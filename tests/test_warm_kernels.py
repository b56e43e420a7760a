"""Warm kernels (tightrope.warm_kernels) behave as kernels started from nothing.

The book's build executes pages in kernels forked from one process that has already
imported IPython, pandas, Altair and the package. These tests show what the build
relies on: a forked kernel starts with the imports done but holds nothing of an
earlier page; it gets the environment and folder of the page it runs; its output
(including what C code writes to the standard streams) is what a cold kernel's
would be; an interrupt reaches it; and it ends when its client ends.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

from tightrope import warm_kernels


@pytest.fixture(scope="module")
def warm():
    with warm_kernels.server() as environment:
        assert environment, "the warm-kernel server did not start"
        yield environment


def run(cells: list[str], folder, env: dict, *, warm: dict | None = None, **options):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(notebook, resources={"metadata": {"path": str(folder)}}, **{"timeout": 30, **options})
    if warm:
        client.kernel_manager_class = warm_kernels.WarmKernelManager
    client.execute(env={**os.environ, **(warm or {}), **env})
    return [[output.get("text", "") for output in cell.outputs] for cell in notebook.cells]


def test_a_warm_kernel_has_its_imports_done_and_nothing_of_the_page_before(warm, tmp_path):
    first = run(["import sys, os; print('pandas' in sys.modules, 'altair' in sys.modules)",
                 "left_behind = 42; print(os.getpid())"], tmp_path, {}, warm=warm)
    second = run(["print('left_behind' in globals())", "import os; print(os.getpid())"], tmp_path, {}, warm=warm)
    assert first[0] == ["True True\n"], "the kernel should start with pandas and Altair imported"
    assert second[0] == ["False\n"], "a page must not see what an earlier page defined"
    assert first[1] != second[1], "each page needs a process of its own"


PROBE = [
    "import os, sys; print(os.getcwd()); print(os.environ.get('TIGHTROPE_READS')); "
    f"print({warm_kernels.ADDRESS!r} in os.environ)",
    "print(sorted(k for k in globals() if not k.startswith('_') and k not in {'In', 'Out'}))",
    "os.write(1, b'written by C code to stdout\\n'); os.write(2, b'and to stderr\\n'); print('printed')",
    "import subprocess; print(subprocess.run(['echo', 'a subprocess'], capture_output=True, text=True).stdout)",
    "import warnings; warnings.warn('a warning')",
]


def same_but_pids(outputs):
    return [[re.sub(r"ipykernel_\d+", "ipykernel_PID", text) for text in cell] for cell in outputs]


def test_a_warm_kernel_gives_the_output_a_cold_kernel_gives(warm, tmp_path):
    env = {"TIGHTROPE_READS": str(tmp_path / "reads.json")}
    cold = run(PROBE, tmp_path, env)
    hot = run(PROBE, tmp_path, env, warm=warm)
    # A warning names the kernel's temporary folder, which holds its process id.
    assert same_but_pids(hot) == same_but_pids(cold)
    assert hot[0] == [f"{tmp_path}\n{tmp_path / 'reads.json'}\nFalse\n"], \
        "the kernel runs in the page's folder with the page's environment (less the server's address)"


def test_an_interrupt_reaches_a_warm_kernel(warm, tmp_path):
    cells = ["import time; time.sleep(60)", "print('still alive')"]
    start = time.monotonic()
    with pytest.raises(CellTimeoutError):
        run(cells, tmp_path, {}, warm=warm, timeout=2, interrupt_on_timeout=False)
    # interrupt_on_timeout: nbclient interrupts the cell, records the error and goes on.
    outputs = run(cells, tmp_path, {}, warm=warm, timeout=2, interrupt_on_timeout=True, allow_errors=True)
    assert outputs[1] == ["still alive\n"], "the interrupted kernel should run the next cell"
    assert time.monotonic() - start < 30


def start_warm_kernel():
    """A warm kernel started as Jupyter would (the server is named in this process's environment):
    (its manager, the kernel's process id)."""
    from jupyter_client.manager import KernelManager

    class SyncWarmKernelManager(KernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            return warm_kernels.warm_command(super().format_kernel_cmd(extra_arguments))

    manager = SyncWarmKernelManager()
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    streams: list[str] = []
    try:
        client.wait_for_ready(timeout=30)
        client.execute_interactive("import os; print(os.getpid())", timeout=30,
                                   output_hook=lambda m: streams.append(m["content"].get("text", "")))
    finally:
        client.stop_channels()
    return manager, int("".join(streams))


def ends_within(pid: int, seconds: float = 10) -> bool:
    """True if process `pid` is gone within `seconds`; otherwise it is killed and False."""
    for _ in range(int(seconds * 10)):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    return False


def test_a_warm_kernel_ends_when_its_client_is_killed(warm, monkeypatch):
    for name, value in warm.items():
        monkeypatch.setenv(name, value)
    manager, kernel = start_warm_kernel()
    assert kernel != manager.provisioner.process.pid, "the kernel is forked by the server; the client stands in for it"
    manager.provisioner.process.send_signal(signal.SIGKILL)
    assert ends_within(kernel), "the kernel outlived its client by 10 s"
    manager.cleanup_resources()


# Starts a warm kernel and is gone without shutting it down, as a build stopped short would be.
STARTER = f"""
import os, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_warm_kernels import start_warm_kernel
print(start_warm_kernel()[1], flush=True)
os._exit(0)
"""


def test_a_warm_kernel_ends_when_the_process_that_started_it_is_gone(warm):
    started = subprocess.run([sys.executable, "-c", STARTER], env={**os.environ, **warm},
                             capture_output=True, text=True, timeout=60)
    kernel = int(started.stdout.split()[-1])
    assert ends_within(kernel), "the kernel outlived the process that started it by 10 s"
