"""One HTTP server on 127.0.0.1 that speaks every AWS protocol switcher needs.

boto3 reaches it through the normal endpoint settings (AWS_ENDPOINT_URL_SSO, _SSO_OIDC, _STS,
_ORGANIZATIONS); the federation endpoint and console pages live on the same port.
"""

from __future__ import annotations

import logging
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from switcher.emulator import console, oidc, organizations, portal, sts, uxc
from switcher.emulator.http import Request, Response, ServiceError, rest_json_error
from switcher.emulator.organization import (
    DEFAULT_START_URL,
    Organization,
    seeded_organization,
)
from switcher.emulator.state import EmulatorState, Knobs

log = logging.getLogger("switcher.emulator")

Handler = Callable[[EmulatorState, Request], Response]
ErrorRenderer = Callable[[ServiceError], Response]

_CHANCE = random.SystemRandom()
"""Injected faults draw from the system, not the random module a test may have seeded."""


def _route(request: Request) -> tuple[str, Handler, ErrorRenderer]:
    """Which service answers, by the shape of the request as AWS would see it."""
    path = request.path
    if request.headers.get("x-amz-target", "").startswith(organizations.TARGET_PREFIX):
        return "organizations", organizations.handle, organizations.error_response
    if portal.is_portal_path(path):
        return "sso", portal.handle, rest_json_error
    if path in ("/client/register", "/device_authorization", "/token"):
        return "sso-oidc", oidc.handle_api, oidc.oidc_error_response
    if path == "/v1/account-customizations":
        return "uxc", uxc.handle, rest_json_error
    if path == "/" and request.method == "POST":
        return "sts", sts.handle, sts.error_response
    pages: dict[str, Handler] = {
        "/federation": console.federation,
        "/oauth": console.logout,
        "/switchrole": console.switch_role,
        "/start": console.portal_page,
        "/start/": console.portal_page,
        "/start/federate": console.portal_federate,
        "/device": oidc.verification_page,
        "/authorize": oidc.authorize_page,
    }
    if path in pages:
        return "page", pages[path], rest_json_error
    return "console", console.landing_page, rest_json_error


class Emulator:
    """The emulator as an object: start it, read `url`, change `knobs`, stop it."""

    def __init__(self, organization: Organization | None = None, knobs: Knobs | None = None,
                 port: int = 0, host: str = "127.0.0.1",
                 more_instances: tuple[Organization, ...] = ()) -> None:
        self.state = EmulatorState(organization or seeded_organization(), knobs or Knobs())
        for other in more_instances:
            self.state.add_instance(other)
        self._server = _Server((host, port), _RequestHandler)
        self._server.emulator = self
        primary = self.state.organization
        if primary.start_url == DEFAULT_START_URL:
            # The access portal is served here too, so shortcut links can be followed.
            self.state.instances.pop(primary.start_url)
            primary.start_url = f"{self.url}/start"
            self.state.instances[primary.start_url] = primary
        self._thread: threading.Thread | None = None

    @property
    def knobs(self) -> Knobs:
        return self.state.knobs

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Emulator:
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="emulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def environment(self) -> dict[str, str]:
        """The endpoint settings that point boto3 and switcher at this emulator."""
        return {
            "AWS_ENDPOINT_URL_SSO": self.url,
            "AWS_ENDPOINT_URL_SSO_OIDC": self.url,
            "AWS_ENDPOINT_URL_STS": self.url,
            "AWS_ENDPOINT_URL_ORGANIZATIONS": self.url,
            "AWS_ENDPOINT_URL_UXC": self.url,
            "SWITCHER_FEDERATION_ENDPOINT": f"{self.url}/federation",
            "SWITCHER_CONSOLE_ENDPOINT": self.url,
        }

    def answer(self, request: Request) -> Response:
        service, handler, render_error = _route(request)
        state = self.state
        knobs = state.knobs
        is_api = service not in ("page", "console")
        if request.path == "/federation" and knobs.federation_latency_ms:
            time.sleep(knobs.federation_latency_ms / 1000)
        try:
            if is_api and knobs.latency_ms:
                time.sleep(knobs.latency_ms / 1000)
            if service == "sso" and knobs.throttle and not state.bucket.take():
                with state.lock:
                    state.throttled += 1
                raise ServiceError(429, "TooManyRequestsException", "Rate exceeded")
            if is_api and knobs.error_rate and _CHANCE.random() < knobs.error_rate:
                with state.lock:
                    state.injected_errors += 1
                raise ServiceError(500, "InternalServerException", "Injected fault", sender=False)
            return handler(state, request)
        except ServiceError as error:
            return render_error(error)
        except (ValueError, KeyError) as error:
            return render_error(ServiceError(400, "ValidationException", f"Bad request: {error}"))

    def control(self, request: Request) -> Response:
        """Test and benchmark hooks under /_emulator/: counters, visits and knobs."""
        state = self.state
        if request.path == "/_emulator/state":
            with state.lock:
                return Response.json({"calls": dict(state.calls), "throttled": state.throttled,
                                      "injected_errors": state.injected_errors,
                                      "knobs": asdict(state.knobs)})
        if request.path == "/_emulator/visits":
            with state.lock:
                return Response.json(list(state.console_visits))
        if request.path == "/_emulator/knobs" and request.method == "POST":
            for name, value in request.json().items():
                if not hasattr(state.knobs, name):
                    return Response.json({"message": f"unknown knob {name}"}, 400)
                setattr(state.knobs, name, value)
            state.bucket.rate = state.knobs.requests_per_second
            return Response.json(asdict(state.knobs))
        return Response.json({"message": "unknown control path"}, 404)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    emulator: Emulator

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that give up (timeouts, resets) are part of the tests; not worth a traceback.
        log.debug("connection from %s ended early", client_address, exc_info=True)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, a kept-alive
    # connection then waits for the client's delayed ACK: 40 ms a request that AWS does not add.
    disable_nagle_algorithm = True
    server: _Server

    def _handle(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        request = Request(self.command, split.path or "/",
                          dict(parse_qsl(split.query, keep_blank_values=True)),
                          {k.lower(): v for k, v in self.headers.items()}, body, f"http://{host}")
        emulator = self.server.emulator
        knobs = emulator.state.knobs
        if (knobs.reset_rate and not request.path.startswith("/_emulator/")
                and _CHANCE.random() < knobs.reset_rate):
            with emulator.state.lock:
                emulator.state.resets += 1
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)  # a reset: no answer at all
            return
        started = time.perf_counter()
        try:
            if request.path.startswith("/_emulator/"):
                response = emulator.control(request)
            else:
                response = emulator.answer(request)
                with emulator.state.lock:  # so benchmarks can tell its time from the client's
                    emulator.state.serving_seconds += time.perf_counter() - started
        except Exception:  # a bug in the emulator must not kill the connection silently
            log.exception("emulator failed on %s %s", self.command, split.path)
            response = Response.json({"message": "emulator internal error"}, 500)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

    def log_message(self, format: str, *args: object) -> None:  # requests carry secrets
        return
