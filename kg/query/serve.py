"""``kg serve``: a read-only SPARQL 1.1 endpoint over a build, with the ``oxigraph``
server (the PyPI package ``oxigraph``, a Rust binary installed next to Python).

    with Endpoint("outputs", host="127.0.0.1", port=7878) as ep:
        print(ep.query_url)          # http://127.0.0.1:7878/query
        ep.wait()                    # until Ctrl-C / SIGTERM

The build's ``graph.ttl`` is loaded (``oxigraph load``) into a fresh store in a
temporary folder, which ``oxigraph serve-read-only`` then serves: SPARQL queries at
``/query`` (GET or POST), the Graph Store Protocol (read) at ``/store``, a query
page at ``/``. Updates and uploads are answered ``403 Forbidden``. The store is
removed when the server stops, so the endpoint always serves the build as it is.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from kg.errors import KgError

__all__ = ["Endpoint", "oxigraph_binary", "check_port", "DEFAULT_HOST", "DEFAULT_PORT"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable: the one installed with this Python first, then PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise KgError("the oxigraph server is not installed (pip install oxigraph)", exit_code=1)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def check_port(host: str, port: int) -> None:
    """Raise KgError if ``host:port`` cannot be listened on (in use, or not this machine)."""
    if not 0 < port < 65536:
        raise KgError(f"--port must be between 1 and 65535 (got {port})")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise KgError(f"unknown host {host!r}: {exc.strerror}") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        if os.name != "nt":  # as servers do: connections in TIME_WAIT do not block the port
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise KgError(f"port {port} on {host} is already in use (choose another with --port)",
                              exit_code=1) from None
            raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                          exit_code=1) from None


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


class Endpoint:
    """A running read-only oxigraph server over a build's ``graph.ttl``."""

    def __init__(self, ttl: str | os.PathLike, *, host: str = DEFAULT_HOST,
                 port: int = DEFAULT_PORT, timeout: float | None = 60.0,
                 startup_timeout: float = 60.0):
        self.ttl = Path(ttl)
        self.host = host
        self.port = port
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.base_url = f"http://{_url_host(host)}:{port}"
        self.query_url = f"{self.base_url}/query"
        self.proc: subprocess.Popen | None = None
        self.tmp: Path | None = None
        self._log = None

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> Endpoint:
        exe = oxigraph_binary()
        check_port(self.host, self.port)
        self.tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        store = self.tmp / "store"
        try:
            load = subprocess.run(
                [exe, "load", "--location", str(store), "--file", str(self.ttl),
                 "--format", "text/turtle"],
                capture_output=True, text=True, encoding="utf-8", errors="replace")
            if load.returncode != 0:
                raise KgError(f"{self.ttl} cannot be served: oxigraph could not load it: "
                              f"{_last_line(load.stderr) or f'exit {load.returncode}'}")
            cmd = [exe, "serve-read-only", "--location", str(store),
                   "--bind", f"{_url_host(self.host)}:{self.port}"]
            if self.timeout:
                cmd += ["--timeout-s", str(max(1, int(self.timeout)))]
            self._log = open(self.tmp / "server.log", "w+", encoding="utf-8", errors="replace")
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._log,
                                         stderr=subprocess.STDOUT)
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.proc.poll() is not None:
                self._log.seek(0)
                why = _last_line(self._log.read()) or f"exit {self.proc.returncode}"
                raise KgError(f"the oxigraph server stopped at once: {why}", exit_code=1)
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise KgError(f"the oxigraph server did not answer on {self.base_url} "
                              f"within {self.startup_timeout:.0f} s", exit_code=1)
            time.sleep(0.1)

    def wait(self) -> int:
        """Block until the server exits; return its exit code."""
        assert self.proc is not None
        return self.proc.wait()

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self) -> Endpoint:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
