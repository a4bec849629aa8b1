"""A PDF process started with a command, so WeasyPrint loads while the command reads.

Importing WeasyPrint takes about as long as everything a command does before it renders
(reading project.yaml, the workflow and the store). :class:`RenderWorker` forks one process
at the start of a command that may render; it imports WeasyPrint while the command works out
what to render, then lays out each PDF it is sent while the command makes the DOCX. Laying
out a PDF is a pure function of the page HTML, so the worker is only a shortcut: when it is
not there, fails or raises, the command lays the PDF out itself and gets the same bytes or
the same error.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docflow.render import DocMeta, SigBox

__all__ = ["RenderWorker", "render_worker"]

PdfResult = tuple[bytes, dict[str, "SigBox"]]

# A few words in the faces the built-in stylesheet uses (serif body, sans headings, bold;
# CJK and Latin): laying them out loads fontconfig, Pango and HarfBuzz state that stays warm.
_WARM_UP = (
    '<html lang="zh-CN"><body><h1 style="font-family: \'Noto Sans CJK SC\'">标题 <b>粗体</b></h1>'
    "<p style=\"font-family: 'Noto Serif CJK SC'\">正文 <b>粗体</b> Text</p>"
    "<p lang=\"en\" style=\"font-family: 'Liberation Serif', 'DejaVu Serif'\">Text <b>bold</b></p>"
    "</body></html>"
)


# The C types WeasyPrint's PDF writing and docflow's font subsetting name (pycparser parses
# each on first use).
_CTYPES = ("unsigned int *", "hb_tag_t[100]", "char[4]", "hb_codepoint_t[]")


def _warm_up(waiting: Callable[[], bool]) -> None:
    """Import what writing a PDF/A takes and lay out a few words, step by step, while no
    PDF waits (``waiting()`` is asked before each step, so a page that arrives meanwhile
    waits for one step at most).

    The first document a process lays out pays for the modules that write PDFs, for the C
    types they name (cffi parses each on first use), for asking fontconfig whether a Chinese
    font is installed (``fc-list``, a process) and for loading fonts (fontconfig, Pango and
    HarfBuzz state, process-wide); the worker pays that while the command still reads its
    project. Only the layout is warmed, not the writing: writing the few words costs about
    five times what it saves on the first document, which would slow a machine whose other
    core is busy. The bytes of every PDF are the same with or without it.
    """
    for step in (_import_writers, _name_c_types, _ask_for_chinese_font, _lay_out_words):
        if waiting():
            return
        step()


def _import_writers() -> None:
    import pydyf  # noqa: F401
    import weasyprint.pdf  # noqa: F401

    import docflow.render.cidfonts
    import docflow.render.fontfiles
    import docflow.render.pdfa
    import docflow.render.pdftags
    import docflow.render.pdfwrite  # noqa: F401


def _name_c_types() -> None:
    from weasyprint.text.ffi import ffi

    for ctype in _CTYPES:
        ffi.typeof(ctype)


def _ask_for_chinese_font() -> None:
    from docflow.render.fonts import has_chinese_font

    has_chinese_font()  # kept for the process: render_pdf asks before a zh-CN document


def _lay_out_words() -> None:
    from docflow.render.libs import import_weasyprint

    import_weasyprint().HTML(string=_WARM_UP).render()


def _serve(conn: Connection, theirs: Connection) -> None:
    """The worker: import WeasyPrint, then answer each (html, meta, dirs, data) with the PDF.

    The command's end of the pipe is closed here first, so that the worker reads the end of
    the pipe and stops when the command ends, however it ends (even by SIGKILL). Ctrl-C is
    the command's to handle: the worker ignores SIGINT instead of printing a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    theirs.close()
    try:
        from docflow.render.libs import import_weasyprint
        from docflow.render.pdf import render_pdf

        import_weasyprint()
        with contextlib.suppress(Exception):
            _warm_up(conn.poll)  # while nothing waits to be laid out
        # What the process holds now stays: the collector need not look at it again.
        gc.freeze()
        while True:
            html, meta, dirs, data = conn.recv()
            try:
                conn.send(("ok", render_pdf(html, meta, dirs, data)))
            except BaseException:  # the command lays it out again and reports the error
                conn.send(("failed",))
                return
            # A layout leaves reference cycles behind; collect them while the command
            # finishes the document, so a long batch does not pile them up.
            gc.collect()
    except (EOFError, OSError):
        pass  # the command is done, or rendered nothing
    finally:
        conn.close()


class RenderWorker:
    """One forked process that lays out PDFs, one at a time."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self._conn), daemon=True)
        self._process.start()
        child.close()
        self._broken = False

    @property
    def running(self) -> bool:
        """Whether the worker process is still there."""
        return self._process.is_alive()

    def start_pdf(
        self, html: str, meta: DocMeta, dirs: tuple[Path, ...], data: bytes = b""
    ) -> Callable[[], PdfResult]:
        """Send one PDF to lay out; the returned function waits for it.

        If the worker cannot do it, the function lays the PDF out in this process instead.
        """
        sent = False
        if not self._broken:
            try:
                self._conn.send((html, meta, dirs, data))
                sent = True
            except (OSError, ValueError):
                self._broken = True

        def wait() -> PdfResult:
            if sent:
                try:
                    answer = self._conn.recv()
                except (EOFError, OSError):
                    answer = ("failed",)
                if answer[0] == "ok":
                    return answer[1]  # type: ignore[no-any-return]
                self._broken = True
            from docflow.render.pdf import render_pdf

            return render_pdf(html, meta, dirs, data)

        return wait

    def close(self) -> None:
        """Stop the worker (at once if it is still importing)."""
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _spare_core() -> bool:
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:
        return (os.cpu_count() or 1) > 1


@contextlib.contextmanager
def render_worker(enabled: bool = True) -> Iterator[RenderWorker | None]:
    """A RenderWorker for the duration of a command, where one can save time.

    None when not ``enabled``, on a single core (nothing would run side by side) or where
    processes cannot be forked.
    """
    worker = None
    if enabled and _spare_core() and "fork" in multiprocessing.get_all_start_methods():
        with contextlib.suppress(OSError):
            worker = RenderWorker()
    try:
        yield worker
    finally:
        if worker is not None:
            worker.close()
