"""Every command of the app, written once: its binding id (the name `[keys]` in config.toml
takes), default key, title, help and where it shows. The main screen's bindings, the footer,
the command palette, the help screen and the action menu are all made from this table.

Typing always filters the list, so no command has a printable key: commands live on Enter,
Escape, arrows, function keys and ctrl combinations that the filter box does not use itself
(ctrl+a/e/k/u/w/d/x/c/v...) and that terminals send distinctly (not ctrl+h/i/j/m/[).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from textual.binding import Binding, BindingType
from textual.keys import Keys, key_to_character

from switcher.text import visible
from switcher.tui.widgets.filter_input import FilterInput

FOOTER = "footer"
PALETTE = "palette"
HELP = "help"
MENU = "menu"
EVERYWHERE = frozenset({FOOTER, PALETTE, HELP, MENU})


@dataclass(frozen=True)
class Command:
    id: str
    """The binding id: what `[keys]` in config.toml names."""
    key: str
    """The default key (Textual's key name)."""
    action: str
    """The action run on the main screen (`app.` for the app's own)."""
    title: str
    """A word or two: the footer's label."""
    help: str
    """A sentence: the help screen, the palette and the action menu."""
    places: frozenset[str] = EVERYWHERE
    essential: bool = False
    """Always in the footer, however narrow the terminal."""

    @property
    def on_app(self) -> bool:
        return self.action.startswith("app.")


# The footer shows them in this order, the most used first, as many as fit (the essential
# ones always); the help screen lists the moves first, then these.
COMMANDS: tuple[Command, ...] = (
    Command("console", "enter", "console", "Console",
            "Open the AWS console of the highlighted target (or of every marked one)"),
    Command("shell", "ctrl+s", "shell", "Shell",
            "Start a shell with the target's credentials (one after another for marked ones)"),
    Command("menu", "ctrl+o", "menu", "Actions",
            "Every action for the highlighted target, with its key",
            frozenset({FOOTER, PALETTE, HELP})),
    Command("region", "f2", "region", "Region",
            "Choose the region the console and shells open in (recent regions first)"),
    Command("destination", "ctrl+g", "destination", "Page",
            "Open a chosen console page (the target's favourite pages first)"),
    Command("mark", "ctrl+t", "mark", "Mark",
            "Mark or unmark the target, to open several consoles or shells at once"),
    Command("copy_url", "ctrl+l", "copy_url", "Copy URL",
            "Copy the console sign-in URL (it grants access for 15 minutes)"),
    Command("copy_env", "ctrl+y", "copy_env", "Copy env",
            "Copy the target's credentials as `export` lines"),
    Command("favourite", "f3", "favourite", "Favourite",
            "Pin the target to the top of the list (favourite), or unpin it"),
    Command("way", "f4", "way", "Way in",
            "Choose the way in (SSO, a profile, a switch role...) when there are several"),
    Command("group", "f5", "group", "Group",
            "Group by environment, OU, source or account; then a flat list again"),
    Command("refresh", "ctrl+r", "refresh", "Refresh", "Discover accounts and roles again"),
    Command("login", "f6", "login", "Sign in", "Sign in to IAM Identity Center"),
    Command("palette", "ctrl+p", "app.command_palette", "Palette",
            "Search every command (the command palette)", frozenset({FOOTER, HELP})),
    Command("help", "f1", "help", "Help", "Show the keys", essential=True),
    Command("quit", "ctrl+q", "app.quit", "Quit", "Quit switcher", essential=True),
)

MOVES: tuple[Command, ...] = tuple(
    Command(id, key, action, title, text, frozenset({HELP})) for id, key, action, title, text in (
        ("clear", "escape", "clear_filter", "Clear", "Clear the filter"),
        ("up", "up", "move('up')", "Up", "Move up the list (while typing too)"),
        ("down", "down", "move('down')", "Down", "Move down the list"),
        ("page_up", "pageup", "move('page_up')", "Page up", "Move a page up"),
        ("page_down", "pagedown", "move('page_down')", "Page down", "Move a page down"),
        ("first", "ctrl+home", "move('first')", "First", "Go to the first target"),
        ("last", "ctrl+end", "move('last')", "Last", "Go to the last target"),
    ))

ALL: tuple[Command, ...] = MOVES + COMMANDS
BY_ID: dict[str, Command] = {command.id: command for command in ALL}
ESSENTIAL: frozenset[str] = frozenset(c.id for c in COMMANDS if c.essential)
FOOTER_ORDER: dict[str, int] = {c.id: rank for rank, c in enumerate(COMMANDS)
                                if FOOTER in c.places}


def screen_bindings() -> list[BindingType]:
    """The main screen's bindings."""
    return [Binding(c.key, c.action, c.title, show=FOOTER in c.places, tooltip=c.help, id=c.id)
            for c in ALL if not c.on_app]


def app_bindings() -> list[BindingType]:
    """The commands that work on every screen (quit, the command palette)."""
    return [Binding(c.key, c.action.removeprefix("app."), c.title, show=FOOTER in c.places,
                    priority=True, tooltip=c.help, id=c.id) for c in COMMANDS if c.on_app]


# --- keys ----------------------------------------------------------------------------------

MODIFIERS = ("ctrl", "alt", "shift", "super", "meta", "hyper")
NAMED_KEYS = frozenset(k.value for k in Keys if "+" not in k.value and "<" not in k.value)
FILTER_BOX_KEYS = {key: binding.description.lower() for binding in FilterInput.BINDINGS
                   if isinstance(binding, Binding) for key in binding.key.split(",")}
FILTER_BOX_KEYS.update({"tab": "moves the focus", "shift+tab": "moves the focus"})
TERMINAL_ALIASES = {"ctrl+h": "Backspace", "ctrl+i": "Tab", "ctrl+j": "Enter",
                    "ctrl+m": "Enter", "ctrl+left_square_bracket": "Escape"}
_NAMES = {"enter": "Enter", "escape": "Esc", "up": "↑", "down": "↓", "left": "←",
          "right": "→", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End",
          "space": "Space", "tab": "Tab", "backspace": "Backspace", "delete": "Del",
          "insert": "Ins"}


def key_display(keys: str) -> str:
    """`ctrl+s` as `Ctrl+S`, `pagedown` as `PgDn`; several keys joined with ` / `."""
    shown = []
    for key in keys.split(","):
        *modifiers, base = key.strip().split("+")
        name = _NAMES.get(base) or (base.upper() if len(base) <= 3 else
                                    key_to_character(base) or base.replace("_", " "))
        shown.append("+".join([*(m.capitalize() for m in modifiers), name]))
    return " / ".join(shown)


def _problem(key: str) -> str:
    """Why `key` cannot start an action, or "" when it can."""
    *modifiers, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in modifiers) or not (
            base in NAMED_KEYS or len(base) == 1 or key_to_character(base) is not None):
        return "is not a key name (like ctrl+t or f9)"
    character = key_to_character(base) if len(base) > 1 else base
    if set(modifiers) <= {"shift"} and character is not None and character.isprintable():
        return "is a printable key: typing always goes to the filter"
    if key in TERMINAL_ALIASES:
        return f"reaches the app as {TERMINAL_ALIASES[key]} in most terminals"
    if key in FILTER_BOX_KEYS:
        return f"is the filter box's key ({FILTER_BOX_KEYS[key]})"
    return ""


def _normalize(key: str) -> str:
    """Textual's key names are lower case (`Ctrl+T` is `ctrl+t`); one character stays as it
    is (it is printable, and refused)."""
    key = key.strip()
    return key if len(key) == 1 else key.lower()


@dataclass(frozen=True)
class KeyTable:
    """The keys in force: the defaults with the user's `[keys]` where they could be taken."""

    keys: dict[str, str]
    """Every command id to its key(s), comma-separated."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Only the remapped ones: what `App.set_keymap` takes."""
    warnings: tuple[str, ...] = ()
    """One line per problem in `[keys]`; those entries keep their defaults."""

    def display(self, command_id: str) -> str:
        return key_display(self.keys[command_id])


DEFAULT_KEYS = KeyTable({c.id: c.key for c in ALL})


def resolve_keys(wanted: Mapping[str, str], where: str = "[keys]") -> KeyTable:
    """Check the user's `[keys]` (binding id to keys): an unknown id, a key that is not a
    key, a printable key, a key the filter box or the terminal takes, and two commands on
    one key each give one warning, and those commands keep their default keys."""
    warnings: list[str] = []
    taken: dict[str, list[str]] = {}
    for command_id, value in wanted.items():
        command = BY_ID.get(command_id)
        if command is None:
            warnings.append(f"{where} {command_id}: no such command (the README lists them); "
                            "ignored")
            continue
        keys = list(dict.fromkeys(_normalize(k) for k in value.split(",")))
        problems = [f'"{k}" {_problem(k)}' for k in keys if _problem(k)]
        if problems:
            warnings.append(f'{where} {command_id} = "{value}": {"; ".join(problems)}; '
                            f"{key_display(command.key)} is kept")
            continue
        taken[command_id] = keys
    # Two commands on one key: drop the user's entries involved, until no key has two (the
    # defaults never clash, so this ends).
    while True:
        owners: dict[str, list[str]] = {}
        for command in ALL:
            for key in taken.get(command.id, command.key.split(",")):
                owners.setdefault(key, []).append(command.id)
        clashes = {key: ids for key, ids in owners.items()
                   if len(ids) > 1 and any(i in taken for i in ids)}
        if not clashes:
            break
        key, ids = next(iter(clashes.items()))
        remapped = [i for i in ids if i in taken]
        others = [i for i in ids if i not in taken]
        kept = ", ".join(f"{i} keeps {key_display(BY_ID[i].key)}" for i in remapped)
        if others:
            warnings.append(f"{where} {' and '.join(remapped)} = {key_display(key)}: that is "
                            f"{' and '.join(others)}'s key; {kept}")
        else:
            warnings.append(f"{where} {' and '.join(remapped)} are given the same key, "
                            f"{key_display(key)}: one key, one command; {kept}")
        for command_id in remapped:
            del taken[command_id]
    keymap = {i: ",".join(keys) for i, keys in taken.items()}
    # Ids and keys come from the user's file: a newline in one must not make a line of its own.
    return KeyTable({c.id: keymap.get(c.id, c.key) for c in ALL}, keymap,
                    tuple(visible(warning) for warning in warnings))
