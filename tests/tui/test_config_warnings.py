"""The AWS files' problems reach the app as notices, each once per run, as the CLI says them
on stderr: a profile left out because its role_arn is not a role's ARN."""

from __future__ import annotations

import os
from pathlib import Path

from switcher.tui.app import SwitcherApp
from tests.conftest import Setup


async def test_a_malformed_role_arn_is_one_notice_naming_the_profile(setup: Setup) -> None:
    with Path(os.environ["AWS_CONFIG_FILE"]).open("a") as stream:
        stream.write("\n[profile typo\x1b[2J]\nrole_arn = not-an-arn\n"
                     "source_profile = jane-iam\n")
    app = SwitcherApp(setup.sign_in(setup.workspace()))
    async with app.run_test(size=(120, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.action_refresh()  # type: ignore[attr-defined]  # a second refresh
        await app.workers.wait_for_complete()
        await pilot.pause()
        notices = [str(n.message) for n in app._notifications if "typo" in str(n.message)]
    assert notices == [f"{os.environ['AWS_CONFIG_FILE']}: profile 'typo\\x1b[2J' is not "
                       "listed: its role_arn 'not-an-arn' is not an ARN "
                       "(arn:partition:service:region:account:resource)"]
