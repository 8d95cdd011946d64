"""The main screen's background work: each job runs in a thread, does its blocking part
(boto3 calls, files) and reports with past-tense messages through `post`.

Jobs do not catch errors: every worker runs with `exit_on_error=False`, and the app's one
handler (`SwitcherApp.on_worker_state_changed`) turns a failure into a notice, named after the
worker. A job that fails therefore never stops the app.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.message import Message

from switcher.errors import ConsoleError, NoBrowserError, SwitcherError
from switcher.model import Account, Target, Way
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
)

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker

    from switcher.auth.oidc import SsoInstance
    from switcher.workspace import Workspace

Post = Callable[[Message], object]

HAND_OFF_WAIT = 120
"""Seconds a browser has to take the one-use sign-in link (as the CLI waits)."""


def start(node: DOMNode, job: Callable[[], Any], *, name: str, group: str,
          exclusive: bool = False) -> Worker[Any]:
    """Run `job` in a thread. The worker belongs to the app, whose handler reports failures;
    `name` says what failed ("Console", "Sign in"...)."""
    return node.app.run_worker(job, name=name, group=group, thread=True, exclusive=exclusive,
                               exit_on_error=False)


def discover(workspace: Workspace, post: Post) -> None:
    def listed(instance: SsoInstance, accounts: list[Account]) -> None:
        post(AccountsListed(instance.label, list(accounts)))

    def found(targets: list[Target]) -> None:
        post(TargetsFound(list(targets)))

    post(InventoryRefreshed(workspace.refresh(listed, found)))


def read_sign_in(workspace: Workspace, post: Post) -> None:
    """When each instance's sign-in ends, from the token cache, and whether its refresh
    token can renew it. An access token found expired with a valid refresh token is renewed
    here (what the status line promised: "renewing")."""
    expiries: dict[str, datetime | None] = {}
    renewable: set[str] = set()
    for instance in workspace.instances():
        cached = workspace.signin.cache.load(instance)
        if cached is not None and not cached.usable() and cached.can_refresh():
            with contextlib.suppress(SwitcherError):  # refused: "sign in needed" says so
                workspace.signin.token(instance)
            cached = workspace.signin.cache.load(instance)
        expiries[instance.label] = workspace.signin.expiry(instance)
        if cached is not None and cached.can_refresh():
            renewable.add(instance.label)
    post(SignInRead(expiries, frozenset(renewable)))


def sign_in(workspace: Workspace, post: Post) -> None:
    import webbrowser

    def prompt(user_code: str, url: str) -> None:
        # The device code: after no browser could be opened for PKCE, or for a legacy
        # instance (a browser may be there: it is tried once more). The app shows the code
        # and the address in a dialog and waits either way.
        post(SignInCodeShown(user_code, url))
        opener = workspace.sign_in_opener
        try:
            if opener is not None:
                opener(url)
            else:
                webbrowser.open(url, new=2)
        except (NoBrowserError, webbrowser.Error):
            pass

    for instance in workspace.instances():
        workspace.login(instance, prompt)
    post(SignedIn())


def copy_text(workspace: Workspace, text: str, what: str, post: Post) -> None:
    _copy(workspace, text, what, "", (), post)


LANDING_WAIT = 20.0
"""Seconds the built-in browser stand-in may take to follow a console link."""


def open_console(workspace: Workspace, target: Target, region: str, path: str,
                 way: Way | None, post: Post) -> None:
    post(ConsoleOpening(target, region))
    redirect = workspace.open_console(target, region, path, way)
    # Opened means a browser of ours took the one-use link, not that a command was started.
    if not redirect.wait(timeout=HAND_OFF_WAIT):
        raise ConsoleError("no browser picked up the sign-in link within "
                           f"{HAND_OFF_WAIT // 60} minutes (see [browser] command in "
                           "config.toml)")
    post(ConsoleOpened(target, region))
    describe = workspace.describe_landing
    if describe is not None and redirect.landed.wait(LANDING_WAIT):
        where = describe(redirect.landing_page)
        post(ConsoleLanded(target, where or f"a page that is not the console "
                                            f"({redirect.landing_page[:80]})"))


def copy_url(workspace: Workspace, target: Target, region: str, way: Way | None,
             post: Post) -> None:
    link = workspace.console_link(target, region, way=way)
    caution = (" It grants access to the account for 15 minutes: paste it only where you "
               "mean to." if link.method.value == "federation" else "")
    _copy(workspace, link.url, f"Sign-in URL of {target.display_name}", caution,
          link.warnings, post)


def _copy(workspace: Workspace, text: str, what: str, caution: str,
          warnings: tuple[str, ...], post: Post) -> None:
    """Through a clipboard tool, or OSC 52 written to the terminal in one piece (Textual's
    copy_to_clipboard said "copied" whether or not anything arrived, and its sequence is
    dropped by tmux's defaults)."""
    from switcher.actions.clipboard import copy

    outcome = copy(text, workspace.environ)
    lines = [*warnings, f"{what}: {outcome.message}" + (caution if outcome.copied
                                                         or outcome.sent else "")]
    post(Copied("\n".join(lines), outcome.copied))


def copy_env(workspace: Workspace, target: Target, region: str, way: Way | None,
             post: Post) -> None:
    from switcher.actions import shell

    variables = shell.credential_environment(target, workspace.credentials(target, way), region,
                                             {})
    text = shell.exports(variables, shell.CONFLICTING_PROFILE_VARIABLES, "sh")
    _copy(workspace, text, f"Credentials of {target.display_name} as `export` lines",
          " Paste them only where you mean to.", (), post)


def prepare_shell(workspace: Workspace, target: Target, region: str, way: Way | None,
                  post: Post) -> None:
    post(ShellPrepared(target, region, workspace.shell_environment(target, region, way)))


def save_state(workspace: Workspace) -> None:
    """Favourites and recent use, to state.json."""
    workspace.user_state.save()
