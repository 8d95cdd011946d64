"""Ranking targets for a query as the user types: fast enough for 100,000 targets a keystroke.

Each target gets one lower-case haystack (`name/role`, `id/role`, environment, OU, tags,
profiles), built once per inventory. A query is split into terms; a target matches when every
term is a substring of its haystack (or, when there are few such matches, a subsequence of
the account name and role that starts at a word, for terms of 3+ letters). When the query
grows by typing, only the previous matches are searched again, so each keystroke narrows a
smaller list. Exact matches always come before fuzzy ones: first those whose name starts with
the first term, then those whose name holds it, then those that hold it elsewhere (OU,
tags...), then the fuzzy ones; within each, favourites first, then recent use (frecency)
unless the user turns it off, then the name. No I/O here.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

from switcher.model import Target

FUZZY_BELOW = 20
"""With fewer exact matches than this, fuzzy (subsequence) matches are added."""


def haystack(target: Target) -> str:
    """What a target's terms are looked for in. The name, id and role on their own would be
    there twice: a term holds no space, so whatever it matches in one of them it matches in
    `name/role` or `id/role` (and the shorter haystack is a third quicker to search)."""
    account = target.account
    parts = [f"{account.name}/{target.role_name}", f"{account.account_id}/{target.role_name}",
             target.environment.value,
             account.ou_path, *(f"{k}={v}" for k, v in account.tags), *target.profile_names,
             *(way.display_name for way in target.ways if way.display_name)]
    return " ".join(part for part in parts if part).lower()


_WORD_BREAKS = " -_./"


def _subsequence(needle: str, text: str) -> bool:
    """`needle`'s letters in order in `text`, starting at the beginning of a word (so `pmtprd`
    finds payments-prod, while `sto` does not find administratoraccess)."""
    start = -1
    while True:
        start = text.find(needle[0], start + 1)
        if start < 0:
            return False
        if start == 0 or text[start - 1] in _WORD_BREAKS:
            break
    position = start + 1
    for char in needle[1:]:
        position = text.find(char, position) + 1
        if position == 0:
            return False
    return True


@dataclass
class Usage:
    """When each target was last used and how often: the recents behind frecency."""

    uses: dict[str, list[float]] = field(default_factory=dict)

    def record(self, key: str, when: float | None = None, keep: int = 10) -> None:
        times = self.uses.setdefault(key, [])
        times.append(time.time() if when is None else when)
        del times[:-keep]

    def frecency(self, key: str, now: float) -> float:
        """Higher for targets used often and lately (each use decays with a 3-day half-life)."""
        return sum(math.exp(-(now - used) / (3 * 86400) * math.log(2))
                   for used in self.uses.get(key, ()))


class Searcher:
    """Holds one inventory (sorted by name, as `merge_targets` leaves it) and answers queries,
    narrowing incrementally as the query grows."""

    def __init__(self, targets: Sequence[Target], favourites: frozenset[str] = frozenset(),
                 usage: Usage | None = None, frecency: bool = True) -> None:
        self.targets = list(targets)
        self._haystacks: list[str] | None = None
        self._names: list[str] | None = None
        self._preparing = threading.Lock()
        self.favourites = favourites
        self.usage = usage or Usage()
        self.use_frecency = frecency
        self._order = self._base_order()
        self._favourite_indexes = self._favourite_positions()
        self._last_query: list[str] = []
        self._last_result: list[int] = list(self._order)
        self._last_fuzzy = False

    @property
    def haystacks(self) -> list[str]:
        """Built by `prepare` or on the first search, not before: the first frame needs only
        the order."""
        if self._haystacks is None:  # checked without the lock: this is the hot path
            self.prepare()
        assert self._haystacks is not None
        return self._haystacks

    @property
    def names(self) -> list[str]:
        if self._haystacks is None:  # set after the names, so both are there when it is
            self.prepare()
        assert self._names is not None
        return self._names

    def prepare(self) -> None:
        """Build what searching needs (may run in a thread; a search waits for it)."""
        with self._preparing:
            if self._haystacks is None:
                self._names = [f"{t.account.name}/{t.role_name}".lower() for t in self.targets]
                self._haystacks = [haystack(t) for t in self.targets]

    def _base_order(self) -> list[int]:
        """Everything, favourites first, then recently and often used, then by name (the
        inventory comes sorted by name, so without favourites or use there is nothing to do)."""
        if not self.favourites and not (self.use_frecency and self.usage.uses):
            return list(range(len(self.targets)))
        now = time.time()
        scores: Mapping[int, float] = {
            i: self.usage.frecency(t.key, now) for i, t in enumerate(self.targets)
        } if self.use_frecency and self.usage.uses else {}
        return sorted(range(len(self.targets)), key=lambda i: (
            self.targets[i].key not in self.favourites, -scores.get(i, 0.0),
            self.targets[i].account.name.lower() or "~", self.targets[i].account_id,
            self.targets[i].role_name.lower()))

    def _favourite_positions(self) -> set[int]:
        if not self.favourites:  # the usual case; skips a pass over every target
            return set()
        return {i for i, t in enumerate(self.targets) if t.key in self.favourites}

    def refresh_order(self, favourites: frozenset[str] | None = None,
                      frecency: bool | None = None) -> None:
        if favourites is not None:
            self.favourites = favourites
        if frecency is not None:
            self.use_frecency = frecency
        self._order = self._base_order()
        self._favourite_indexes = self._favourite_positions()
        self._last_query = []
        self._last_result = list(self._order)

    def _fuzzy(self, index: int, terms: Sequence[str], haystacks: list[str],
               names: list[str]) -> bool:
        text = haystacks[index]
        for term in terms:
            if term in text:
                continue
            if len(term) >= 3 and _subsequence(term, names[index]):
                continue
            return False
        return True

    def _exact(self, pool: list[int], terms: Sequence[str]) -> list[int]:
        hay = self.haystacks
        found = pool
        for term in terms:  # one list comprehension per term: the fast path
            found = [i for i in found if term in hay[i]]
        return found

    def search(self, query: str) -> Sequence[int]:
        """Indexes into `targets`, best first, for `query`. Its length is known at once;
        the order beyond the first rows asked for is worked out when first asked (a
        screenful of a 100,000-target answer costs a screenful)."""
        terms = query.lower().split()
        if not terms:
            self._last_query, self._last_result = [], list(self._order)
            return self._last_result
        narrows = bool(self._last_query) and len(terms) >= len(self._last_query) and all(
            new.startswith(old) for old, new in zip(self._last_query, terms, strict=False))
        pool = self._last_result if narrows and not self._last_fuzzy else self._order
        found = self._exact(pool, terms)  # stays in the base order
        self._last_fuzzy = len(found) < FUZZY_BELOW and any(len(t) >= 3 for t in terms)
        fuzzy: list[int] = []
        if self._last_fuzzy:
            # Few exact matches: add those whose name holds the letters in order. Over the
            # whole list, since earlier narrowing kept exact matches only.
            exact = set(found)
            hay, names = self.haystacks, self.names
            fuzzy = [i for i in self._order
                     if i not in exact and self._fuzzy(i, terms, hay, names)]
        self._last_query = terms
        self._last_result = found + fuzzy  # (after a fuzzy answer the next search starts over)
        return Ranked(found, self.names, terms[0], self._favourites_first(fuzzy))

    def _favourites_first(self, indexes: list[int]) -> list[int]:
        favourite = self._favourite_indexes
        if not favourite:
            return indexes
        return [i for i in indexes if i in favourite] + [i for i in indexes
                                                         if i not in favourite]


class Ranked(Sequence[int]):
    """A search's answer: the exact matches (in the base order, which puts favourites
    first) ranked by where the name holds the first term, then the fuzzy ones. The rows a
    screen shows are found by reading the exact matches from the top until enough names
    start with the term (at once, for a broad query); the whole order only when a row past
    those is asked for."""

    CHUNK = 512

    def __init__(self, found: list[int], names: list[str], first: str,
                 fuzzy: list[int]) -> None:
        self._found, self._names, self._first, self._fuzzy = found, names, first, fuzzy
        self._starts: list[int] = []
        """Exact matches whose name starts with the first term, of found[:_read]."""
        self._read = 0
        self._all: list[int] | None = None

    def __len__(self) -> int:
        return len(self._found) + len(self._fuzzy)

    def _known(self, wanted: int) -> list[int]:
        """A list whose first `wanted` items are this answer's first `wanted`."""
        if self._all is not None:
            return self._all
        found, names, first, starts = self._found, self._names, self._first, self._starts
        while len(starts) < wanted and self._read < len(found):
            chunk = found[self._read:self._read + max(self.CHUNK, 2 * wanted)]
            self._read += len(chunk)
            starts.extend([i for i in chunk if names[i].startswith(first)])
        if len(starts) >= wanted:
            return starts
        self._all = [*_ranked(found, names, first, len(starts) == len(found)), *self._fuzzy]
        return self._all

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            stop = index.stop
            if (index.step or 1) < 0 or stop is None or stop < 0 or (index.start or 0) < 0:
                return self._known(len(self))[index]
            return self._known(min(stop, len(self)))[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("index out of range")
        return self._known(index + 1)[index]

    def __iter__(self) -> Iterator[int]:
        return iter(self._known(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _ranked(found: list[int], names: list[str], first: str, all_start: bool) -> list[int]:
    if all_start:
        return found
    positions = [names[i].find(first) for i in found]
    return [*(i for i, at in zip(found, positions, strict=True) if at == 0),
            *(i for i, at in zip(found, positions, strict=True) if at > 0),
            *(i for i, at in zip(found, positions, strict=True) if at < 0)]


def suggestions(name: str, targets: Sequence[Target], limit: int = 3) -> list[str]:
    """Up to `limit` names of `targets` near a name that matched none: the one equal to it but
    for case alone, else those it starts, then those that hold it, then the likest
    (difflib, on whole names and then on account names)."""
    import difflib

    wanted = name.strip().lower()
    if not wanted:
        return []
    names: dict[str, str] = {}  # lower case -> as shown
    for target in targets:
        for known in (target.display_name, *target.profile_names):
            names.setdefault(known.lower(), known)
        if wanted[:1].isdigit():
            names.setdefault(target.key.lower(), target.key)
    if wanted in names:
        return [names[wanted]]
    ranked = sorted(lower for lower in names if lower.startswith(wanted))
    ranked += sorted(lower for lower in names if wanted in lower[1:])
    ranked += difflib.get_close_matches(wanted, list(names), n=limit, cutoff=0.75)
    if "/" not in wanted:  # an account alone: compare with the account part of each name
        accounts: dict[str, list[str]] = {}
        for lower in names:
            accounts.setdefault(lower.partition("/")[0], []).append(lower)
        for account in difflib.get_close_matches(wanted, list(accounts), n=limit, cutoff=0.6):
            ranked += sorted(accounts[account])
    chosen: list[str] = []
    for lower in ranked:
        if names[lower] not in chosen:
            chosen.append(names[lower])
        if len(chosen) == limit:
            break
    return chosen
