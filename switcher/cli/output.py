"""What the command line prints: one helper for every line, the `list` table and JSON, and
the report of an inventory refresh."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from switcher.text import visible

if TYPE_CHECKING:

    from switcher.model import Target
    from switcher.workspace import Refresh, Workspace


def out(text: str, stream: TextIO | None = None, raw: bool = False) -> str:
    """Print a line (or lines) for a person: untrusted parts (names, config values) can hold
    terminal escape sequences, so every unsafe character is shown escaped. `raw` is for
    output other programs parse (JSON, URLs), which carries no such characters. Returns
    what was written."""
    if not raw:
        text = "\n".join(visible(line) for line in text.split("\n"))
    print(text, file=stream or sys.stdout, flush=True)
    return text + "\n"


PARTIAL_REFRESH = 3
"""The exit status of a command whose refresh was partial: what it printed is complete only
with the last known targets of the sources that failed (marked [last known])."""
MANY_FAILED_ACCOUNTS = 10
"""More failed accounts than this are said in one line, not one line each."""


def report_refresh(result: Refresh) -> None:
    """What a refresh found wrong or changed, on stderr (the targets go to stdout), each
    failed account said once."""
    for label in result.not_signed_in:
        out(f"warning: not signed in to {label}; run `switcher login`", sys.stderr)
    if result.added or result.removed:
        out(f"{len(result.added)} new, {len(result.removed)} gone since the last refresh"
            + "".join(f"\n  + {t.display_name}" for t in result.added)
            + "".join(f"\n  - {t.display_name}" for t in result.removed), sys.stderr)
    for warning in result.warnings:
        out(f"warning: {warning}", sys.stderr)
    failed = result.failed_accounts
    if len(failed) > MANY_FAILED_ACCOUNTS:
        reasons = Counter(failed.values())
        listed = ", ".join(list(failed)[:5])
        out(f"warning: the roles of {len(failed)} accounts could not be listed ("
            + ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
            + f"): {listed}, …", sys.stderr)
    else:
        names = {t.account_id: t.account_name for t in result.targets if t.account_name}
        for account_id, reason in failed.items():
            name = f" ({names[account_id]})" if account_id in names else ""
            out(f"warning: the roles of account {account_id}{name} could not be listed: "
                f"{reason}", sys.stderr)
    if result.kept:
        out(f"warning: {len(result.kept)} targets kept from the last known inventory "
            "(their source failed; marked [last known])", sys.stderr)


def target_table(targets: Sequence[Target], region_for: Callable[[Target], str],
                 kept: frozenset[str] = frozenset()) -> Iterator[str]:
    """One line per target: account, role, environment, region, ways in, problem, and
    whether it was kept from the last known inventory (`kept` holds their keys)."""
    width = max((len(t.account_name) for t in targets), default=10)
    for t in targets:
        sources = ",".join(w.label for w in t.ways)
        yield (f"{t.account_id}  {t.account_name:<{width}}  {t.role_name:<28} "
               f"{t.environment.value:<12} {region_for(t):<15} {sources}"
               + (f"  [{t.problem}]" if t.problem else "")
               + ("  [last known]" if t.key in kept else ""))


def target_json(target: Target, region: str, last_known: bool = False) -> dict[str, object]:
    """`last_known`: kept from the last known inventory (its source failed this time)."""
    return {
        "account_id": target.account_id, "account_name": target.account_name,
        "role": target.role_name, "region": region,
        "environment": target.environment.value, "color": target.color,
        "ou_path": target.account.ou_path, "tags": dict(target.account.tags),
        "console_color": target.account.console_color,
        "sources": [w.label for w in target.ways],
        "ways": [{"kind": w.kind.value, "label": w.label,
                  **{k: v for k, v in (("profile", w.profile), ("sso_session", w.sso_session),
                                       ("start_url", w.start_url),
                                       ("source_profile", w.source_profile),
                                       ("origin", w.origin), ("display_name", w.display_name),
                                       ("color", w.color)) if v}}
                 for w in target.ways],
        "profiles": list(target.profile_names),
        "problem": target.problem,
        "last_known": last_known,
    }


def why_nothing(workspace: Workspace) -> str:
    """Why there are no targets at all: which files were read, what they hold, and what to
    do (a first run has no ~/.aws at all)."""
    from switcher.services.setup import files_described

    config, credentials, settings = (workspace.aws_config, workspace.aws_credentials,
                                     workspace.settings)
    lines = ["switcher: nothing to list; it read",
             *(f"  {line}" for line in files_described(config, credentials, settings))]
    signed_out = workspace.signed_out()
    if signed_out:
        lines.append(f"Not signed in to {', '.join(signed_out)}: run `switcher login`, which "
                     "lists their accounts and roles.")
    elif config.sso_sessions or config.profiles or credentials.profiles:
        lines.append("Their profiles reach no account (none sets sso_account_id, role_arn, "
                     "keys or credential_process). To start, run `switcher setup` (it asks "
                     "for your start URL), or add an [sso-session] (sso_start_url, "
                     f"sso_region) to {config.path}, then run `switcher login`.")
    else:
        lines.append("None holds an [sso-session] or a profile. To start, run `switcher "
                     "setup` (it asks for your start URL, or an AESR file), or add an "
                     f"[sso-session] (sso_start_url, sso_region) to {config.path}, then run "
                     "`switcher login`.")
    return "\n".join(lines)
