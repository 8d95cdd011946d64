"""An inline fuzzy picker, for `switcher console|shell|exec|env` run without a target: a
prompt and a few lines of matches drawn under the cursor (no full screen), typing filters
(switcher.search's ranking, as in the app), arrows move, Enter chooses, Escape or Ctrl+C
cancels. Keys come from standard input in raw mode (termios, nothing else); the picker is
drawn on stderr, so `eval "$(switcher env)"` still gets only the exports on stdout. Names are
drawn escaped (switcher.text.visible)."""

from __future__ import annotations

import codecs
import contextlib
import os
import select
from collections.abc import Iterator, Sequence
from typing import TextIO

from switcher.model import Target
from switcher.search import Searcher
from switcher.text import shorten, visible

PROMPT = "Target> "
HINT = "type to filter, ↑↓ to move, Enter to choose, Esc to cancel"
ESCAPE_WAIT = 0.05
"""How long a lone Escape waits for the rest of an arrow key's sequence, in seconds."""

REVERSE, DIM, RESET = "\x1b[7m", "\x1b[2m", "\x1b[0m"

UP = frozenset({"\x1b[A", "\x1bOA", "\x10"})  # arrow, Ctrl+P
DOWN = frozenset({"\x1b[B", "\x1bOB", "\x0e", "\t"})  # arrow, Ctrl+N, Tab
PAGE_UP, PAGE_DOWN = "\x1b[5~", "\x1b[6~"
ACCEPT = frozenset({"\r", "\n"})
CANCEL = frozenset({"\x1b", "\x03", "\x07", "\x04"})  # Escape, Ctrl+C, Ctrl+G, Ctrl+D
BACKSPACE = frozenset({"\x7f", "\x08"})
CLEAR, DELETE_WORD = "\x15", "\x17"  # Ctrl+U, Ctrl+W


class Picker:
    """The picker's state, without a terminal: what is typed, what matches, which line is
    chosen, and the lines that show it."""

    def __init__(self, targets: Sequence[Target], searcher: Searcher | None = None,
                 height: int = 10) -> None:
        self.targets = list(targets)
        self.searcher = searcher or Searcher(self.targets)
        self.height = max(1, height)
        self.query = ""
        self.matches = self.searcher.search("")
        self.selected = 0
        self.top = 0

    @property
    def chosen(self) -> Target | None:
        return self.targets[self.matches[self.selected]] if self.matches else None

    def key(self, key: str) -> bool | None:
        """Apply one key: True when chosen (Enter), False when cancelled, else None."""
        if key in ACCEPT:
            return True if self.matches else None
        if key in CANCEL:
            return False
        if key in UP:
            self.move(-1)
        elif key in DOWN:
            self.move(1)
        elif key == PAGE_UP:
            self.move(-self.height)
        elif key == PAGE_DOWN:
            self.move(self.height)
        elif key in BACKSPACE:
            self.filter(self.query[:-1])
        elif key == CLEAR:
            self.filter("")
        elif key == DELETE_WORD:
            words = self.query.rstrip().rsplit(" ", 1)
            self.filter(words[0] + " " if len(words) == 2 else "")
        elif key.isprintable():
            self.filter(self.query + key)
        return None

    def filter(self, query: str) -> None:
        self.query = query
        self.matches = self.searcher.search(query)
        self.selected = self.top = 0

    def move(self, delta: int) -> None:
        if not self.matches:
            return
        self.selected = min(max(self.selected + delta, 0), len(self.matches) - 1)
        if self.selected < self.top:
            self.top = self.selected
        elif self.selected >= self.top + self.height:
            self.top = self.selected - self.height + 1

    def lines(self, width: int) -> list[str]:
        """The prompt line, then one line per visible match (the chosen one reversed)."""
        width = max(width - 1, 20)  # the last column would wrap on some terminals
        count = f"  {len(self.matches)}/{len(self.targets)}"
        prompt = PROMPT + visible(self.query)
        hint = f"  {HINT}" if not self.query else ""
        lines = [shorten(prompt, width) + DIM + shorten(count + hint, max(width - len(prompt),
                                                                           0)) + RESET]
        shown = self.matches[self.top:self.top + self.height]
        name_width = max((len(visible(self.targets[i].display_name)) for i in shown),
                         default=0)
        for position, index in enumerate(shown, start=self.top):
            target = self.targets[index]
            text = shorten(f"{visible(target.display_name):<{name_width}}  "
                           f"{target.environment.value:<11}  {target.account_id}", width - 2)
            lines.append(f"{REVERSE}> {text}{RESET}" if position == self.selected
                         else f"  {text}")
        if not self.matches:
            lines.append(f"{DIM}  no target matches{RESET}")
        return lines

    def cursor_column(self) -> int:
        return len(PROMPT) + len(visible(self.query))


def split_keys(text: str) -> Iterator[str]:
    """Keys in what the terminal sent: escape sequences whole, other characters one by one."""
    position = 0
    while position < len(text):
        if text.startswith(("\x1b[", "\x1bO"), position) and position + 2 < len(text):
            end = position + 2
            while end < len(text) - 1 and not "\x40" <= text[end] <= "\x7e":
                end += 1
            yield text[position:end + 1]
            position = end + 1
        else:
            yield text[position]
            position += 1


@contextlib.contextmanager
def raw_keys(fd: int) -> Iterator[None]:
    """Keys one at a time, unechoed, Ctrl+C as a key; the terminal restored after."""
    import termios

    saved = termios.tcgetattr(fd)
    mode = termios.tcgetattr(fd)
    mode[0] &= ~(termios.ICRNL | termios.INLCR | termios.IGNCR | termios.IXON)
    mode[3] &= ~(termios.ICANON | termios.ECHO | termios.ISIG | termios.IEXTEN)
    mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSADRAIN, mode)  # DRAIN, not FLUSH: keep typed-ahead keys
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _read_keys(fd: int, decoder: codecs.IncrementalDecoder) -> list[str]:
    data = os.read(fd, 1024)
    if not data:
        return ["\x04"]  # the terminal went away
    text = decoder.decode(data)
    # A lone Escape, or a sequence cut short: wait a moment for the rest.
    while text.endswith("\x1b") or (len(text) >= 2 and text[-2] == "\x1b" and text[-1] in "[O"):
        if not select.select([fd], [], [], ESCAPE_WAIT)[0]:
            break
        text += decoder.decode(os.read(fd, 1024))
    return list(split_keys(text))


class Screen:
    """Draws the picker's lines under the cursor, and redraws them in place."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def width_and_height(self) -> tuple[int, int]:
        try:
            size = os.get_terminal_size(self.stream.fileno())
        except (OSError, ValueError):
            return 80, 24
        return size.columns, size.lines

    def draw(self, lines: list[str], column: int) -> None:
        """From the prompt line (where the cursor is left each time, even when the lines
        scrolled the terminal): clear below, draw, and come back up to the prompt."""
        text = "\r\x1b[J" + "\r\n".join(lines)
        if len(lines) > 1:
            text += f"\x1b[{len(lines) - 1}A"
        text += "\r" + (f"\x1b[{column}C" if column else "")
        self.stream.write(text)
        self.stream.flush()

    def clear(self, last_line: str = "") -> None:
        self.stream.write("\r\x1b[J" + (last_line + "\r\n" if last_line else ""))
        self.stream.flush()


def pick(picker: Picker, fd: int, stream: TextIO) -> Target | None:
    """Run `picker` on the terminal: keys from `fd` (a terminal), drawing on `stream`; the
    chosen target, or None when cancelled."""
    screen = Screen(stream)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    width, height = screen.width_and_height()
    picker.height = min(picker.height, max(height - 2, 1))
    done: bool | None = None
    with raw_keys(fd):
        try:
            screen.draw(picker.lines(width), picker.cursor_column())
            while done is None:
                for key in _read_keys(fd, decoder):
                    done = picker.key(key)
                    if done is not None:
                        break
                width = screen.width_and_height()[0]
                screen.draw(picker.lines(width), picker.cursor_column())
        finally:
            chosen = picker.chosen if done else None
            screen.clear(PROMPT + visible(chosen.display_name) if chosen else "")
    return chosen
