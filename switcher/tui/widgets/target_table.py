"""The list of targets: one row per account and role, coloured by environment.

It renders only the rows on screen (a ScrollView that draws lines on demand), so 100,000
targets cost no more to show or scroll than 30, and filtering asks `search.Searcher`, which
narrows incrementally as the query grows.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from switcher.environments import PRODUCTION_GLYPH, readable_foreground
from switcher.model import Environment, Target
from switcher.search import Searcher, Usage
from switcher.tui.text import counted, visible
from switcher.tui.workers import start as start_worker

SHORT_NAMES = {Environment.PRODUCTION: "PROD", Environment.STAGING: "STAGE",
               Environment.DEVELOPMENT: "DEV", Environment.TEST: "TEST",
               Environment.SANDBOX: "SANDBOX", Environment.MANAGEMENT: "MGMT",
               Environment.SHARED: "SHARED", Environment.UNKNOWN: "?"}
BADGE_WIDTH = 10
FLAGS_WIDTH = 3
"""After the badge: ✓ (marked), then ★ (favourite) or ↺ (used lately), then a space."""
FAVOURITE, RECENT, MARKED = "★", "↺", "✓"
NO_REGION = "—"
ACCOUNT_ID_WIDTH = 12
MIN_SOURCE_WIDTH = 12
"""Narrower than this, the Source column is left out."""
MIN_NAME_WIDTH = 12
"""Account and role names are not cut shorter than this."""
LAST_KNOWN = "[last known]"
UNKNOWN_COLOR = "#c0c0c0"
MATCH = Style(bold=True, underline=True)
"""Matched characters: underlined, which needs no colour."""


def badge_label(environment: Environment) -> str:
    """`▲ PROD    `, `  STAGE   `: the environment in words, and production's glyph, so that
    production stands out without colour too (BADGE_WIDTH cells)."""
    glyph = PRODUCTION_GLYPH if environment is Environment.PRODUCTION else " "
    return f"{glyph} {SHORT_NAMES[environment]:<7} "


def badge_style(target: Target) -> Style:
    """The target's colour with a readable foreground. Production's is the same colours
    drawn in reverse video: with no colour (NO_COLOR, a monochrome terminal) it is still a
    block of its own."""
    background = target.color or UNKNOWN_COLOR
    foreground = readable_foreground(background)
    if target.environment is Environment.PRODUCTION:
        return Style(bold=True, reverse=True, color=background, bgcolor=foreground)
    return Style(bold=True, color=foreground, bgcolor=background)


def environment_badge(target: Target) -> Text:
    """The environment in the target's colour, with a foreground that stays readable."""
    return Text(badge_label(target.environment), style=badge_style(target), no_wrap=True,
                end="")


@dataclass(frozen=True)
class Columns:
    """The widths of the columns for a list and a width. Source takes what is left over, and
    is left out when that is too little to read (at 80 columns it was cut to a lone "s")."""

    account: int
    account_id: int = ACCOUNT_ID_WIDTH
    role: int = 24
    region: int = 14
    source: int = 0
    """0: not shown."""

    @classmethod
    def fit(cls, targets: list[Target], width: int, regions: tuple[str, ...] = ()) -> Columns:
        """`regions`: other regions the Region column may show (the one chosen in the app,
        the default of targets that have none)."""
        sample = targets[:5000]
        account = min(30, max([10, *(len(t.account_name) for t in sample)]))
        role = min(30, max([8, *(len(t.role_name) for t in sample)]))
        region = min(14, max([len("Region"), *map(len, regions),
                              *(len(t.region) for t in sample)]))
        fixed = BADGE_WIDTH + FLAGS_WIDTH + ACCOUNT_ID_WIDTH + 1 + region + 1
        source = width - fixed - (account + 1) - (role + 1)
        if source >= MIN_SOURCE_WIDTH:
            return cls(account, ACCOUNT_ID_WIDTH, role, region, source)
        # No room for Source: account and role share what there is, the longer one giving
        # way first, so that the region is never cut.
        room = width - fixed - 2
        while account + role > room and max(account, role) > MIN_NAME_WIDTH:
            if account >= role:
                account -= 1
            else:
                role -= 1
        return cls(account, ACCOUNT_ID_WIDTH, role, region, 0)


GROUPINGS = ("flat", "environment", "ou", "source", "account")
GROUPING_NAMES = {"flat": "a flat list", "environment": "environment", "ou": "OU",
                  "source": "source", "account": "account"}


def group_key(target: Target, group_by: str) -> str:
    if group_by == "environment":
        return target.environment.value.capitalize()
    if group_by == "ou":
        return target.account.ou_path or "(OU unknown)"
    if group_by == "source":
        return target.way.label.split(":", 1)[0] if target.ways else "(listing roles)"
    return f"{target.account_name or target.account_id} ({target.account_id})"


class TargetsAt(Sequence[Target]):
    """The targets at some indexes, looked up when a row is drawn (typing at 100,000 targets
    would otherwise copy every match at every key press)."""

    def __init__(self, indexes: Sequence[int], targets: list[Target]) -> None:
        self._indexes, self._targets = indexes, targets

    def __len__(self) -> int:
        return len(self._indexes)

    @overload
    def __getitem__(self, index: int) -> Target: ...

    @overload
    def __getitem__(self, index: slice) -> list[Target]: ...

    def __getitem__(self, index: int | slice) -> Target | list[Target]:
        if isinstance(index, slice):
            return [self._targets[i] for i in self._indexes[index]]
        return self._targets[self._indexes[index]]

    def __iter__(self) -> Iterator[Target]:
        return map(self._targets.__getitem__, self._indexes)


def grouped(found: Sequence[int], targets: list[Target], keys: list[str] | None
            ) -> tuple[Sequence[Target | str], Sequence[Target]]:
    """The rows to draw and the targets among them, for the indexes `found`: under group
    headings (`keys[i]` is target i's group), groups in order of first appearance (so
    favourites and the best matches stay on top), targets in their order within each group.
    No `keys`: a flat list."""
    if keys is None:
        flat = TargetsAt(found, targets)
        return flat, flat
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for i in found:
        groups[keys[i]].append(i)
    rows: list[Target | str] = []
    shown: list[Target] = []
    for heading, members in groups.items():
        rows.append(f"▾ {heading}  ({counted(len(members), 'target')})")
        members_shown = [targets[i] for i in members]
        rows.extend(members_shown)
        shown.extend(members_shown)
    return rows, shown


def _cell(text: str, width: int) -> str:
    shown = visible(text)
    return shown[: width - 1] + "…" if len(shown) > width else shown.ljust(width)


def matched_spans(shown: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the query's terms are in a cell as shown (case apart): each term's first
    occurrence; an `account/role` term matches its account part and its role part."""
    lowered = shown.lower()
    spans = []
    for term in terms:
        for part in term.split("/"):
            at = lowered.find(part) if part else -1
            if at >= 0:
                spans.append((at, at + len(part)))
    return spans


def _highlighted(text: str, style: Style, terms: tuple[str, ...]) -> list[Segment]:
    """`text` in `style`, with the characters the query matched underlined."""
    spans = matched_spans(text, terms) if terms else []
    if not spans:
        return [Segment(text, style)]
    matched = [False] * len(text)
    for start, end in spans:
        for i in range(start, end):
            matched[i] = True
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or matched[i] != matched[start]:
            segments.append(Segment(text[start:i], style + MATCH if matched[start] else style))
            start = i
    return segments


class TargetTable(ScrollView, can_focus=False):
    """Never focused: the filter box keeps the focus (typing always filters) and the screen
    moves the cursor here (`move`). A click moves it too; a double click chooses."""

    DEFAULT_CSS = """
    TargetTable { background: $surface; overflow-x: hidden; }
    """

    class Chosen(Message):
        def __init__(self, target: Target) -> None:
            super().__init__()
            self.target = target

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._targets: list[Target] = []
        self._shown: Sequence[Target] = []
        self._rows: Sequence[Target | str] = []
        """What is drawn: targets, and group headings when grouped."""
        self.group_by = "flat"
        self._group_keys: dict[str, list[str]] = {}
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._index_lock = threading.Lock()
        self._indexing = False
        self.marked: set[str] = set()
        """Keys of the targets marked for acting on several at once."""
        self._query = ""
        self._searcher = Searcher([])
        self.cursor_row = 0
        self._moved = False
        """The user moved the cursor since the last filter change: a new list (discovery
        streaming in, a refresh, a new order) keeps it on the same target. Otherwise the
        cursor stays on the first row."""
        self.default_region = ""
        """The region of a target that has none (AWS_DEFAULT_REGION), else '' ("—")."""
        self.region_choice = ""
        """The region chosen in the app: shown on every row once chosen."""
        self.favourites: frozenset[str] = frozenset()
        self.usage = Usage()
        self.frecency = True
        self.columns = Columns(20)
        self._frame_style: Style | None = None
        self.last_known: frozenset[str] = frozenset()
        """Keys of the targets a partial refresh kept from the last known inventory (their
        source failed this time): marked on their rows."""

    # --- data ----------------------------------------------------------------------------

    @property
    def targets(self) -> list[Target]:
        return self._targets

    @property
    def shown(self) -> Sequence[Target]:
        return self._shown

    @property
    def row_count(self) -> int:
        return len(self._shown)

    @property
    def selected(self) -> Target | None:
        if 0 <= self.cursor_row < len(self._rows):
            row = self._rows[self.cursor_row]
            return row if isinstance(row, Target) else None
        return None

    def set_grouping(self, group_by: str) -> None:
        self.group_by = group_by
        self._apply(self._query)

    def set_targets(self, targets: list[Target]) -> None:
        self._targets = targets
        self._group_keys.clear()
        self._searcher = Searcher(targets, self.favourites, self.usage, self.frecency)
        self._fit(self.size.width or 120)
        self._apply(self._query)
        # The search index takes a while at 100,000 targets: built in a thread once this
        # frame is drawn, rather than on the first key press. One build at a time, however
        # often discovery streams a new list (a batch every 0.25 s).
        with self._index_lock:
            start, self._indexing = not self._indexing, True
        if start:
            self.call_after_refresh(start_worker, self, self._index_latest, name="Search index",
                                    group="search-index")

    def _index_latest(self) -> None:
        """Builds the index of the list shown; if the list changed meanwhile, of the new one."""
        while True:
            searcher = self._searcher
            searcher.prepare()
            with self._index_lock:
                if searcher is self._searcher:
                    self._indexing = False
                    return

    def set_order(self, favourites: frozenset[str], usage: Usage, frecency: bool) -> None:
        self.favourites, self.usage, self.frecency = favourites, usage, frecency
        self._searcher.usage = usage
        self._searcher.refresh_order(favourites, frecency)
        self._apply(self._query)

    def filter(self, query: str) -> None:
        """Show the matches of `query`, the cursor on the first (the best) one."""
        self._moved = False
        self._apply(query)

    def _keys_for(self, group_by: str) -> list[str] | None:
        """Each target's group, worked out once per inventory and grouping (not per key
        press: at 100,000 targets that took longer than the search)."""
        if group_by == "flat":
            return None
        if group_by not in self._group_keys:
            self._group_keys[group_by] = [group_key(t, group_by) for t in self._targets]
        return self._group_keys[group_by]

    def _apply(self, query: str) -> None:
        selected = self.selected
        self._query = query
        self._rows, self._shown = grouped(self._searcher.search(query), self._targets,
                                          self._keys_for(self.group_by))
        self.cursor_row = next((i for i, row in enumerate(self._rows[:50])
                                if isinstance(row, Target)), 0)
        if selected is not None and self._moved:
            for index, row in enumerate(self._rows[:5000]):
                if isinstance(row, Target) and row.key == selected.key:
                    self.cursor_row = index
                    break
        self.virtual_size = Size(self.size.width, len(self._rows))
        self.scroll_to(y=max(0, self.cursor_row - self.size.height // 2), animate=False)
        self.refresh()

    def row_text(self, index: int) -> str:
        """What row `index` shows, as plain text (for tests and screen readers)."""
        return "".join(segment.text for segment in self._segments(self._shown[index], False))

    # --- drawing -----------------------------------------------------------------------------

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(self._query.lower().split())

    def flags(self, target: Target) -> str:
        mark = MARKED if target.key in self.marked else " "
        if target.key in self.favourites:
            return f"{mark}{FAVOURITE} "
        return f"{mark}{RECENT if target.key in self.usage.uses else ' '} "

    def region_shown(self, target: Target) -> str:
        return self.region_choice or target.region or self.default_region or NO_REGION

    def _segments(self, target: Target, cursor: bool, style: Style | None = None
                  ) -> list[Segment]:
        columns = self.columns
        base = (style or self.rich_style) + (Style(reverse=True) if cursor else Style())
        last_known = target.key in self.last_known
        if last_known:  # italic on every cell: still seen where the Source column is left out
            base += Style(italic=True)
        dim = base + Style(dim=True)
        bold = base + Style(bold=True)
        name = target.account_name or NO_REGION
        sources = ", ".join(way.label for way in target.ways)
        if last_known:
            sources = f"{LAST_KNOWN} {sources}"
        terms = self.terms
        return [
            Segment(badge_label(target.environment), badge_style(target)),
            Segment(self.flags(target), bold),
            *_highlighted(_cell(name, columns.account), bold, terms), Segment(" ", base),
            *_highlighted(_cell(target.account_id, columns.account_id), base, terms),
            Segment(" ", base),
            *_highlighted(_cell(target.role_name, columns.role), base, terms),
            Segment(" ", base),
            Segment(_cell(self.region_shown(target), columns.region) + " ", dim),
            *([Segment(_cell(sources, columns.source), dim)] if columns.source else []),
        ]

    def render_lines(self, crop: Region) -> list[Strip]:
        # The style walks the DOM: once per frame, not once for each of its lines.
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        style = self._frame_style or self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, style)
        row = self._rows[index]
        cursor = index == self.cursor_row
        flags = self.flags(row) if isinstance(row, Target) else ""
        # Typing redraws the whole list at each key, mostly with rows drawn a moment ago.
        key = (row, cursor, flags, width, style, self.columns, self.default_region,
               self.region_choice, self._query,
               isinstance(row, Target) and row.key in self.last_known)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw(row, cursor, width, style)
            self._strips[key] = strip
        return strip

    def _draw(self, row: Target | str, cursor: bool, width: int, style: Style) -> Strip:
        if isinstance(row, str):
            heading = style + Style(bold=True, underline=True)
            return Strip([Segment(visible(row), heading)]).crop_extend(0, width, style)
        return Strip(self._segments(row, cursor, style)).crop_extend(
            0, width, style + (Style(reverse=True) if cursor else Style()))

    def header(self) -> Text:
        columns = self.columns
        text = (" Env".ljust(BADGE_WIDTH + FLAGS_WIDTH) + "Account".ljust(columns.account + 1)
                + "Account id".ljust(columns.account_id + 1) + "Role".ljust(columns.role + 1)
                + "Region".ljust(columns.region + 1) + ("Source" if columns.source else ""))
        return Text(text, style="bold", no_wrap=True, end="")

    def _fit(self, width: int) -> None:
        """Columns for `width`, less the vertical scrollbar's (always left for it: whether it
        shows is decided after the rows are set, and it covers the last columns)."""
        self.columns = Columns.fit(self._targets, width - self.styles.scrollbar_size_vertical,
                                   (self.region_choice, self.default_region))

    def choose_region(self, region: str) -> None:
        """Every row shows `region` from now on ("": each target's own)."""
        self.region_choice = region
        self._fit(self.size.width or 120)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)
        self.virtual_size = Size(event.size.width, len(self._rows))

    # --- moving ------------------------------------------------------------------------------

    def _nearest_target(self, row: int, step: int) -> int | None:
        """The target row nearest `row` going `step` (headings are not rows one can stand
        on), else going the other way; None when there is none."""
        for direction in (step, -step):
            at = row
            while 0 <= at < len(self._rows):
                if isinstance(self._rows[at], Target):
                    return at
                at += direction
        return None

    def _move_to(self, row: int) -> None:
        if not self._rows:
            return
        self._moved = True
        step = 1 if row >= self.cursor_row else -1
        found = self._nearest_target(max(0, min(len(self._rows) - 1, row)), step)
        if found is None:
            return
        self.cursor_row = found
        # The group's heading comes into view with its first target.
        above = found - 1 if found > 0 and isinstance(self._rows[found - 1], str) else found
        top, height = self.scroll_offset.y, max(1, self.size.height)
        if above < top:
            self.scroll_to(y=above, animate=False)
        elif found >= top + height:
            self.scroll_to(y=found - height + 1, animate=False)
        self.refresh()

    def select(self, key: str) -> bool:
        """Put the cursor on the target `key` if it is among the first rows shown; whether
        it is."""
        for index, row in enumerate(self._rows[:5000]):
            if isinstance(row, Target) and row.key == key:
                self._move_to(index)
                return True
        return False

    def move(self, where: str) -> None:
        """up, down, page_up, page_down, first or last."""
        page = max(1, self.size.height - 1)
        rows = {"up": self.cursor_row - 1, "down": self.cursor_row + 1,
                "page_up": self.cursor_row - page, "page_down": self.cursor_row + page,
                "first": 0, "last": len(self._rows) - 1}
        self._move_to(rows[where])

    def mark(self) -> None:
        target = self.selected
        if target is None or not target.ways:
            return
        self.marked.symmetric_difference_update({target.key})
        self._move_to(self.cursor_row + 1)
        self.refresh()

    @property
    def marked_targets(self) -> list[Target]:
        return [t for t in self._targets if t.key in self.marked]

    def on_click(self, event: events.Click) -> None:
        self._move_to(self.scroll_offset.y + event.y)
        target = self.selected
        if event.chain >= 2 and target is not None:
            self.post_message(self.Chosen(target))
