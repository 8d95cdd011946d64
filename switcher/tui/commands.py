"""Everything the main screen does, also from the command palette, made from the command
table (each hit says its key)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from switcher.tui.command_table import COMMANDS, DEFAULT_KEYS, PALETTE, KeyTable


class SwitcherCommands(Provider):
    @property
    def _entries(self) -> list[tuple[str, str, str]]:
        """(the palette's text, the key, the action) of each command."""
        keys: KeyTable = getattr(self.app, "keys", DEFAULT_KEYS)
        return [(c.help, keys.display(c.id), c.action) for c in COMMANDS if PALETTE in c.places]

    async def discover(self) -> Hits:
        for text, key, action in self._entries:
            yield DiscoveryHit(text, partial(self._run, action), help=key)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, key, action in self._entries:
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._run, action), help=key)

    async def _run(self, action: str) -> None:
        from switcher.tui.screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                await screen.run_action(action)
                return
