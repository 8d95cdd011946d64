"""What switcher remembers of the user's habits: favourite targets and when targets were
used (for recents and frecency). `$XDG_STATE_HOME/switcher/state.json`, private.

Changes are made in memory (`toggle_favourite`, `used`) and written by `save`, so the app can
change them on its UI thread and write the file from a worker."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from switcher.search import Usage
from switcher.store.atomic import write_private
from switcher.store.reading import read_regular_text

log = logging.getLogger(__name__)


@dataclass
class UserState:
    path: Path
    favourites: set[str] = field(default_factory=set)
    usage: Usage = field(default_factory=Usage)
    regions: list[str] = field(default_factory=list)
    """Regions chosen lately, newest first."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(cls, path: Path) -> UserState:
        try:
            data = json.loads(read_regular_text(path))
            usage = Usage({str(k): [float(t) for t in v]
                           for k, v in dict(data.get("usage", {})).items()})
            return cls(path, {str(f) for f in data.get("favourites", [])}, usage,
                       [str(r) for r in data.get("regions", [])][:10])
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError, TypeError, AttributeError) as error:
            log.warning("ignoring the unreadable state file %s: %s", path, error)
            return cls(path)

    def save(self) -> None:
        """Write the file. The lock covers taking the snapshot and writing it, so whichever
        of two concurrent saves writes last writes the newest state."""
        with self._lock:
            payload = {"favourites": sorted(self.favourites),
                       "usage": {key: list(times) for key, times in self.usage.uses.items()},
                       "regions": list(self.regions)}
            write_private(self.path, json.dumps(payload))

    def toggle_favourite(self, key: str) -> bool:
        """True when `key` is now a favourite (in memory: `save` writes it)."""
        with self._lock:
            if key in self.favourites:
                self.favourites.discard(key)
            else:
                self.favourites.add(key)
            return key in self.favourites

    def used(self, key: str, region: str = "") -> None:
        """Remember a use of `key` (in memory: `save` writes it)."""
        with self._lock:
            self.usage.record(key)
            if region:
                self.regions = [region, *[r for r in self.regions if r != region]][:10]
