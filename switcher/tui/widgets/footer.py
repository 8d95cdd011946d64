"""The footer: the commands of the command table in its order (the most used first), as many
as the width allows, help and quit always."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the one key of a footer; not re-exported

from switcher.tui.command_table import ESSENTIAL, FOOTER_ORDER


def fitting(items: list[tuple[str, int]], width: int) -> list[str]:
    """The ids of `items` (id, width; in the order shown) that fit in `width`: every
    essential one, then the others in order while there is room."""
    room = width - sum(w for i, w in items if i in ESSENTIAL)
    kept = set(ESSENTIAL)
    for item_id, item_width in items:
        if item_id not in ESSENTIAL and item_width <= room:
            kept.add(item_id)
            room -= item_width
        elif item_id not in ESSENTIAL:
            room = 0  # keep the order: nothing after the first one left out
    return [i for i, _w in items if i in kept]


class CommandFooter(Footer):
    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self._width = 0

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        found: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.id in FOOTER_ORDER:
                found.setdefault(binding.id, (binding, enabled, tooltip))
        ordered = sorted(found, key=FOOTER_ORDER.__getitem__)
        # A key is drawn as " key description " (Footer's own padding).
        widths = [(i, len(self.app.get_key_display(found[i][0])) + len(found[i][0].description)
                   + 3) for i in ordered]
        self._width = self.app.size.width
        for command_id in fitting(widths, self._width):
            binding, enabled, tooltip = found[command_id]
            key = FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, disabled=not enabled, tooltip=tooltip)
            # Not data_bind(compact=...) as Footer does: each binding stays in the footer's
            # watchers after its key is removed, and the footer is composed again whenever
            # the bindings change (every dialog opened or closed), so every key ever shown
            # was kept (about 0.5 MB for each dialog).
            key.set_reactive(FooterKey.compact, self.compact)
            yield key

    def watch_compact(self, compact: bool) -> None:
        for key in self.query(FooterKey):
            key.compact = compact

    def on_resize(self, event: Resize) -> None:
        if self._bindings_ready and event.size.width != self._width:
            self.call_after_refresh(self.recompose)
