"""Team files in use: adding one (pinned by its sha256), checking for changes (held back
until accepted), and what the accepted ones add to the user's settings, where the user's own
configuration wins and a team file can make a target stricter, never weaker."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from switcher.environments import Rules
from switcher.model import Environment
from switcher.sources.team import (
    GUARDRAIL_ORDER,
    NAME,
    TeamFile,
    TeamFileError,
    check_document,
    fetch,
    git_commit,
    is_url,
    load_document,
    local_file,
    parse_team_file,
    sha256,
)
from switcher.store.settings import DEFAULT_ORGANIZATION_ROLE, Settings, TargetOverride
from switcher.store.teams import PinnedTeam, TeamStore
from switcher.text import visible


@dataclass(frozen=True)
class Candidate:
    """A team file fetched and checked, not pinned yet."""

    name: str
    source: str
    data: bytes
    content: TeamFile
    etag: str = ""
    commit: str = ""

    @property
    def sha256(self) -> str:
        return sha256(self.data)


def normalized_source(source: str) -> str:
    return source if is_url(source) else str(local_file(source))


def default_name(source: str, content: TeamFile) -> str:
    if content.name:
        return content.name
    stem = Path(source.split("?", 1)[0].rstrip("/")).stem
    if stem in ("switcher-team", "team", ""):
        stem = Path(source.rstrip("/")).parent.name if not is_url(source) else stem
    name = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:40]
    return name or "team"


def candidate(source: str, name: str = "") -> Candidate:
    """`source` fetched and checked (TeamFileError with one line otherwise)."""
    where = normalized_source(source)
    fetched = fetch(where)
    assert fetched.data is not None
    content = parse_team_file(fetched.data, where)
    chosen = name or default_name(where, content)
    if not NAME.match(chosen):
        raise TeamFileError(f"team name {visible(chosen)!r}: lower-case letters, digits, _ "
                            "and - (at most 40)")
    commit = "" if is_url(where) else git_commit(local_file(where))
    return Candidate(chosen, where, fetched.data, content, fetched.etag, commit)


def add(store: TeamStore, found: Candidate) -> PinnedTeam:
    if found.name in store.load():
        raise TeamFileError(f"a team named {found.name} is already added (`switcher team "
                            f"update {found.name}` fetches it again, `--name` picks another)")
    return store.accept(PinnedTeam(found.name, found.source, "", etag=found.etag,
                                   commit=found.commit), found.data)


@dataclass(frozen=True)
class Change:
    """What fetching a pinned team file found."""

    team: PinnedTeam
    old: bytes
    new: bytes | None
    """None: unchanged."""

    def diff(self) -> str:
        assert self.new is not None
        old = self.old.decode("utf-8", "replace").splitlines(keepends=True)
        new = self.new.decode("utf-8", "replace").splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, f"{self.team.name} (accepted)",
                                     f"{self.team.name} (new)")
        return "".join(visible(line.rstrip("\n")) + "\n" for line in lines)


def check(store: TeamStore, team: PinnedTeam) -> Change:
    """Fetch `team` again; a change that parses is held back (TeamFileError otherwise: the
    accepted copy stays in use)."""
    old = store.accepted(team) or b""
    fetched = fetch(team.source, team.etag if old else "")
    data = fetched.data
    if data is None:  # not modified since the last fetch: a held change is still held
        data = store.pending(team) or old
    if sha256(data) == team.sha256:
        if team.pending_sha256:
            store.update(replace(team, pending_sha256=""))
        return Change(team, old, None)
    parse_team_file(data, team.source)
    if sha256(data) != team.pending_sha256 or fetched.data is not None:
        team = store.hold(team, data, fetched.etag)
    return Change(team, old, data)


def check_all(store: TeamStore) -> list[str]:
    """Every team file fetched again (a refresh): warnings for changes waiting and for
    sources that cannot be reached."""
    warnings = []
    for team in store.load().values():
        try:
            change = check(store, team)
        except TeamFileError as error:
            warnings.append(f"team {team.name}: {error}; the accepted copy is used")
            continue
        if change.new is not None:
            warnings.append(waiting(team.name))
    return warnings


def waiting(name: str) -> str:
    return (f"team {name}: a change is waiting; `switcher team update {name}` shows it and "
            "accepts it")


# --- what accepted team files add -----------------------------------------------------------

def accepted_files(store: TeamStore) -> tuple[list[tuple[str, TeamFile]], list[str]]:
    """The accepted team files, checked again, and warnings (a change waiting, a copy that
    is missing or was changed on disk)."""
    files, warnings = [], []
    pinned = store.load()
    if store.problem:
        warnings.append(store.problem)
    for team in pinned.values():
        origin = f"team {team.name}"
        try:
            document = store.parsed(team)
            if document is None:
                data = store.accepted(team)
                if data is None:
                    warnings.append(f"team {team.name}: the accepted copy is missing or "
                                    "changed on disk; run `switcher team update "
                                    f"{team.name}`")
                    continue
                document = load_document(data, origin)
                store.keep_parsed(team, document)
            # Checked on every read: a newer switcher may refuse what an older one took.
            files.append((team.name, check_document(document, origin)))
        except TeamFileError as error:
            warnings.append(str(error))
            continue
        if team.pending_sha256:
            warnings.append(waiting(team.name))
    return files, warnings


def stricter(first: str, second: str) -> str:
    known = [mode for mode in (first, second) if mode in GUARDRAIL_ORDER]
    return max(known, key=GUARDRAIL_ORDER.index) if known else first


def with_teams(settings: Settings, teams: Iterable[tuple[str, TeamFile]],
               warnings: Iterable[str] = ()) -> Settings:
    """`settings` with what the team files add. The user's own settings win; a team file
    cannot take a guard away (modes only get stricter, guarded environments only more)."""
    import re as regex

    added = tuple(warnings)
    team_roles: list[tuple[str, tuple[dict[str, str], ...]]] = []
    patterns = {k: tuple(v) for k, v in settings.rules.patterns.items()}
    colors = dict(settings.rules.colors)
    team_environments: dict[str, tuple[Environment, str]] = {}
    team_colors: dict[str, str] = {}
    overrides = dict(settings.overrides)
    guardrail, guarded = settings.guardrail, list(settings.guarded)
    read_only = dict(settings.read_only_roles)
    organizations_role = settings.organizations_role
    for name, team in teams:
        entries = []
        for entry in team.switch_roles:
            key = f"{entry['account']}/{entry['role'].rsplit('/', 1)[-1]}"
            if entry.get("environment"):
                team_environments.setdefault(key, (Environment(entry["environment"]), name))
            if entry.get("color"):
                team_colors.setdefault(key, entry["color"])
            entries.append({k: v for k, v in entry.items() if k != "environment"})
        team_roles.append((name, tuple(entries)))
        for environment, texts in team.patterns.items():
            patterns[environment] = patterns.get(environment, ()) + tuple(
                regex.compile(text, regex.IGNORECASE) for text in texts)
        for environment, color in team.colors.items():
            colors.setdefault(environment, color)
        for key, values in team.targets.items():
            if "environment" in values:
                team_environments.setdefault(key, (values["environment"], name))
            if "color" in values:
                team_colors.setdefault(key, values["color"])
            own = overrides.get(key, TargetOverride())
            overrides[key] = replace(
                own, console_method=own.console_method or values.get("console", ""),
                destinations=own.destinations or tuple(values.get("destinations", ())))
        guardrail = stricter(guardrail, team.guardrail)
        guarded += [e for e in team.guarded if e not in guarded]
        for environment, role in team.read_only_roles.items():
            read_only.setdefault(environment, role)
        if team.organizations_role and organizations_role == DEFAULT_ORGANIZATION_ROLE:
            organizations_role = team.organizations_role
    rules = Rules(patterns, colors, settings.rules.palette, team_environments, team_colors)
    return replace(settings, team_switch_roles=tuple(team_roles), rules=rules,
                   overrides=overrides, guardrail=guardrail, guarded=tuple(guarded),
                   read_only_roles=read_only, organizations_role=organizations_role,
                   warnings=settings.warnings + added)


# --- the user's own settings as a team file -----------------------------------------------------

def export_team(settings: Settings, name: str = "") -> str:
    """The shareable parts of config.toml as a team file: switch roles, the Organizations
    role template, environment rules, per-target settings and the guardrails. What a team
    file may not hold (browser, shell, credentials, AESR paths) is left out; the result is
    checked as `switcher team add` would check it."""
    import tomlkit

    from switcher.sources.team import SWITCH_ROLE_KEYS

    document = tomlkit.document()
    document.add(tomlkit.comment("A switcher team file: `switcher team add` takes it"))
    if name:
        document["name"] = name
    if settings.switch_roles:
        roles = tomlkit.aot()
        for entry in settings.switch_roles:
            roles.append({str(k): str(v) for k, v in entry.items()
                          if k in SWITCH_ROLE_KEYS and str(v)})
        document["switch_roles"] = roles
    if settings.organizations_role != DEFAULT_ORGANIZATION_ROLE:
        document["organizations"] = {"role_name": settings.organizations_role}
    rules = settings.rules
    environments: dict[str, object] = {}
    if rules.patterns:
        environments["patterns"] = {e.value: [p.pattern for p in patterns]
                                    for e, patterns in rules.patterns.items()}
    colors = {e.value: c for e, c in rules.colors.items() if e is not Environment.PRODUCTION}
    if colors:
        environments["colors"] = colors
    if environments:
        document["environments"] = environments
    targets = {}
    for key, override in settings.overrides.items():
        values = {k: v for k, v in (("environment", override.environment),
                                    ("color", override.color),
                                    ("console", override.console_method),
                                    ("destinations", list(override.destinations))) if v}
        if values:
            targets[key] = values
    if targets:
        document["targets"] = targets
    document["guardrails"] = {
        "mode": settings.guardrail, "environments": [e.value for e in settings.guarded],
        **({"read_only_roles": {e.value: r for e, r in settings.read_only_roles.items()}}
           if settings.read_only_roles else {})}
    text = tomlkit.dumps(document)
    try:
        parse_team_file(text.encode(), str(settings.path))
    except TeamFileError as error:
        raise TeamFileError(f"this cannot go in a team file: {error}") from None
    return text
