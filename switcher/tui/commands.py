"""Everything the main screen does, also from the command palette (Ctrl+P)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

ACTIONS = (
    ("Open the console of the selected target", "console"),
    ("Open a chosen console page", "destination"),
    ("Copy the console sign-in URL", "copy_url"),
    ("Copy the credentials as export lines", "copy_env"),
    ("Start a shell with the selected target's credentials", "shell"),
    ("Choose the region", "region"),
    ("Choose the way in", "way"),
    ("Pin or unpin the selected target (favourite)", "favourite"),
    ("Group the list (environment, OU, source, account, flat)", "group"),
    ("Discover accounts and roles again", "refresh"),
    ("Sign in to IAM Identity Center", "login"),
    ("Show the keys", "help"),
)


class SwitcherCommands(Provider):
    async def discover(self) -> Hits:
        for title, action in ACTIONS:
            yield DiscoveryHit(title, partial(self._run, action))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action in ACTIONS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action))

    async def _run(self, action: str) -> None:
        from switcher.tui.screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                await screen.run_action(action)
                return
