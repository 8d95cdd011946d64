"""The team files a user added: `$XDG_STATE_HOME/switcher/teams.json` pins each one's source
and sha256, and `teams/NAME.toml` keeps the accepted copy (used while the source cannot be
reached), `teams/NAME.pending.toml` a change not accepted yet. Every file 0600, written
atomically; an accepted copy whose digest is not the pinned one is not used."""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from switcher.store.atomic import write_private
from switcher.store.reading import read_regular, read_regular_text

REGISTRY = "teams.json"
LIMIT = 1024 * 1024


@dataclass(frozen=True)
class PinnedTeam:
    name: str
    source: str
    sha256: str
    accepted_at: float = 0.0
    etag: str = ""
    commit: str = ""
    """The git commit of a checkout, when the source is one."""
    pending_sha256: str = ""
    """A fetched change waiting to be accepted."""


class TeamStore:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / REGISTRY
        self.folder = state_dir / "teams"
        self.problem = ""
        """Why the registry could not be read at the last `load` ('' when it could)."""

    def load(self) -> dict[str, PinnedTeam]:
        """The pinned teams; an unreadable registry counts as none, and `problem` says
        why."""
        self.problem = ""
        try:
            data = json.loads(read_regular_text(self.path, LIMIT, ours=True))
            fields = set(PinnedTeam.__dataclass_fields__)
            return {str(name): PinnedTeam(**{k: v for k, v in dict(entry).items()
                                             if k in fields})
                    for name, entry in dict(data.get("teams", {})).items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, AttributeError) as error:
            self.problem = f"{self.path} cannot be read ({error}); no team file is applied"
            return {}

    def _private_folders(self) -> None:
        for folder in (self.path.parent, self.folder):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _save(self, teams: dict[str, PinnedTeam]) -> None:
        write_private(self.path, json.dumps(
            {"teams": {name: asdict(team) for name, team in sorted(teams.items())}}, indent=1))

    def files(self) -> list[Path]:
        """The registry and every copy beside it: what the accepted teams are read from."""
        try:
            copies = sorted(self.folder.iterdir())
        except OSError:
            copies = []
        return [self.path, *copies]

    def copy_path(self, name: str, pending: bool = False) -> Path:
        return self.folder / f"{name}{'.pending' if pending else ''}.toml"

    def accepted(self, team: PinnedTeam) -> bytes | None:
        """The accepted copy, when it is there and still has the pinned digest."""
        try:
            data = read_regular(self.copy_path(team.name), LIMIT, ours=True)
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == team.sha256 else None

    def parsed(self, team: PinnedTeam) -> dict[str, object] | None:
        """The accepted copy as parsed before (JSON reads far faster than TOML), when it
        was parsed from the pinned digest."""
        try:
            kept = json.loads(read_regular_text(self.copy_path(team.name).with_suffix(".json"),
                                                LIMIT * 4, ours=True))
        except (OSError, ValueError):
            return None
        if not isinstance(kept, dict) or kept.get("sha256") != team.sha256:
            return None
        document = kept.get("document")
        return document if isinstance(document, dict) else None

    def keep_parsed(self, team: PinnedTeam, document: dict[str, object]) -> None:
        """Keep the parsed accepted copy (to be checked again when read, like the TOML)."""
        try:
            text = json.dumps({"sha256": team.sha256, "document": document})
        except (TypeError, ValueError):  # TOML dates: the file is read as TOML again
            return
        with contextlib.suppress(OSError):
            write_private(self.copy_path(team.name).with_suffix(".json"), text)

    def pending(self, team: PinnedTeam) -> bytes | None:
        if not team.pending_sha256:
            return None
        try:
            data = read_regular(self.copy_path(team.name, pending=True), LIMIT, ours=True)
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == team.pending_sha256 else None

    def accept(self, team: PinnedTeam, data: bytes) -> PinnedTeam:
        """Pin `data` as `team`'s accepted copy (the copy first, then the registry)."""
        accepted = replace(team, sha256=hashlib.sha256(data).hexdigest(),
                           accepted_at=time.time(), pending_sha256="")
        self._private_folders()
        write_private(self.copy_path(team.name), data)
        teams = self.load()
        teams[team.name] = accepted
        self._save(teams)
        with contextlib.suppress(FileNotFoundError):
            self.copy_path(team.name, pending=True).unlink()
        return accepted

    def hold(self, team: PinnedTeam, data: bytes, etag: str = "") -> PinnedTeam:
        """Keep a changed file aside until it is accepted."""
        held = replace(team, pending_sha256=hashlib.sha256(data).hexdigest(),
                       etag=etag or team.etag)
        self._private_folders()
        write_private(self.copy_path(team.name, pending=True), data)
        self.update(held)
        return held

    def update(self, team: PinnedTeam) -> None:
        teams = self.load()
        teams[team.name] = team
        self._save(teams)

    def remove(self, name: str) -> bool:
        teams = self.load()
        if teams.pop(name, None) is None:
            return False
        self._save(teams)
        for path in (self.copy_path(name), self.copy_path(name, pending=True),
                     self.copy_path(name).with_suffix(".json")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        return True
