"""Run a program under a real pseudo-terminal and look at what it writes.

:func:`run_in_pty` forks the program on a fresh pty (TERM=xterm-256color, COLORTERM=truecolor, the
window size set with TIOCSWINSZ before exec), reads the master side, and keeps every chunk read with its
``time.monotonic()`` stamp (a system-wide clock, so the child's own stamps line up with ours). Like a
modern terminal it answers Textual's query for synchronised output (DEC mode 2026), so each frame
arrives between ``ESC[?2026h`` and ``ESC[?2026l``.

:class:`Terminal` is a tiny screen emulator, just enough for Textual's output (cursor moves, SGR
styles, text): it keeps what each cell shows and, per synchronised frame, how many cells changed.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.cells import cell_len, get_character_cell_size

SYNC_START = "\x1b[?2026h"
SYNC_END = "\x1b[?2026l"
_SYNC_QUERY = b"\x1b[?2026$p"
_SYNC_ANSWER = b"\x1b[?2026;2$y"  # "supported, currently off"

_TOKEN = re.compile(
    r"\x1b\[([0-9;:?<>=]*)[ -/]*([@-~])"  # CSI: params, final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|([^\x00-\x1f\x7f]+)"  # printable text
    r"|([\x00-\x1a\x1c-\x1f\x7f])"  # single control characters (not ESC)
)


@dataclass
class Frame:
    """One synchronised update: its size on the wire and what it did to the screen."""

    nbytes: int
    changed: int  # cells whose character or style differ from before the frame
    written: int  # cells written (changed or not)
    time: float = 0.0  # when its last byte was read
    min_bytes: int = 0  # what sending only the changed cells would take (see Terminal._run_bytes)
    bytes_by_area: Counter[str] = field(default_factory=Counter)  # only with ``areas``
    changed_by_area: Counter[str] = field(default_factory=Counter)
    min_bytes_by_area: Counter[str] = field(default_factory=Counter)


class Terminal:
    """A minimal terminal screen: characters and SGR state per cell, no scrolling, no wrap.

    ``areas`` (optional, ``rows × cols`` names) attributes each frame's bytes (by where the cursor
    was sent) and changed cells to named parts of the screen.
    """

    def __init__(self, cols: int, rows: int, areas: list[list[str]] | None = None) -> None:
        self.cols, self.rows = cols, rows
        self.areas = areas
        self._area = ""
        self._area_bytes: Counter[str] = Counter()
        self.chars = [[" "] * cols for _ in range(rows)]
        self.styles = [[""] * cols for _ in range(rows)]
        self.x = self.y = 0
        self.style = ""
        self.frames: list[Frame] = []
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._in_frame = False
        self._frame_text: list[str] = []
        self._snapshot: list[tuple[int, list[str], list[str]]] = []  # rows as they were before the frame
        self._touched: set[int] = set()
        self._written = 0

    # ------------------------------------------------------------------ reading the screen
    def row_text(self, y: int) -> str:
        return "".join(self.chars[y])

    def text(self) -> str:
        return "\n".join(self.row_text(y) for y in range(self.rows))

    def contains(self, needle: str | re.Pattern[str]) -> bool:
        """True when ``needle`` (text or a compiled pattern) shows on some row."""
        for y in range(self.rows):
            row = self.row_text(y)
            if (needle in row) if isinstance(needle, str) else needle.search(row):
                return True
        return False

    # ------------------------------------------------------------------ feeding
    def feed(self, data: bytes, stamp: float = 0.0) -> list[Frame]:
        """Interpret ``data``; return the frames that ended inside it (stamped with ``stamp``)."""
        buf = self._pending + self._decoder.decode(data)
        pos, end = 0, len(buf)
        done: list[Frame] = []
        match = _TOKEN.match
        while pos < end:
            m = match(buf, pos)
            if m is None:
                if end - pos < 64:  # an escape sequence cut in two: wait for the rest
                    break
                pos += 1  # garbage: skip it
                continue
            token = m.group(0)
            was_in_frame = self._in_frame
            if was_in_frame:
                self._frame_text.append(token)
            text = m.group(3)
            if text is not None:
                self._put(text)
            elif m.group(2) is not None:
                self._csi(m.group(1), m.group(2), token, done, stamp)
            elif m.group(4) is not None:
                if token == "\r":
                    self.x = 0
                elif token == "\n":
                    self.y = min(self.y + 1, self.rows - 1)
                elif token == "\b":
                    self.x = max(self.x - 1, 0)
            if self.areas is not None and (was_in_frame or self._in_frame):  # after a cursor move: its new area
                self._area_bytes[self._area] += len(token) if token.isascii() else len(token.encode("utf-8"))
            pos = m.end()
        self._pending = buf[pos:]
        self.frames.extend(done)
        return done

    def _csi(self, params: str, final: str, token: str, done: list[Frame], stamp: float) -> None:
        if final == "m":
            if params in ("", "0"):
                self.style = ""
            elif params.startswith("0;"):
                self.style = params[2:]
            else:
                self.style = f"{self.style};{params}" if self.style else params
        elif final == "H" or final == "f":
            parts = params.split(";") if params else []
            row = int(parts[0]) if parts and parts[0] else 1
            col = int(parts[1]) if len(parts) > 1 and parts[1] else 1
            self.y = min(max(row - 1, 0), self.rows - 1)
            self.x = min(max(col - 1, 0), self.cols)
            if self.areas is not None:
                self._area = self.areas[self.y][min(self.x, self.cols - 1)]
        elif final == "J" and params == "2":
            for y in range(self.rows):
                self._touch(y)
                self.chars[y] = [" "] * self.cols
                self.styles[y] = [self.style] * self.cols
        elif token == SYNC_START:
            self._begin_frame()
        elif token == SYNC_END and self._in_frame:
            done.append(self._end_frame(stamp))

    def _touch(self, y: int) -> None:
        if self._in_frame and y not in self._touched:
            self._touched.add(y)
            self._snapshot.append((y, self.chars[y][:], self.styles[y][:]))

    def _put(self, text: str) -> None:
        y, x, cols = self.y, self.x, self.cols
        if x >= cols:
            return
        self._touch(y)
        chars, styles = self.chars[y], self.styles[y]
        if cell_len(text) == len(text):  # all one cell wide: slice assignment
            n = min(len(text), cols - x)
            chars[x : x + n] = text[:n]
            styles[x : x + n] = [self.style] * n
            self.x = x + n
            self._written += n
            return
        for ch in text:
            w = get_character_cell_size(ch)
            if w == 0:
                continue
            if x + w > cols:
                break
            chars[x] = ch
            styles[x] = self.style
            if w == 2:
                chars[x + 1] = ""
                styles[x + 1] = self.style
            x += w
            self._written += w
        self.x = x

    def _begin_frame(self) -> None:
        self._in_frame = True
        self._frame_text = [SYNC_START]
        self._snapshot = []
        self._touched = set()
        self._written = 0
        self._area_bytes = Counter()

    def _end_frame(self, stamp: float) -> Frame:
        changed = min_bytes = 0
        by_area: Counter[str] = Counter()
        min_by_area: Counter[str] = Counter()
        for y, old_chars, old_styles in self._snapshot:
            chars, styles = self.chars[y], self.styles[y]
            cells = zip(old_chars, chars, old_styles, styles, strict=True)
            xs = [x for x, (a, b, c, d) in enumerate(cells) if a != b or c != d]
            if not xs:
                continue
            changed += len(xs)
            names = self.areas[y] if self.areas is not None else None
            start = prev = xs[0]
            for x in [*xs[1:], -1]:  # runs of adjacent changed cells
                if x == prev + 1:
                    prev = x
                    continue
                cost = self._run_bytes(y, start, prev + 1)
                min_bytes += cost
                if names is not None:
                    min_by_area[names[start]] += cost
                start = prev = x
            if names is not None:
                for x in xs:
                    by_area[names[x]] += 1
        nbytes = len("".join(self._frame_text).encode("utf-8"))
        self._in_frame = False
        self._frame_text = []
        return Frame(nbytes=nbytes, changed=changed, written=self._written, time=stamp, min_bytes=min_bytes,
                     bytes_by_area=self._area_bytes, changed_by_area=by_area, min_bytes_by_area=min_by_area)

    def _run_bytes(self, y: int, x0: int, x1: int) -> int:
        """Bytes to send cells ``x0 .. x1-1`` of row ``y`` as Textual encodes them: a cursor move, then
        each stretch of equal style as ``ESC[<style>m`` text ``ESC[0m`` (plain text when unstyled)."""
        chars, styles = self.chars[y], self.styles[y]
        total = len(f"\x1b[{y + 1};{x0 + 1}H")
        x = x0
        while x < x1:
            style, end = styles[x], x + 1
            while end < x1 and styles[end] == style:
                end += 1
            text = "".join(chars[x:end])
            total += len(text.encode("utf-8")) + (len(style) + 7 if style else 0)  # ESC[ … m and ESC[0m
            x = end
        return total


@dataclass
class Capture:
    """What a program wrote to its terminal."""

    start: float  # monotonic time just before the fork
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    status: int | None = None  # exit status (None when we stopped it)
    stopped_at: float | None = None  # when ``until`` said yes

    @property
    def data(self) -> bytes:
        return b"".join(c for _, c in self.chunks)

    def bytes_between(self, t0: float, t1: float) -> int:
        """Bytes read at times in ``[t0, t1]``."""
        return sum(len(c) for t, c in self.chunks if t0 <= t <= t1)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a program under test: a truecolor xterm, no NO_COLOR."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL", "COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    env.update(extra or {})
    return env


def run_in_pty(
    argv: list[str],
    env: dict[str, str],
    *,
    cols: int = 160,
    rows: int = 50,
    timeout: float = 60.0,
    until: Callable[[bytes, float], bool] | None = None,
    cwd: str | None = None,
) -> Capture:
    """Run ``argv`` on a new pty of ``cols × rows`` and collect its output.

    Reads until the program exits, ``timeout`` seconds pass, or ``until(chunk, stamp)`` returns True
    (then the program is terminated). Answers the synchronised-output query like a modern terminal.
    """
    cap = Capture(start=time.monotonic())
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal, then become the program
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            if cwd:
                os.chdir(cwd)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    tail = b""
    deadline = cap.start + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([fd], [], [], min(left, 0.25))
            if not ready:
                continue
            try:
                data = os.read(fd, 1 << 20)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            stamp = time.monotonic()
            cap.chunks.append((stamp, data))
            if _SYNC_QUERY in tail[-16:] + data:
                os.write(fd, _SYNC_ANSWER)
            tail = data[-16:]
            if until is not None and until(data, stamp):
                cap.stopped_at = stamp
                break
    finally:
        cap.status = _finish(pid, stopped=cap.stopped_at is not None)
        os.close(fd)
    return cap


def _finish(pid: int, stopped: bool) -> int | None:
    """Reap the child; terminate it first if it is still running."""
    signals = (signal.SIGTERM, signal.SIGKILL) if stopped else (None, signal.SIGTERM, signal.SIGKILL)
    for sig in signals:
        if sig is not None:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        for _ in range(40):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return None if stopped else os.waitstatus_to_exitcode(status)
            time.sleep(0.025)
    return None
