"""IAM Identity Center OIDC (service `sso-oidc`, rest-json), and the pages a browser sees.

RegisterClient, StartDeviceAuthorization and CreateToken with the device code, authorization
code (PKCE, loopback redirect) and refresh token grants; a verification page for device codes and
an authorize page for PKCE, which approve by themselves when the emulator runs in auto-approve mode.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import time
from urllib.parse import urlencode, urlsplit

from switcher.emulator.http import Request, Response, ServiceError
from switcher.emulator.state import AuthorizationCode, Client, DeviceAuthorization, EmulatorState

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REGISTRATION_TTL = 90 * 24 * 3600
DEVICE_TTL = 600


def _oidc_error(status: int, code: str, error: str, description: str) -> ServiceError:
    failure = ServiceError(status, code, description)
    failure.oauth_error = error  # type: ignore[attr-defined]
    return failure


def _client(state: EmulatorState, body: dict[str, object]) -> Client:
    client = state.clients.get(str(body.get("clientId", "")))
    if client is None or client.client_secret != body.get("clientSecret"):
        raise _oidc_error(401, "InvalidClientException", "invalid_client", "Invalid client")
    if client.expires_at <= time.time():
        raise _oidc_error(401, "InvalidClientException", "invalid_client", "Client expired")
    return client


def _register(state: EmulatorState, body: dict[str, object]) -> Response:
    if not body.get("clientName") or body.get("clientType") != "public":
        raise _oidc_error(400, "InvalidRequestException", "invalid_request",
                          "clientName and clientType=public are required")
    grant_types = tuple(str(g) for g in body.get("grantTypes") or ())  # type: ignore[attr-defined]
    redirect_uris = tuple(str(u) for u in body.get("redirectUris") or ())  # type: ignore[attr-defined]
    if "authorization_code" in grant_types and not redirect_uris:
        raise _oidc_error(400, "InvalidRequestException", "invalid_request",
                          "redirectUris is required for the authorization_code grant")
    client = Client("emu-client-" + secrets.token_urlsafe(16), secrets.token_urlsafe(48),
                    grant_types, redirect_uris,
                    tuple(str(s) for s in body.get("scopes") or ()),  # type: ignore[attr-defined]
                    time.time() + REGISTRATION_TTL, str(body.get("issuerUrl") or ""))
    with state.lock:
        state.clients[client.client_id] = client
    return Response.json({
        "clientId": client.client_id, "clientSecret": client.client_secret,
        "clientIdIssuedAt": int(time.time()), "clientSecretExpiresAt": int(client.expires_at),
    })


def _start_device(state: EmulatorState, body: dict[str, object], base_url: str) -> Response:
    client = _client(state, body)
    start_url = str(body.get("startUrl", ""))
    if start_url not in state.instances:
        raise _oidc_error(400, "InvalidRequestException", "invalid_request",
                          f"Unknown start URL {start_url}")
    alphabet = "BCDFGHJKLMNPQRSTVWXZ"
    user_code = "".join(secrets.choice(alphabet) for _ in range(4)) + "-" + "".join(
        secrets.choice(alphabet) for _ in range(4))
    device = DeviceAuthorization("emu-dc-" + secrets.token_urlsafe(32), user_code,
                                 client.client_id, start_url, time.time() + DEVICE_TTL)
    with state.lock:
        state.devices[device.device_code] = device
    return Response.json({
        "deviceCode": device.device_code, "userCode": user_code,
        "verificationUri": f"{base_url}/device",
        "verificationUriComplete": f"{base_url}/device?{urlencode({'user_code': user_code})}",
        "expiresIn": DEVICE_TTL, "interval": 1,
    })


def _token_response(state: EmulatorState, client_id: str, start_url: str) -> Response:
    token, refresh = state.issue_access_token(client_id, start_url)
    return Response.json({"accessToken": token.token, "tokenType": "Bearer",
                          "expiresIn": state.knobs.token_ttl, "refreshToken": refresh})


def _pkce_matches(verifier: str, challenge: str) -> bool:
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode()
    return secrets.compare_digest(digest.rstrip("="), challenge.rstrip("="))


def _create_token(state: EmulatorState, body: dict[str, object]) -> Response:
    client = _client(state, body)
    grant = body.get("grantType")
    start_url = client.issuer_url if client.issuer_url in state.instances else (
        state.organization.start_url)
    if grant == DEVICE_GRANT:
        device = state.devices.get(str(body.get("deviceCode", "")))
        if device is None or device.client_id != client.client_id or device.redeemed:
            raise _oidc_error(400, "InvalidGrantException", "invalid_grant", "Invalid device code")
        if device.expires_at <= time.time():
            raise _oidc_error(400, "ExpiredTokenException", "expired_token", "Device code expired")
        if not device.approved:
            raise _oidc_error(400, "AuthorizationPendingException", "authorization_pending",
                              "Authorization is still pending")
        device.redeemed = True
        return _token_response(state, client.client_id, device.start_url)
    if grant == "authorization_code":
        code = state.codes.get(str(body.get("code", "")))
        if (code is None or code.used or code.client_id != client.client_id
                or code.expires_at <= time.time()):
            raise _oidc_error(400, "InvalidGrantException", "invalid_grant", "Invalid code")
        if body.get("redirectUri") != code.redirect_uri:
            raise _oidc_error(400, "InvalidGrantException", "invalid_grant",
                              "redirectUri does not match the authorization request")
        if not _pkce_matches(str(body.get("codeVerifier", "")), code.code_challenge):
            raise _oidc_error(400, "InvalidGrantException", "invalid_grant",
                              "PKCE verification failed")
        code.used = True
        return _token_response(state, client.client_id, start_url)
    if grant == "refresh_token":
        owner = state.refresh_tokens.get(str(body.get("refreshToken", "")))
        if owner is None or owner.split(" ", 1)[0] != client.client_id:
            raise _oidc_error(400, "InvalidGrantException", "invalid_grant",
                              "Invalid refresh token")
        return _token_response(state, client.client_id, owner.split(" ", 1)[1])
    raise _oidc_error(400, "UnsupportedGrantTypeException", "unsupported_grant_type",
                      f"Unsupported grant type {grant}")


def handle_api(state: EmulatorState, request: Request) -> Response:
    body = request.json()
    if request.path == "/client/register":
        state.count("sso-oidc.RegisterClient")
        return _register(state, body)
    if request.path == "/device_authorization":
        state.count("sso-oidc.StartDeviceAuthorization")
        return _start_device(state, body, request.base_url)
    state.count("sso-oidc.CreateToken")
    return _create_token(state, body)


def oidc_error_response(error: ServiceError) -> Response:
    oauth_error = getattr(error, "oauth_error", "server_error")
    response = Response.json({"error": oauth_error, "error_description": error.message},
                             error.status)
    response.headers.append(("x-amzn-ErrorType", error.code))
    return response


_PAGE = """<!doctype html><html><head><title>{title}</title></head>
<body><h1>{title}</h1><p id="status">{text}</p>{form}</body></html>"""


def _approve_device(state: EmulatorState, user_code: str) -> bool:
    with state.lock:
        for device in state.devices.values():
            if device.user_code == user_code and device.expires_at > time.time():
                device.approved = True
                return True
    return False


def verification_page(state: EmulatorState, request: Request) -> Response:
    user_code = request.query.get("user_code", "") or request.form().get("user_code", "")
    if request.method == "POST" or (state.knobs.auto_approve and user_code):
        if _approve_device(state, user_code):
            return Response.html(_PAGE.format(title="Request approved", form="",
                                              text="You can close this window."))
        return Response.html(_PAGE.format(title="Unknown code", form="",
                                          text="That code is unknown or expired."), 400)
    form = ('<form method="post" action="/device"><input name="user_code" value="'
            f'{html.escape(user_code)}"><button id="approve">Allow</button></form>')
    return Response.html(_PAGE.format(title="Authorize request", text="Confirm the code.",
                                      form=form))


def authorize_page(state: EmulatorState, request: Request) -> Response:
    params = dict(request.query)
    if request.method == "POST":
        params.update(request.form())
    client = state.clients.get(params.get("client_id", ""))
    redirect_uri = params.get("redirect_uri", "")
    if client is None or params.get("response_type") != "code":
        return Response.html(_PAGE.format(title="Invalid request", form="",
                                          text="Unknown client or response type."), 400)
    registered = {urlsplit(uri)._replace(netloc=urlsplit(uri).hostname or "").geturl()
                  for uri in client.redirect_uris}
    loopback = urlsplit(redirect_uri)
    if (loopback.hostname not in ("127.0.0.1", "localhost")
            or loopback._replace(netloc=loopback.hostname).geturl() not in registered):
        return Response.html(_PAGE.format(title="Invalid redirect", form="",
                                          text="redirect_uri is not registered."), 400)
    if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
        return Response.html(_PAGE.format(title="Invalid request", form="",
                                          text="PKCE with S256 is required."), 400)
    if request.method == "GET" and not state.knobs.auto_approve:
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in params.items())
        form = (f'<form method="post" action="/authorize">{hidden}'
                '<button id="approve">Allow</button></form>')
        return Response.html(_PAGE.format(title="Allow access", text="Allow switcher?", form=form))
    code = AuthorizationCode("emu-code-" + secrets.token_urlsafe(24), client.client_id,
                             redirect_uri, params["code_challenge"], time.time() + 600)
    with state.lock:
        state.codes[code.code] = code
    query = urlencode({"code": code.code, "state": params.get("state", "")})
    return Response.redirect(f"{redirect_uri}?{query}")
