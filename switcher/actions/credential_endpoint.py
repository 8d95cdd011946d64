"""An opt-in local credential endpoint for long sessions: the ECS container credential
protocol on 127.0.0.1 with a random authorization token. SDKs and the AWS CLI in the shell
ask it for credentials whenever theirs near expiry, so a long-running command keeps working."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from datetime import timezone

from switcher.errors import SwitcherError
from switcher.localserver import LocalServer, QuietHandler
from switcher.model import Credentials

log = logging.getLogger(__name__)


class CredentialEndpoint:
    """Answers only requests with our token, and on Linux only from our own uid (see
    switcher.localserver): the token sits in the environment of the shell's processes."""

    def __init__(self, provider: Callable[[], Credentials], account_id: str = "", *,
                 same_user_only: bool = True) -> None:
        self.token = secrets.token_urlsafe(32)
        self.served = 0
        outer = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                # As bytes: compare_digest refuses str with non-ASCII characters.
                offered = str(self.headers.get("Authorization") or "").encode(
                    "utf-8", "surrogateescape")
                if not secrets.compare_digest(offered, outer.token.encode()):
                    self._answer(403, {"Message": "invalid Authorization token"})
                    return
                try:
                    credentials = provider()
                except SwitcherError as error:
                    log.warning("credential endpoint: %s", error)
                    self._answer(500, {"Message": str(error)})
                    return
                outer.served += 1
                self._answer(200, outer.document(credentials, account_id))

            def _answer(self, status: int, payload: dict[str, str]) -> None:
                self.send_body(status, json.dumps(payload).encode(), "application/json")

        self._server = LocalServer(Handler, same_user_only=same_user_only,
                                   name="credential-endpoint")

    @staticmethod
    def document(credentials: Credentials, account_id: str) -> dict[str, str]:
        payload = {"AccessKeyId": credentials.access_key_id,
                   "SecretAccessKey": credentials.secret_access_key,
                   "Token": credentials.session_token}
        if credentials.expiration is not None:
            payload["Expiration"] = credentials.expiration.astimezone(timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%SZ")
        if account_id:
            payload["AccountId"] = account_id
        return payload

    @property
    def url(self) -> str:
        return self._server.url("/")

    @property
    def refused(self) -> int:
        """Connections refused because they came from another uid."""
        return self._server.refused

    def environment(self) -> dict[str, str]:
        return {"AWS_CONTAINER_CREDENTIALS_FULL_URI": self.url,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": self.token}

    def __enter__(self) -> CredentialEndpoint:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.close()
