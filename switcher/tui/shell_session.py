"""A shell for a target in the app's terminal: the app steps aside (suspends) and comes back
when the shell exits."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual.app import App, SuspendNotSupported

from switcher.model import Target, Way
from switcher.workspace import Workspace

ShellRunner = Callable[[Sequence[str], Mapping[str, str]], int]


def run_shell(app: App[None], workspace: Workspace, target: Target, region: str,
              environment: Mapping[str, str], way: Way | None, runner: ShellRunner) -> int:
    """The shell's exit status. With `credential_endpoint` set, the shell gets its
    credentials from a local endpoint (renewed as they expire) for as long as it runs."""
    from switcher.actions import shell

    def run() -> int:
        variables = dict(environment)
        if not workspace.settings.credential_endpoint:
            return shell.run_shell(target, variables, runner, workspace.environ)
        from switcher.actions.credential_endpoint import CredentialEndpoint

        with CredentialEndpoint(lambda: workspace.credentials(target, way),
                                target.account_id) as endpoint:
            variables = shell.with_endpoint(variables, endpoint.environment())
            return shell.run_shell(target, variables, runner, workspace.environ)

    try:
        with app.suspend():
            print(f"Shell for {target.display_name} in {region}; `exit` to come back to "
                  "switcher.", flush=True)
            return run()
    except SuspendNotSupported:
        return run()
