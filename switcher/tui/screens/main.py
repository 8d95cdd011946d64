"""The main screen: filter box, region choice, the list of targets, and the sign-in status."""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from functools import partial

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from switcher.auth.oidc import SsoInstance
from switcher.errors import SwitcherError
from switcher.model import Account, Target, Way
from switcher.tui.command_table import DEFAULT_KEYS, KeyTable, screen_bindings
from switcher.tui.messages import (
    AccountsListed,
    ActionFailed,
    ConsoleOpened,
    InventoryRefreshed,
    ShellPrepared,
    TargetsFound,
)
from switcher.tui.text import literal, visible
from switcher.tui.widgets.filter_input import FilterInput
from switcher.tui.widgets.footer import CommandFooter
from switcher.tui.widgets.target_table import GROUPINGS, TargetTable
from switcher.workspace import Refresh, Workspace

REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "ap-south-1",
    "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1",
)
PENDING_ROLE = "… listing roles"
TARGETS_OWN_REGION = "target's own"

ShellRunner = Callable[[Sequence[str], Mapping[str, str]], int]


def describe_changes(refresh: Refresh, limit: int = 5) -> str:
    lines = [f"{len(refresh.added)} new, {len(refresh.removed)} gone"]
    lines += [f"+ {t.display_name}" for t in refresh.added[:limit]]
    lines += [f"- {t.display_name}" for t in refresh.removed[:limit]]
    return "\n".join(visible(line) for line in lines)


class RegionLabel(Static):
    """The chosen region in the top bar; a click opens the region picker (as its key does)."""

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.run_action("screen.region")


class MainScreen(Screen[None]):
    BINDINGS = screen_bindings()

    def __init__(self, workspace: Workspace, shell_runner: ShellRunner,
                 keys: KeyTable = DEFAULT_KEYS) -> None:
        super().__init__()
        self.workspace = workspace
        self.shell_runner = shell_runner
        self.keys = keys
        self.chosen_ways: dict[str, Way] = {}
        self.region_choice = ""
        """The chosen region; empty for each target's own region."""

    def compose(self) -> ComposeResult:
        yield Static(literal(f"switcher  ·  {self.app.sub_title}"), id="title")
        with Horizontal(id="bar"):
            yield FilterInput(placeholder="Type to filter accounts and roles", id="filter")
            yield RegionLabel(self._region_text(), id="region")
        yield Static(id="header")
        yield TargetTable(id="targets")
        yield Static("", id="status")
        yield CommandFooter()

    def _regions(self) -> list[str]:
        """Recently chosen regions first."""
        recent = [r for r in self.workspace.user_state.regions if r]
        return [*recent, *(r for r in REGIONS if r not in recent)]

    @property
    def table(self) -> TargetTable:
        return self.query_one(TargetTable)

    def _show(self, targets: list[Target]) -> None:
        state = self.workspace.user_state
        self.table.favourites = frozenset(state.favourites)
        self.table.usage = state.usage
        self.table.frecency = self.workspace.settings.frecency
        self.table.set_targets(targets)
        self.query_one("#header", Static).update(self.table.header())

    def on_resize(self) -> None:
        self.query_one("#header", Static).update(self.table.header())

    def on_mount(self) -> None:
        self.table.default_region = self.workspace.region_for_default()
        cached = self.workspace.cached_inventory()
        self._streaming = cached is None  # nothing to show yet: show discovery as it goes
        self._streamed: list[Target] = []
        self._pending: dict[str, Account] = {}
        if cached is not None:
            self._show(cached.targets)
        self.query_one(FilterInput).focus()
        self._show_status("Loading…" if cached is None else "")
        # Discovery imports boto3 and works in a thread. With a list to show, it starts once
        # the first frame is on screen, so as not to slow that frame down; with nothing to
        # show, at once (its first answers are what the user waits for).
        if cached is None:
            self.action_refresh()
        self.call_after_refresh(self._after_first_frame, cached is not None)

    def _after_first_frame(self, then_refresh: bool) -> None:
        # What exists now (Textual, the widgets, the cached inventory) lives as long as the
        # app: out of the cyclic collector's sight, whose full passes over it paused key
        # presses for 50-100 ms at 10,000 targets. (Reference counting still frees it.)
        gc.freeze()
        if then_refresh:
            self.action_refresh()

    # --- status -----------------------------------------------------------------------------

    def _show_status(self, extra: str) -> None:
        parts = []
        now = datetime.now(timezone.utc)
        for instance in self.workspace.instances():
            expiry = self.workspace.signin.expiry(instance)
            if expiry is None or expiry <= now:
                parts.append(f"{instance.label}: signed out ({self.keys.display('login')} to "
                             "sign in)")
            else:
                minutes = int((expiry - now).total_seconds() // 60)
                left = f"{minutes // 60}h{minutes % 60:02d}m"
                parts.append(f"{instance.label}: signed in, {left} left")
        shown = len(self.table.shown)
        parts.append(f"{shown} targets")
        if extra:
            parts.append(extra)
        self.query_one("#status", Static).update(literal("  ·  ".join(parts)))

    # --- filter and region --------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.filter(event.value)
        self._show_status("")

    @on(TargetTable.Chosen)
    def _row_chosen(self) -> None:
        self.action_console()

    def action_move(self, where: str) -> None:
        self.table.move(where)

    def action_clear_filter(self) -> None:
        self.query_one(FilterInput).value = ""

    def action_mark(self) -> None:
        self.table.mark()

    def action_region(self) -> None:
        from switcher.tui.screens.regions import RegionScreen

        def chosen(region: str | None) -> None:
            if region is not None:
                self.region_choice = region
                self.query_one("#region", RegionLabel).update(self._region_text())

        self.app.push_screen(RegionScreen(self._regions(), self.region_choice), chosen)

    def _region_text(self) -> Text:
        return literal(f"Region: {self.region_choice or TARGETS_OWN_REGION} ▾")

    def chosen_region(self, target: Target) -> str:
        return self.workspace.region_for(target, self.region_choice or None)

    def action_help(self) -> None:
        from switcher.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.keys))

    def action_menu(self) -> None:
        from switcher.tui.screens.actions import ActionMenu

        async def chosen(action: str | None) -> None:
            if action:
                await self.run_action(action)

        menu = ActionMenu(self.table.selected, len(self.table.marked), self.keys)
        self.app.push_screen(menu, chosen)

    # --- refresh ------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self._show_status("discovering…")
        self._refresh()

    @work(thread=True, exclusive=True, group="refresh")
    def _refresh(self) -> None:
        def listed(instance: SsoInstance, accounts: list[Account]) -> None:
            self.post_message(AccountsListed(instance.label, list(accounts)))

        def found(targets: list[Target]) -> None:
            self.post_message(TargetsFound(list(targets)))

        try:
            refresh = self.workspace.refresh(listed, found)
        except SwitcherError as error:
            self.post_message(ActionFailed("Discovery", str(error)))
            return
        self.post_message(InventoryRefreshed(refresh))

    def on_accounts_listed(self, message: AccountsListed) -> None:
        if self._streaming:
            self._pending.update({a.account_id: a for a in message.accounts})
            self._show_streamed()
        self._show_status(f"{message.label}: {len(message.accounts)} accounts, listing roles…")

    def on_targets_found(self, message: TargetsFound) -> None:
        if self._streaming:
            self._streamed.extend(message.targets)
            for target in message.targets:
                self._pending.pop(target.account_id, None)
            self._show_streamed()

    def _show_streamed(self) -> None:
        """Accounts whose roles are not listed yet appear with a placeholder role."""
        placeholders = [Target(account, PENDING_ROLE, ()) for account in self._pending.values()]
        self._show([*self._streamed, *placeholders])

    def on_inventory_refreshed(self, message: InventoryRefreshed) -> None:
        self._streaming = False
        self._pending.clear()
        refresh = message.refresh
        if refresh.complete or not self.table.targets:
            self._show(refresh.targets)
        else:
            # A partial refresh (a source failed, an instance is signed out) adds what it
            # found but takes nothing away from what was known.
            fresh = {t.key for t in refresh.targets}
            kept = [t for t in self.table.targets if t.key not in fresh and t.ways]
            self._show([*refresh.targets, *kept])
        if refresh.complete and (refresh.added or refresh.removed):
            self.notify(describe_changes(refresh), title="Since the last refresh", markup=False,
                        timeout=10)
        for label in refresh.not_signed_in:
            self.notify(f"Not signed in to {label}: press {self.keys.display('login')} to "
                        "sign in", severity="warning", markup=False)
        if refresh.failed_accounts:
            self.notify(f"Roles of {len(refresh.failed_accounts)} accounts could not be listed",
                        severity="warning")
        self._show_status("")

    # --- actions ------------------------------------------------------------------------------

    def _selected(self) -> Target | None:
        target = self.table.selected
        if target is None:
            self.notify("No target selected", severity="warning")
        elif not target.ways:
            self.notify("The roles of this account are still being listed", severity="warning")
            return None
        return target

    def _guarded(self, target: Target, what: str, then: Callable[[], object]) -> None:
        """Run `then` at once, or after the guardrail dialog says yes."""
        mode = self.workspace.guardrail(target)
        if mode == "off":
            then()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        from switcher.tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(target, what, mode == "type-name"), answered)

    def _chosen_targets(self) -> list[Target]:
        """The marked targets, or else the selected one."""
        marked = self.table.marked_targets
        if marked:
            return marked
        target = self._selected()
        return [target] if target is not None else []

    def action_console(self, path: str = "") -> None:
        targets = self._chosen_targets()
        if len(targets) > 1:
            for target in targets:
                self._console_for(target, path)
            self.table.marked.clear()
            self.table.refresh()
            return
        if targets:
            self._console_for(targets[0], path)

    def _console_for(self, target: Target, path: str) -> None:
        region = self.chosen_region(target)

        def go() -> None:
            self.notify(f"Opening the console of {target.display_name} in {region}…",
                        markup=False)
            self._open_console(target, region, path)

        self._guarded(target, "open its console", go)

    def action_group(self) -> None:
        order = GROUPINGS
        following = order[(order.index(self.table.group_by) + 1) % len(order)]
        self.table.set_grouping(following)
        self.notify("A flat list" if following == "flat" else f"Grouped by {following}")

    def action_favourite(self) -> None:
        target = self._selected()
        if target is None:
            return
        state = self.workspace.user_state
        pinned = state.toggle_favourite(target.key)
        self._reorder()
        self.notify(f"{target.display_name} {'pinned to the top' if pinned else 'unpinned'}",
                    markup=False)

    def action_way(self) -> None:
        target = self._selected()
        if target is None:
            return
        if len(target.ways) < 2:
            self.notify(f"{target.display_name} has one way in: {target.way.label}",
                        markup=False)
            return

        def chosen(way: Way | None) -> None:
            if way is not None:
                self.chosen_ways[target.key] = way
                self.notify(f"{target.display_name}: via {way.label}", markup=False)

        from switcher.tui.screens.ways import WayScreen

        self.app.push_screen(WayScreen(target, self.chosen_ways.get(target.key)), chosen)

    def action_destination(self) -> None:
        target = self._selected()
        if target is None:
            return

        def chosen(path: str | None) -> None:
            if path:
                self.action_console(path)

        from switcher.tui.screens.destinations import DestinationScreen

        self.app.push_screen(DestinationScreen(f"Console page for {target.display_name}",
                                               self.workspace.destinations(target)), chosen)

    def action_copy_url(self) -> None:
        target = self._selected()
        if target is not None:
            region = self.chosen_region(target)
            self._guarded(target, "copy its console sign-in URL",
                          lambda: self._copy_url(target, region))

    def action_copy_env(self) -> None:
        target = self._selected()
        if target is not None:
            region = self.chosen_region(target)
            self._guarded(target, "copy its credentials",
                          partial(self._copy_env, target, region))

    @work(thread=True, group="shell")
    def _copy_env(self, target: Target, region: str) -> None:
        from switcher.actions import shell

        try:
            credentials = self.workspace.credentials(target, self.chosen_ways.get(target.key))
        except SwitcherError as error:
            self.post_message(ActionFailed("Copy credentials", str(error)))
            return
        variables = shell.credential_environment(target, credentials, region, {})
        text = shell.exports(variables, shell.CONFLICTING_PROFILE_VARIABLES, "sh")
        self.app.call_from_thread(self.app.copy_to_clipboard, text)
        self.app.call_from_thread(
            self.notify, f"Credentials of {target.display_name} copied as `export` lines: "
            "paste them only where you mean to.", severity="warning", markup=False)

    @work(thread=True, group="console")
    def _copy_url(self, target: Target, region: str) -> None:
        try:
            url = self.workspace.console_url(target, region,
                                             way=self.chosen_ways.get(target.key))
        except SwitcherError as error:
            self.post_message(ActionFailed("Copy URL", str(error)))
            return
        self.app.call_from_thread(self.app.copy_to_clipboard, url)
        self.app.call_from_thread(
            self.notify, f"Sign-in URL of {target.display_name} copied. It grants access "
            "to the account for 15 minutes: paste it only where you mean to.",
            severity="warning", markup=False)

    @work(thread=True, group="console")
    def _open_console(self, target: Target, region: str, path: str = "") -> None:
        try:
            self.workspace.open_console(target, region, path,
                                        self.chosen_ways.get(target.key))
        except SwitcherError as error:
            self.post_message(ActionFailed("Console", str(error)))
            return
        self.workspace.user_state.used(target.key, region)
        self.post_message(ConsoleOpened(target, region))

    def _reorder(self) -> None:
        """Favourites and recent use changed: order the list again (the filter stays)."""
        state = self.workspace.user_state
        self.table.set_order(frozenset(state.favourites), state.usage,
                             self.workspace.settings.frecency)

    def on_console_opened(self, message: ConsoleOpened) -> None:
        self._reorder()
        self.notify(f"Console opened: {message.target.display_name} ({message.region})",
                    markup=False)

    def action_shell(self) -> None:
        """A shell for the selected target, or one after the other for the marked ones."""
        targets = self._chosen_targets()
        self.table.marked.clear()
        self.table.refresh()
        for target in targets:
            region = self.chosen_region(target)
            self._guarded(target, "start a shell", partial(self._prepare_shell, target, region))

    @work(thread=True, group="shell")
    def _prepare_shell(self, target: Target, region: str) -> None:
        try:
            environment = self.workspace.shell_environment(target, region,
                                                           self.chosen_ways.get(target.key))
        except SwitcherError as error:
            self.post_message(ActionFailed("Shell", str(error)))
            return
        self.workspace.user_state.used(target.key, region)
        self.post_message(ShellPrepared(target, region, environment))

    def on_shell_prepared(self, message: ShellPrepared) -> None:
        self._reorder()
        from textual.app import SuspendNotSupported

        from switcher.actions import shell

        workspace = self.workspace

        def run() -> int:
            environment = dict(message.environment)
            if not workspace.settings.credential_endpoint:
                return shell.run_shell(message.target, environment, self.shell_runner,
                                       workspace.environ)
            from switcher.actions.credential_endpoint import CredentialEndpoint

            way = self.chosen_ways.get(message.target.key)
            with CredentialEndpoint(lambda: workspace.credentials(message.target, way),
                                    message.target.account_id) as endpoint:
                environment = shell.with_endpoint(environment, endpoint.environment())
                return shell.run_shell(message.target, environment, self.shell_runner,
                                       workspace.environ)

        try:
            try:
                with self.app.suspend():
                    print(f"Shell for {message.target.display_name} in {message.region}; "
                          "`exit` to come back to switcher.", flush=True)
                    status = run()
            except SuspendNotSupported:
                status = run()
        except SwitcherError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.notify(f"Shell for {message.target.display_name} ended ({status})", markup=False)

    def on_action_failed(self, message: ActionFailed) -> None:
        self.notify(f"{message.what}: {message.reason}", severity="error", markup=False,
                    timeout=10)
        self._show_status("")

    # --- sign-in ------------------------------------------------------------------------------

    def action_login(self) -> None:
        self._login()

    @work(thread=True, exclusive=True, group="login")
    def _login(self) -> None:
        import webbrowser

        def prompt(user_code: str, url: str) -> None:
            self.app.call_from_thread(
                self.notify, f"Confirm the code {user_code} in your browser:\n{url}",
                title="Sign in", markup=False, timeout=60)
            opener = self.workspace.sign_in_opener
            if opener is not None:
                opener(url)
            else:
                webbrowser.open(url, new=2)

        try:
            for instance in self.workspace.instances():
                self.workspace.login(instance, prompt)
        except SwitcherError as error:
            self.post_message(ActionFailed("Sign in", str(error)))
            return
        self.app.call_from_thread(self.action_refresh)
