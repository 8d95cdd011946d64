"""The main screen: filter box, region choice, the list of targets, and the sign-in status.
Layout and message handlers; the keys come from the command table, the background work from
`switcher.tui.workers`."""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from switcher.environments import production_label
from switcher.errors import SwitcherError
from switcher.model import Account, Target, Way
from switcher.tui import memory, workers
from switcher.tui.command_table import DEFAULT_KEYS, KeyTable, screen_bindings
from switcher.tui.messages import (
    AccountsListed,
    ConsoleLanded,
    ConsoleOpened,
    ConsoleOpening,
    Copied,
    InventoryRefreshed,
    ShellPrepared,
    SignedIn,
    SignInCodeShown,
    SignInRead,
    TargetsFound,
    WorkFailed,
)
from switcher.tui.shell_session import ShellRunner, run_shell
from switcher.tui.text import changes, counted, literal
from switcher.tui.widgets.filter_input import FilterInput
from switcher.tui.widgets.footer import CommandFooter
from switcher.tui.widgets.region import RegionLabel
from switcher.tui.widgets.status import EXPIRY_TICK, StatusBar
from switcher.tui.widgets.target_table import GROUPING_NAMES, GROUPINGS, TargetTable
from switcher.workspace import Workspace

if TYPE_CHECKING:
    from textual.worker import Worker

PENDING_ROLE = "… listing roles"
WANTED_ROWS = 20
"""While roles are being listed, the accounts of this many best matches of what is typed are
listed first (one second of Identity Center's 20 requests/s)."""


class MainScreen(Screen[None]):
    BINDINGS = screen_bindings()

    def __init__(self, workspace: Workspace, shell_runner: ShellRunner,
                 keys: KeyTable = DEFAULT_KEYS, sign_in_first: bool = False) -> None:
        super().__init__()
        self.workspace = workspace
        self.shell_runner = shell_runner
        self.keys = keys
        self.sign_in_first = sign_in_first
        """An instance was just added (a first run): sign in, and discover once signed in."""
        self.chosen_ways: dict[str, Way] = {}
        self.region_choice = ""
        """The chosen region; empty for each target's own region."""
        self._warned: set[str] = set()
        """Refresh warnings already shown: each once per run, as the CLI says them."""
        self._discovery: Worker[Any] | None = None
        self._again = False
        """Discover again when the running discovery ends (a sign-in came during it)."""
        self._streaming = False
        self._streamed: list[Target] = []
        self._pending: dict[str, Account] = {}
        self._awaited: tuple[str, str] | None = None
        """Enter on an account whose roles were still being listed: its id and the console
        page, opened as soon as its roles are known."""

    def compose(self) -> ComposeResult:
        yield Static(literal(f"switcher  ·  {self.app.sub_title}"), id="title")
        with Horizontal(id="bar"):
            yield FilterInput(placeholder="Type to filter accounts and roles", id="filter")
            yield RegionLabel(id="region")
        yield Static(id="header")
        yield TargetTable(id="targets")
        yield StatusBar(self.keys.display("login"), id="status")
        yield CommandFooter()

    @property
    def table(self) -> TargetTable:
        return self.query_one(TargetTable)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def _run(self, name: str, job: Callable[..., None], *arguments: Any,
             exclusive: bool = False) -> Worker[Any]:
        """Run `job(workspace, *arguments, post)` in a worker named `name`."""
        return workers.start(self, partial(job, self.workspace, *arguments, self.post_message),
                             name=name, group=name, exclusive=exclusive)

    def _show(self, targets: list[Target]) -> None:
        state = self.workspace.user_state
        self.table.favourites = frozenset(state.favourites)
        self.table.usage = state.usage
        self.table.frecency = self.workspace.settings.frecency
        self.table.set_targets(targets)
        self.query_one("#header", Static).update(self.table.header())
        self._count()

    def _count(self) -> None:
        self.status.show(len(self.table.shown), marked=len(self.table.marked))

    def on_resize(self) -> None:
        self.query_one("#header", Static).update(self.table.header())

    def on_mount(self) -> None:
        self.table.default_region = self.workspace.configured_default_region()
        cached = self.workspace.cached_inventory()
        # The inventory just decoded, Textual and the screen live as long as the app: out of
        # the cyclic collector's sight before the first frame too, which otherwise waited
        # for a full pass over all of it (30-150 ms at 10,000 targets).
        gc.freeze()
        self._streaming = cached is None  # nothing to show yet: show discovery as it goes
        self._streamed = []
        self._pending = {}
        if cached is not None:
            self._show(cached.targets)
        self.query_one(FilterInput).focus()
        self.status.show(extra="Loading…" if cached is None else "")
        # Discovery imports boto3 and works in a thread. With a list to show, it starts once
        # the first frame is on screen, so as not to slow that frame down; with nothing to
        # show, at once (its first answers are what the user waits for).
        if self.sign_in_first:
            self.status.show(extra="signing in…")
            self.action_login()
        elif cached is None:
            self.action_refresh()
        self.call_after_refresh(self._after_first_frame, cached is not None)

    def _after_first_frame(self, then_refresh: bool) -> None:
        # What exists now (Textual, the widgets, the cached inventory) lives as long as the
        # app: out of the cyclic collector's sight, whose full passes over it paused key
        # presses for 50-100 ms at 10,000 targets. (Reference counting still frees it.)
        gc.freeze()
        if then_refresh:
            self.action_refresh()
        self._read_sign_in()
        self.set_interval(EXPIRY_TICK, self._read_sign_in)

    def _read_sign_in(self) -> None:
        self._run("Reading the sign-in state", workers.read_sign_in)

    def on_sign_in_read(self, message: SignInRead) -> None:
        self.status.signed_in(message.expiries, message.renewable)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.status.show(extra="")
        if message.name == "Discovery" and self._again:
            self._again = False
            self.action_refresh()
        if message.name == "Sign in":
            self._close_sign_in_code()

    # --- filter, moves and region -------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.filter(event.value)
        self._count()
        self._awaited = None  # typing again: the user moved on
        self._want_shown()

    def _want_shown(self) -> None:
        """While roles are being listed, those of the accounts that best match what is typed
        are listed first."""
        if not (self._streaming and self._pending and self.table.terms):
            return
        wanted = [t.account_id for t in self.table.shown[:WANTED_ROWS] if not t.ways]
        if wanted:
            self.workspace.want_roles(wanted)

    @on(TargetTable.Chosen)
    def _row_chosen(self) -> None:
        self.action_console()

    def action_move(self, where: str) -> None:
        self._awaited = None
        self.table.move(where)

    def action_clear_filter(self) -> None:
        self.query_one(FilterInput).value = ""

    def action_mark(self) -> None:
        self.table.mark()
        self._count()

    def action_region(self) -> None:
        from switcher.tui.screens.regions import RegionScreen, regions

        def chosen(region: str | None) -> None:
            if region is not None:
                self.region_choice = region
                self.table.choose_region(region)
                self.query_one(RegionLabel).show(region)
                self.query_one("#header", Static).update(self.table.header())

        self.app.push_screen(RegionScreen(regions(self.workspace.user_state.regions),
                                          self.region_choice), chosen)

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

    # --- discovery and sign-in ----------------------------------------------------------------

    def action_refresh(self) -> None:
        """Discover again; while a discovery runs, this one is awaited instead (a second
        one beside it streamed every target twice)."""
        if self._discovery is not None and not self._discovery.is_finished:
            self.notify("Already discovering: the list is complete when it ends",
                        markup=False)
            return
        self.status.show(extra="discovering…")
        self._discovery = self._run("Discovery", workers.discover)

    def _discover_again(self) -> None:
        """After a sign-in: a discovery that began before it cannot list what it opened."""
        if self._discovery is not None and not self._discovery.is_finished:
            self._again = True
        else:
            self.action_refresh()

    def on_accounts_listed(self, message: AccountsListed) -> None:
        if self._streaming:
            self._pending.update({a.account_id: a for a in message.accounts})
            self._show_streamed()
            self._want_shown()  # typed before the accounts were known
        self.status.show(extra=f"{message.label}: {counted(len(message.accounts), 'account')}"
                               ", listing roles…")

    def on_targets_found(self, message: TargetsFound) -> None:
        if self._streaming:
            self._streamed.extend(message.targets)
            for target in message.targets:
                self._pending.pop(target.account_id, None)
            self._show_streamed()
        awaited = self._awaited
        if awaited is not None and any(t.account_id == awaited[0] for t in message.targets):
            self._open_awaited(*awaited)

    def _await_roles(self, account: Account, path: str) -> None:
        """Enter on an account whose roles are still being listed: they are listed next,
        and the console opens once they are known."""
        self._awaited = (account.account_id, path)
        self.workspace.want_roles([account.account_id])
        self.notify(f"{account.name or account.account_id}: listing its roles, then opening "
                    "the console…", markup=False)

    def _open_awaited(self, account_id: str, path: str) -> None:
        """The roles are known: the console of the account's best match of the filter (the
        row Enter would have chosen had they been known), the guard asking as always."""
        self._awaited = None
        target = next((t for t in self.table.shown if t.account_id == account_id and t.ways),
                      None)
        if target is None or not self.table.select(target.key):
            self.notify("Its roles are listed, and none matches the filter: choose one",
                        severity="warning", markup=False)
            return
        self.action_console(path)

    def _show_streamed(self) -> None:
        """Accounts whose roles are not listed yet appear with a placeholder role."""
        placeholders = [Target(account, PENDING_ROLE, ()) for account in self._pending.values()]
        self._show([*self._streamed, *placeholders])

    def on_inventory_refreshed(self, message: InventoryRefreshed) -> None:
        self._discovery = None  # its work is done (the thread may not have ended yet)
        if self._again:
            self._again = False
            self.call_after_refresh(self.action_refresh)
        self._streaming = False
        if self._awaited is not None:
            self._awaited = None
            self.notify("No role of that account could be listed", severity="warning",
                        markup=False)
        self._pending.clear()
        refresh = message.refresh
        # A partial refresh (a source failed, an instance is signed out) comes with the last
        # known targets of what failed: the inventory service keeps them, as for the CLI, and
        # their rows say so.
        self.table.last_known = refresh.kept_keys
        self._show(refresh.targets)
        if refresh.complete and (refresh.added or refresh.removed):
            self.notify(changes([t.display_name for t in refresh.added],
                                [t.display_name for t in refresh.removed]),
                        title="Since the last refresh", markup=False, timeout=10)
        # The files' problems (a section not understood, a profile left out) and what a
        # source could not do; config.toml's were shown at start.
        for warning in refresh.warnings:
            if warning not in self._warned and warning not in self.workspace.settings.warnings:
                self._warned.add(warning)
                self.notify(warning, severity="warning", markup=False, timeout=20)
        for label in refresh.not_signed_in:
            self.notify(f"Not signed in to {label}: press {self.keys.display('login')} to "
                        "sign in", severity="warning", markup=False)
        if refresh.failed_accounts:
            self.notify(f"Roles of {counted(len(refresh.failed_accounts), 'account')} could not "
                        "be listed; their last known targets are kept", severity="warning")
        self.status.show(extra=f"Refreshed: {counted(len(refresh.targets), 'target')}"
                         if refresh.complete else
                         f"Refreshed in part: {counted(len(refresh.targets), 'target')}"
                         + (f", {len(refresh.kept)} last known" if refresh.kept else ""))
        self._read_sign_in()  # discovery may have renewed a token
        # Once the old list is drawn no more: what the refresh held twice goes back.
        self.call_after_refresh(memory.release)

    def action_login(self) -> None:
        self._run("Sign in", workers.sign_in, exclusive=True)

    def on_sign_in_code_shown(self, message: SignInCodeShown) -> None:
        from switcher.tui.screens.signin_code import SignInCodeScreen

        self._close_sign_in_code()
        def copy(text: str) -> None:
            self._run("Copy the sign-in address", workers.copy_text, text, "Sign-in address")

        self.app.push_screen(SignInCodeScreen(message.user_code, message.url, copy))

    def _close_sign_in_code(self) -> None:
        from switcher.tui.screens.signin_code import SignInCodeScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, SignInCodeScreen):
                screen.dismiss(None)

    def on_signed_in(self, message: SignedIn) -> None:
        self._close_sign_in_code()
        self.notify("Signed in", markup=False)
        self._read_sign_in()
        self._discover_again()

    # --- acting on targets --------------------------------------------------------------------

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
        # A row shown while the first discovery runs is classified without what comes at its
        # end (Organizations tags and OUs, switch-role settings), any of which can make it
        # production: where one of them could, it asks until then, whatever it looks like.
        provisional = (mode == "off" and self._streaming
                       and self.workspace.environment_settled_later(target))
        if mode == "off" and not provisional:
            then()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        from switcher.tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(target, what, mode == "type-name",
                                           provisional=provisional), answered)

    def _chosen_targets(self) -> list[Target]:
        """The marked targets, or else the selected one."""
        marked = self.table.marked_targets
        if marked:
            return marked
        target = self._selected()
        return [target] if target is not None else []

    def _unmark(self) -> None:
        self.table.marked.clear()
        self.table.refresh()
        self._count()

    def _act(self, targets: list[Target], what: str, name: str, job: Callable[..., None],
             *extra: object) -> None:
        """`job(workspace, target, region, *extra, way, post)` in a worker for each target,
        after the guardrail's yes where it asks; `what` is what the question says."""
        for target in targets:
            self._guarded(target, what, partial(
                self._run, name, job, target, self.chosen_region(target), *extra,
                self.chosen_ways.get(target.key)))

    def action_console(self, path: str = "") -> None:
        selected = self.table.selected
        if not self.table.marked and selected is not None and not selected.ways and (
                self._streaming):
            self._await_roles(selected.account, path)
            return
        targets = self._chosen_targets()
        if len(targets) > 1:
            self._unmark()
        self._act(targets, "open its console", "Console", workers.open_console, path)

    def on_console_opening(self, message: ConsoleOpening) -> None:
        self.notify(f"Opening the console of {production_label(message.target)}"
                    f"{message.target.display_name} in {message.region}…", markup=False)

    def on_console_opened(self, message: ConsoleOpened) -> None:
        self._used(message.target, message.region)
        self.notify(f"Console opened: {production_label(message.target)}"
                    f"{message.target.display_name} ({message.region})", markup=False)

    def on_console_landed(self, message: ConsoleLanded) -> None:
        self.notify(f"Landed on {message.where}", title=f"Console of "
                    f"{production_label(message.target)}{message.target.display_name}",
                    markup=False, timeout=15)

    def _used(self, target: Target, region: str) -> None:
        """Remember the use (recents, frecency), order the list again, save in a worker."""
        self.workspace.user_state.used(target.key, region)
        self._reorder("Saving recent use")

    def _reorder(self, saving: str) -> None:
        """Favourites or recent use changed: order the list again (the filter stays), and
        save them in a worker (named `saving`)."""
        state = self.workspace.user_state
        self.table.set_order(frozenset(state.favourites), state.usage,
                             self.workspace.settings.frecency)
        workers.start(self, partial(workers.save_state, self.workspace), name=saving,
                      group="state")

    def action_group(self) -> None:
        order = GROUPINGS
        following = order[(order.index(self.table.group_by) + 1) % len(order)]
        self.table.set_grouping(following)
        self.notify("A flat list" if following == "flat"
                    else f"Grouped by {GROUPING_NAMES[following]}")

    def action_favourite(self) -> None:
        target = self._selected()
        if target is None:
            return
        pinned = self.workspace.user_state.toggle_favourite(target.key)
        self._reorder("Saving favourites")
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
        self._act([target] if target else [], "copy its console sign-in URL", "Copy URL",
                  workers.copy_url)

    def action_copy_env(self) -> None:
        target = self._selected()
        self._act([target] if target else [], "copy its credentials", "Copy credentials",
                  workers.copy_env)

    def on_copied(self, message: Copied) -> None:
        self.notify(message.notice, severity="warning", markup=False, timeout=10)

    def action_shell(self) -> None:
        """A shell for the selected target, or one after the other for the marked ones."""
        targets = self._chosen_targets()
        self._unmark()
        self._act(targets, "start a shell", "Shell", workers.prepare_shell)

    def on_shell_prepared(self, message: ShellPrepared) -> None:
        self._used(message.target, message.region)
        try:
            status = run_shell(self.app, self.workspace, message.target, message.region,
                               message.environment, self.chosen_ways.get(message.target.key),
                               self.shell_runner)
        except SwitcherError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.notify(f"Shell for {production_label(message.target)}"
                    f"{message.target.display_name} ended ({status})", markup=False)
