"""An opt-in local credential endpoint for long sessions: the ECS container credential
protocol on 127.0.0.1 with a random authorization token. SDKs and the AWS CLI in the shell
ask it for credentials whenever theirs near expiry, so a long-running command keeps working."""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Callable
from datetime import timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from switcher.errors import SwitcherError
from switcher.model import Credentials

log = logging.getLogger(__name__)


class CredentialEndpoint:
    def __init__(self, provider: Callable[[], Credentials], account_id: str = "") -> None:
        self.token = secrets.token_urlsafe(32)
        self.served = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if not secrets.compare_digest(self.headers.get("Authorization", ""),
                                              outer.token):
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
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="credential-endpoint", daemon=True)

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
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def environment(self) -> dict[str, str]:
        return {"AWS_CONTAINER_CREDENTIALS_FULL_URI": self.url,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": self.token}

    def __enter__(self) -> CredentialEndpoint:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
