"""Kernels that start warm, for executing the book's pages.

Every executed page gets a new kernel, and a new kernel spends about a second
importing IPython, pandas, Altair and this package before it runs a line of the
page. Here one server process does those imports once, and each kernel is a copy
of it made by ``fork()``: a new process holding nothing of any other page, as a
kernel started from nothing would, but with its imports already done.

Jupyter starts a kernel by running a command. With ``WarmKernelManager`` the
command is this module's client: a small process that hands the server its
standard streams, environment, folder and arguments, forwards interrupts to the
kernel the server forked for it, and lives exactly as long as that kernel, so the
kernel manager watches and stops it as it would any kernel. If the client dies,
the kernel ends too. Data is never loaded in the server: each page reads (and
records) its own tables.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading

ADDRESS = "TIGHTROPE_WARM_KERNELS"  # environment variable: the server's socket
# What pages import (see chapters/ and appendices/); anything else a page imports itself.
PRELOAD = ("ipykernel.kernelapp", "IPython.display", "pandas", "altair", "myst_nb",
           "tightrope.aftermath", "tightrope.attacks", "tightrope.charts", "tightrope.data",
           "tightrope.deterrence", "tightrope.sources", "tightrope.timeline")
# A forked child inherits no threads, so a BLAS thread pool started in the server
# would hang the kernel's first matrix operation; the server keeps BLAS single-threaded.
SINGLE_THREADED = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


@contextlib.contextmanager
def server(env: dict | None = None):
    """Runs a server for the duration, in ``env`` (by default this process's environment); yields the
    environment variables that make ``WarmKernelManager`` use it, or {} if it could not start (kernels
    then start cold)."""
    folder = tempfile.mkdtemp(prefix="tightrope-kernels-")
    address = os.path.join(folder, "socket")
    process = subprocess.Popen([sys.executable, "-m", __name__, "--serve", address],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=folder,
                               env={**(os.environ if env is None else env), **SINGLE_THREADED})
    try:
        ready = process.stdout.readline().strip() == b"ready"
        yield {ADDRESS: address} if ready else {}
    finally:
        process.stdin.close()  # the server exits when its stdin closes
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def warm_command(command: list[str]) -> list[str]:
    """The command that starts a kernel through the server instead of ``command``."""
    if command[:3] != [sys.executable, "-m", "ipykernel_launcher"]:
        return command  # another Python or another language: started as usual
    return [sys.executable, "-m", __name__, *command[3:]]


@functools.cache
def _kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class WarmKernelManager(AsyncKernelManager):
        """Starts a Python kernel through the warm-kernel server named in the kernel's environment."""

        def format_kernel_cmd(self, extra_arguments=None):
            return warm_command(super().format_kernel_cmd(extra_arguments))

    return WarmKernelManager


def __getattr__(name):
    # Defined on first use: importing jupyter_client would slow the client's start.
    if name == "WarmKernelManager":
        return _kernel_manager_class()
    raise AttributeError(name)


# ----------------------------------------------------------------------------- the server

def serve(address: str) -> None:
    for name in PRELOAD:
        with contextlib.suppress(Exception):  # a page that needs a broken module reports it itself
            importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(16)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernels are reaped by the system
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a build: the server ends with the build
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 1):
            return  # the build is over (or gone)
        if listener in readable:
            connection, _ = listener.accept()
            if os.fork() == 0:
                listener.close()
                _become_kernel(connection)
            connection.close()


def _become_kernel(connection: socket.socket) -> None:
    """In the forked child: take the client's streams, environment and folder, and run the kernel."""
    try:
        message, fds, _, _ = socket.recv_fds(connection, 1 << 16, 3)
        while not message.endswith(b"\n"):  # a long environment can arrive in pieces
            message += connection.recv(1 << 16)
        request = json.loads(message)
        for fd, standard in zip(fds, (0, 1, 2)):
            os.dup2(fd, standard)
            os.close(fd)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a page's subprocesses must be waitable
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.pop(ADDRESS, None)
        os.chdir(request["cwd"])
        sys.path[:] = [p for p in sys.path if p not in ("", request["server_dir"])]
        connection.sendall(f"{os.getpid()}\n".encode())
        threading.Thread(target=_exit_with_client, args=(connection,), daemon=True).start()
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        # parent_handle=1: no parent poller (it reads a parent pid from the server's environment,
        # and the client's socket does its work), and no banner for a kernel started by hand.
        IPKernelApp.launch_instance(argv=request["argv"], parent_handle=1)
    finally:
        os._exit(0)


def _exit_with_client(connection: socket.socket) -> None:
    while connection.recv(64):
        pass
    os._exit(1)


# ----------------------------------------------------------------------------- the client

def client(argv: list[str]) -> int:
    """The kernel command: have the server fork a kernel, and stand in for it until it ends."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    address = os.environ[ADDRESS]
    connection.connect(address)
    request = {"argv": argv, "env": dict(os.environ), "cwd": os.getcwd(),
               "server_dir": os.path.dirname(address)}
    socket.send_fds(connection, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = connection.recv(64)
        if not chunk:
            return 1
        reply += chunk
    kernel = int(reply)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda received, frame: os.kill(kernel, received))
    # Until the kernel exits, or whoever started it is gone (a build stopped short): then the kernel
    # ends too, as Jupyter's parent poller would end a kernel started from nothing.
    parent = os.getppid()
    connection.settimeout(1.0)
    while True:
        try:
            if not connection.recv(64):
                return 0
        except TimeoutError:
            if os.getppid() != parent:
                return 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2])
    else:
        sys.exit(client(sys.argv[1:]))
