"""PDF printing with a headless Chromium that stays warm between exports.

Starting the Playwright driver and Chromium costs one to two seconds, more than printing a
short guide. So each process keeps one browser, owned by one thread (Playwright's sync API
belongs to the thread that started it), and prints one page at a time with it.

An RQ worker forks a short-lived process per job, which would lose a browser started inside
it. The worker therefore runs a print server (``serve``) in its long-lived parent process and
exports its address in ``TECHLEDGER_PRINTER``; the forked jobs send it the path of the page to
print and get the PDF back. Without that variable (the app's in-process jobs, the CLI, tests)
the process prints with its own warm browser.

Pages are handed over as files, not strings: Chromium reads a 10 MB page with its images from
disk several times faster than it receives it through the DevTools protocol.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import queue
import secrets
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Listener
from pathlib import Path

log = logging.getLogger(__name__)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
PDF_OPTIONS = {
    "print_background": True,
    "prefer_css_page_size": True,
    "outline": True,
    "tagged": True,
}
SERVER_ENV = "TECHLEDGER_PRINTER"  # "socket path|hex authkey" of the worker's print server


class PrintError(RuntimeError):
    """Chromium could not print the page; the message says why."""


@dataclass(frozen=True)
class PrintRequest:
    """Print the HTML file at ``path``.

    ``page_number_slots`` is a CSS selector of empty elements (a table of contents) that should
    show the page on which each level-2 section starts. Chromium has no ``target-counter()``, so
    that takes two passes: the first print's outline says where each section starts (that print
    hides the images, which does not move anything and makes it cheap), the numbers go into the
    slots (which must have a fixed width, so the layout cannot move), and the page is printed
    again.
    """

    path: str
    page_number_slots: str | None = None


def section_pages(pdf: bytes) -> list[int]:
    """The page (1-based) of each level-2 heading of ``pdf``, in order, from its outline."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages: list[int] = []

    def walk(items, depth: int) -> None:  # noqa: ANN001
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif depth == 1:
                pages.append(reader.get_destination_page_number(item) + 1)

    outline = reader.outline
    top = [i for i in outline if not isinstance(i, list)]
    # Chromium nests h2 under the h1; with no h1 the h2 are the top level.
    if len(top) == 1 and len(outline) > 1 and isinstance(outline[1], list):
        walk(outline[1], 1)
    else:
        walk(outline, 1)
    return pages


class Printer:
    """One headless Chromium in its own thread, started on first use and restarted if it dies."""

    def __init__(self) -> None:
        self._requests: queue.Queue[tuple[PrintRequest, Future] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.launches = 0  # how many times a browser was started (for tests and benchmarks)

    def print(self, request: PrintRequest, timeout: float = 300) -> bytes:
        """The PDF of ``request``, printed by this process's browser."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="pdf-printer", daemon=True)
                self._thread.start()
        done: Future = Future()
        self._requests.put((request, done))
        return done.result(timeout)

    def close(self) -> None:
        """Stop the browser (it is started again by the next ``print``)."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._requests.put(None)
            thread.join(timeout=15)

    def _run(self) -> None:
        from playwright.sync_api import Error, sync_playwright

        with sync_playwright() as playwright:
            browser = None
            try:
                while (item := self._requests.get()) is not None:
                    request, done = item
                    try:
                        for attempt in (1, 2):  # a browser that crashed is started once more
                            if browser is None or not browser.is_connected():
                                browser = playwright.chromium.launch(
                                    executable_path=CHROMIUM, args=CHROMIUM_ARGS
                                )
                                self.launches += 1
                            try:
                                done.set_result(_print_with(browser, request))
                                break
                            except Error as exc:
                                if attempt == 2 or not _browser_gone(exc):
                                    raise
                                browser = None
                    except Error as exc:
                        done.set_exception(PrintError(f"Chromium could not print the page: {exc}"))
                    except Exception as exc:  # noqa: BLE001  (handed to the caller)
                        done.set_exception(exc)
            finally:
                if browser is not None and browser.is_connected():
                    browser.close()


def _browser_gone(exc: Exception) -> bool:
    """Whether Playwright failed because the browser went away (Chromium crashed or was killed)."""
    return "has been closed" in str(exc) or "Browser closed" in str(exc)


def _print_with(browser, request: PrintRequest) -> bytes:  # noqa: ANN001
    page_url = Path(request.path).resolve().as_uri()
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        # Nothing leaves the machine: the page itself loads, its images are data: URIs.
        page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url == page_url else route.abort(),
        )
        page.goto(page_url, wait_until="load")
        if not request.page_number_slots:
            return page.pdf(**PDF_OPTIONS)
        # The first pass only has to say where the sections start: images hidden (the layout
        # stays the same, as ``visibility`` keeps their space) print in half the time.
        hidden = page.add_style_tag(content="img { visibility: hidden !important; }")
        numbers = section_pages(page.pdf(**PDF_OPTIONS))
        hidden.evaluate("element => element.remove()")
        if not numbers:
            return page.pdf(**PDF_OPTIONS)
        page.evaluate(
            """([selector, numbers]) => document.querySelectorAll(selector).forEach(
                (slot, i) => { slot.textContent = numbers[i] ?? ''; })""",
            [request.page_number_slots, numbers],
        )
        return page.pdf(**PDF_OPTIONS)
    finally:
        context.close()


_printer = Printer()
atexit.register(_printer.close)


def local_printer() -> Printer:
    """This process's printer."""
    return _printer


def print_pdf(
    html: str, page_number_slots: str | None = None, printer: Printer | None = None
) -> bytes:
    """Print a standalone HTML page to PDF: through the worker's print server when there is one,
    else with ``printer`` (this process's by default)."""
    with tempfile.TemporaryDirectory(prefix="techledger-print-") as folder:
        path = Path(folder) / "page.html"
        path.write_text(html, encoding="utf-8")
        request = PrintRequest(str(path), page_number_slots)
        address = os.environ.get(SERVER_ENV)
        if address:
            try:
                return _print_remote(address, request)
            except (OSError, EOFError, AuthenticationError) as exc:
                log.warning("print server unreachable (%s); printing here", exc)
        return (printer or _printer).print(request)


def _print_remote(address: str, request: PrintRequest) -> bytes:
    socket_path, _, key = address.partition("|")
    with Client(socket_path, family="AF_UNIX", authkey=bytes.fromhex(key)) as connection:
        connection.send(request)
        ok, payload = connection.recv()
    if not ok:
        raise PrintError(payload)
    return payload


def serve(printer: Printer | None = None) -> str:
    """Start a print server for forked child processes in a daemon thread of this process.

    Sets ``TECHLEDGER_PRINTER`` (inherited by children) and returns the address.
    """
    printer = printer or _printer
    key = secrets.token_bytes(16)
    folder = tempfile.mkdtemp(prefix="techledger-printer-")
    socket_path = os.path.join(folder, "printer.sock")
    listener = Listener(socket_path, family="AF_UNIX", authkey=key)

    def handle(connection) -> None:  # noqa: ANN001
        with connection:
            try:
                request = connection.recv()
                connection.send((True, printer.print(request)))
            except (OSError, EOFError):
                return
            except Exception as exc:  # noqa: BLE001  (sent back to the job)
                connection.send((False, str(exc)))

    def accept() -> None:
        while True:
            try:
                connection = listener.accept()
            except AuthenticationError:  # not one of this worker's jobs
                continue
            except OSError:  # the listener was closed
                return
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, name="pdf-print-server", daemon=True).start()
    address = f"{socket_path}|{key.hex()}"
    os.environ[SERVER_ENV] = address
    return address


__all__ = [
    "PrintError",
    "PrintRequest",
    "Printer",
    "local_printer",
    "print_pdf",
    "section_pages",
    "serve",
]
