"""The warm PDF printer: one browser per process, a print server for forked RQ jobs."""

from __future__ import annotations

import io
import os
import signal

import pytest
from pypdf import PdfReader

from techledger import printer

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
nav .pg { display: inline-block; min-width: 4ch; }
h2 { break-before: page; }
</style></head><body><h1>Guide</h1>
<nav><ol><li>One <span class="pg"></span></li><li>Two <span class="pg"></span></li></ol></nav>
<h2>One</h2><p>first</p><h2>Two</h2><p>second</p>
<img src="https://example.com/tracker.png" alt="">
</body></html>"""


def _kill_browsers() -> None:
    """Kill every Chromium this test process started (a crash, as far as the printer knows)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    todo, found = [os.getpid()], []
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    for pid in found:
        try:
            with open(f"/proc/{pid}/comm") as comm:
                name = comm.read()
            if "chrom" in name or "headless" in name:
                os.kill(pid, signal.SIGKILL)
        except (FileNotFoundError, ProcessLookupError):  # it ended meanwhile
            continue


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_browser_stays_warm_and_fills_the_page_numbers():
    local = printer.Printer()
    try:
        first = printer.print_pdf(PAGE, "nav .pg", local)
        second = printer.print_pdf(PAGE, printer=local)
        assert local.launches == 1  # the second page was printed by the same browser
    finally:
        local.close()
    pages = _text(first)
    assert len(pages) == 3
    assert "One 2" in pages[0] and "Two 3" in pages[0]  # the sections start on pages 2 and 3
    assert printer.section_pages(first) == [2, 3]
    assert "One 2" not in _text(second)[0]  # no slots asked for: left empty


def test_a_browser_that_died_is_started_again():
    local = printer.Printer()
    try:
        printer.print_pdf(PAGE, printer=local)
        _kill_browsers()
        assert printer.print_pdf(PAGE, printer=local)[:5] == b"%PDF-"
        assert local.launches == 2
    finally:
        local.close()


def test_a_page_that_does_not_exist_is_a_clear_error(tmp_path):
    local = printer.Printer()
    try:
        with pytest.raises(printer.PrintError, match="could not print"):
            local.print(printer.PrintRequest(str(tmp_path / "missing.html")))
        assert (
            printer.print_pdf(PAGE, printer=local)[:5] == b"%PDF-"
        )  # the printer still works afterwards
    finally:
        local.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="RQ forks its jobs only on POSIX")
def test_forked_jobs_print_through_the_parents_server(monkeypatch):
    monkeypatch.setenv(printer.SERVER_ENV, "")  # so that the address serve() sets is undone
    monkeypatch.delenv(printer.SERVER_ENV)
    parent = printer.Printer()
    try:
        printer.serve(parent)
        assert os.environ[printer.SERVER_ENV]
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the "job": it must not start a browser of its own
            os.close(read)
            try:
                before = printer.local_printer().launches
                pdf = printer.print_pdf(PAGE, page_number_slots="nav .pg")
                ok = pdf[:5] == b"%PDF-" and printer.local_printer().launches == before
                os.write(write, b"ok" if ok else b"bad")
            finally:
                os._exit(0)
        os.close(write)
        answer = os.read(read, 10)
        os.waitpid(pid, 0)
        assert answer == b"ok"
        assert parent.launches == 1  # the parent's browser printed it
    finally:
        parent.close()


def test_a_job_prints_locally_when_the_server_is_gone(monkeypatch, tmp_path):
    monkeypatch.setenv(printer.SERVER_ENV, f"{tmp_path / 'gone.sock'}|00")
    assert printer.print_pdf(PAGE)[:5] == b"%PDF-"


def test_a_wrong_key_is_refused(monkeypatch):
    monkeypatch.setenv(printer.SERVER_ENV, "")  # so that the address serve() sets is undone
    monkeypatch.delenv(printer.SERVER_ENV)
    parent = printer.Printer()
    try:
        address = printer.serve(parent)
        socket_path = address.partition("|")[0]
        monkeypatch.setenv(printer.SERVER_ENV, f"{socket_path}|{'00' * 16}")
        # refused by the server, the job falls back to its own browser
        assert printer.print_pdf(PAGE)[:5] == b"%PDF-"
        assert parent.launches == 0
    finally:
        parent.close()
