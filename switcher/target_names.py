"""Target names for shell completion (`switcher __complete targets PREFIX`), answered within a
keystroke from the inventory cache alone.

A shell waits on every Tab, so this module imports only os and sys on its warm path (no
boto3, botocore, Textual, argparse, json or dataclasses): the names are kept, one a line, in a
small index beside the inventory cache, stamped with the cache's size and modification time.
When the cache has changed, the index is made again from it (json is imported then, once).
Names a terminal cannot show as typed (control, bidi and zero-width characters) are left out:
they cannot be typed back, and a completion list is printed unescaped by the shell.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing itself takes milliseconds to import; mypy reads this as True
if TYPE_CHECKING:
    from collections.abc import Mapping

INVENTORIES = ("inventory-merged.json", "inventory.json")
"""The merged list (offline sources included) when there is one, else the remote discovery."""
INDEX = "completion-names.txt"
INVENTORY_FORMAT = 6
"""The version of store/inventory.py's cache format this reads (a test checks they agree)."""
NAME, ACCOUNT_ID = "n", "i"
"""Kinds of line in the index: a name (account-name/role or a profile), an account-id/role."""


def cache_dir(environ: Mapping[str, str]) -> str:
    """switcher.paths.cache_dir without pathlib (a few milliseconds on every Tab)."""
    if environ.get("SWITCHER_CACHE_DIR"):
        return environ["SWITCHER_CACHE_DIR"]
    base = environ.get("XDG_CACHE_HOME") or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".cache")
    return os.path.join(base, "switcher")


def _index_lines(inventory: str) -> list[str]:
    """The index's lines (kind, tab, name) made from the inventory cache's raw JSON: no
    Target objects, only the fields a name needs."""
    import json

    with open(inventory, encoding="utf-8") as file:
        data = json.load(file)
    if not isinstance(data, dict) or data.get("version") != INVENTORY_FORMAT:
        return []
    accounts = data["accounts"]
    names: dict[str, str] = {}
    for row in data["targets"]:
        account, role = accounts[row[0]], str(row[1])
        account_id = str(account["id"])
        names.setdefault(f"{account.get('name') or account_id}/{role}", NAME)
        extra = row[5] if len(row) > 5 else {}
        for profile in extra.get("profile_names", ()):
            names.setdefault(str(profile), NAME)
        names.setdefault(f"{account_id}/{role}", ACCOUNT_ID)
    return [f"{kind}\t{name}" for name, kind in names.items()
            if name.isprintable() and "\t" not in name]


def cached_names(directory: str) -> list[tuple[str, str]]:
    """(kind, name) for every cached target, from the index (made again when stale)."""
    for name in INVENTORIES:
        inventory = os.path.join(directory, name)
        try:
            status = os.stat(inventory)
            break
        except OSError:
            continue
    else:
        return []
    stamp = f"{INVENTORY_FORMAT} {status.st_size} {status.st_mtime_ns}"
    index = os.path.join(directory, INDEX)
    try:
        with open(index, encoding="utf-8") as file:
            lines = file.read().split("\n")
    except OSError:
        lines = []
    if not lines or lines[0] != stamp:
        try:
            lines = [stamp, *_index_lines(inventory)]
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return []
        _save(index, "\n".join(lines))
    return [(line[:1], line[2:]) for line in lines[1:] if line[1:2] == "\t"]


def _save(path: str, text: str) -> None:
    """Atomically and privately (the names are the user's own); a cache we cannot write only
    makes the next Tab slower."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except OSError:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temporary)


def matching(names: list[tuple[str, str]], prefix: str) -> list[str]:
    """The names that start with `prefix`, ignoring case; account-id/role forms only once the
    prefix starts with a digit (they would crowd out the names otherwise)."""
    wanted = prefix.lower()
    ids = wanted[:1].isdigit()
    return [name for kind, name in names
            if (kind == NAME or ids) and name.lower().startswith(wanted)]


def answer(arguments: list[str]) -> int:
    """`switcher __complete targets [PREFIX]`: matching names on stdout, one a line."""
    if not arguments or arguments[0] != "targets":
        return 2
    prefix = arguments[1] if len(arguments) > 1 else ""
    found = matching(cached_names(cache_dir(os.environ)), prefix)
    if found:
        sys.stdout.write("\n".join(found) + "\n")
    return 0
