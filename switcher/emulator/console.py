"""The console federation endpoint (getSigninToken, login, logout) and a console landing page
that shows which account, role and region the browser is signed into."""

from __future__ import annotations

import html
import json
import secrets
import time
from urllib.parse import urlencode, urlsplit

from switcher.emulator.http import Request, Response
from switcher.emulator.organization import sso_role_name
from switcher.emulator.state import ConsoleSession, EmulatorState, SigninToken

COOKIE = "emulator-console-session"
SIGNIN_TOKEN_TTL = 15 * 60


def _bad(message: str, status: int = 400) -> Response:
    return Response.json({"message": message}, status)


def _get_signin_token(state: EmulatorState, request: Request) -> Response:
    state.count("federation.getSigninToken")
    try:
        session = json.loads(request.query.get("Session", ""))
        access_key_id = session["sessionId"]
        secret = session["sessionKey"]
        token = session["sessionToken"]
    except (ValueError, KeyError, TypeError):
        return _bad("Invalid credentials parameter")
    issued = state.credentials.get(access_key_id)
    if (issued is None or not issued.temporary or issued.secret_access_key != secret
            or issued.session_token != token):
        return _bad("Invalid credentials parameter")
    assert issued.expires_at is not None
    if issued.expires_at <= time.time():
        return _bad("The credentials have expired", 403)
    duration: int | None = None
    if "SessionDuration" in request.query:
        if issued.chained or issued.kind in ("federation", "session-token"):
            return _bad("Invalid credentials parameter: SessionDuration is not allowed with "
                        "these credentials")
        try:
            duration = int(request.query["SessionDuration"])
        except ValueError:
            return _bad("SessionDuration must be a number")
        if not 900 <= duration <= 43200:
            return _bad("SessionDuration must be between 900 and 43200")
    signin = SigninToken("emu-st-" + secrets.token_urlsafe(64), issued, duration,
                         time.time() + SIGNIN_TOKEN_TTL)
    with state.lock:
        state.signin_tokens[signin.token] = signin
    return Response.json({"SigninToken": signin.token})


def _login(state: EmulatorState, request: Request) -> Response:
    state.count("federation.login")
    signin = state.signin_tokens.get(request.query.get("SigninToken", ""))
    if signin is None or signin.used or signin.expires_at <= time.time():
        return Response.html("<h1>Sign-in token invalid or expired</h1>", 400)
    destination = request.query.get("Destination", "")
    if urlsplit(destination).scheme not in ("http", "https"):
        return Response.html("<h1>Invalid destination</h1>", 400)
    signin.used = True
    issued = signin.credentials
    assert issued.expires_at is not None
    lifetime = signin.session_duration or max(0, int(issued.expires_at - time.time()))
    session = _new_session(state, issued.account_id, issued.arn,
                           request.query.get("Issuer", ""), lifetime)
    return Response.redirect(destination, [_cookie(session)])


def federation(state: EmulatorState, request: Request) -> Response:
    action = request.query.get("Action", "")
    if action == "getSigninToken":
        return _get_signin_token(state, request)
    if action == "login":
        return _login(state, request)
    return _bad(f"Unknown Action {action!r}")


def logout(state: EmulatorState, request: Request) -> Response:
    session_id = request.cookie(COOKIE)
    with state.lock:
        state.console_sessions.pop(session_id or "", None)
    target = request.query.get("redirect_uri", "")
    expire = [("Set-Cookie", f"{COOKIE}=; Path=/; Max-Age=0")]
    if urlsplit(target).scheme in ("http", "https"):
        return Response.redirect(target, expire)
    return Response(200, b"<h1>Signed out</h1>", "text/html", expire)


def _role_of(arn: str) -> tuple[str, str]:
    resource = arn.split(":", 5)[-1]
    parts = resource.split("/")
    if parts[0] == "assumed-role" and len(parts) >= 3:
        return parts[1], parts[2]
    return parts[0], parts[-1]


def landing_page(state: EmulatorState, request: Request) -> Response:
    if request.path in ("/favicon.ico", "/robots.txt"):
        return Response.html("<h1>Not found</h1>", 404)
    session = state.console_sessions.get(request.cookie(COOKIE) or "")
    if session is None or session.expires_at <= time.time():
        return Response.html('<html><body><h1 id="signed-out">Not signed in</h1></body></html>',
                             401)
    account = state.find_account(session.account_id)
    role, session_name = _role_of(session.arn)
    region = request.query.get("region", "us-east-1")
    service = request.path.strip("/").split("/")[0] if request.path.strip("/") else "console"
    visit = {"account_id": session.account_id, "account_name": account.name if account else "",
             "role": role, "session_name": session_name, "region": region,
             "service": service, "path": request.path, "issuer": session.issuer,
             "display_name": session.display_name, "color": session.color, "via": session.via}
    with state.lock:
        state.console_visits.append(visit)
    rows = "".join(f'<tr><th>{html.escape(k)}</th><td id="{html.escape(k)}">{html.escape(v)}'
                   "</td></tr>" for k, v in visit.items())
    title = html.escape(visit["account_name"])
    return Response.html(f"<!doctype html><html><head><title>Console: {title}</title></head>"
                         f"<body><h1>AWS Management Console (emulator)</h1>"
                         f'<table id="session">{rows}</table></body></html>')


def _new_session(state: EmulatorState, account_id: str, arn: str, issuer: str, lifetime: float,
                 **extra: str) -> ConsoleSession:
    session = ConsoleSession(secrets.token_urlsafe(24), account_id, arn, issuer,
                             time.time() + lifetime, **extra)
    with state.lock:
        state.console_sessions[session.session_id] = session
    return session


def _cookie(session: ConsoleSession) -> tuple[str, str]:
    lifetime = max(0, int(session.expires_at - time.time()))
    return ("Set-Cookie", f"{COOKIE}={session.session_id}; Path=/; Max-Age={lifetime}; "
                          "HttpOnly; SameSite=Lax")


def switch_role(state: EmulatorState, request: Request) -> Response:
    """The console's Switch Role: needs a console session; switches it to the role, keeping
    the display name and colour (as a chained session, at most one hour)."""
    state.count("console.switchrole")
    current = state.console_sessions.get(request.cookie(COOKIE) or "")
    if current is None or current.expires_at <= time.time():
        return Response.html('<h1 id="signed-out">Sign in to the console before switching '
                             "roles</h1>", 401)
    params = dict(request.query)
    if request.method == "POST":
        params.update(request.form())
    account_id, role_name = params.get("account", ""), params.get("roleName", "")
    account = state.find_account(account_id)
    if account is None or account.role(role_name) is None:
        return Response.html("<h1>Invalid information in one or more fields</h1>", 400)
    if request.method == "GET" and not state.knobs.auto_approve:
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in params.items())
        return Response.html(f'<form method="post" action="/switchrole">{hidden}'
                             '<button id="switch">Switch Role</button></form>')
    _, session_name = _role_of(current.arn)
    session = _new_session(state, account_id,
                           f"arn:aws:sts::{account_id}:assumed-role/{role_name}/{session_name}",
                           current.issuer, min(3600.0, current.expires_at - time.time()),
                           display_name=params.get("displayName", ""),
                           color=params.get("color", ""), via="switchrole")
    target = params.get("redirect_uri", "")
    if urlsplit(target).scheme not in ("http", "https"):
        target = f"{request.base_url}/console/home"
    return Response.redirect(target, [_cookie(session)])


PORTAL_PAGE = """<!doctype html><html><head><title>AWS access portal (emulator)</title></head>
<body><h1>AWS access portal (emulator)</h1><p id="status">Signed in as {user}.</p>
<script>
const match = location.hash.match(/^#\\/console\\?(.*)$/);
if (match) {{
  document.getElementById("status").textContent = "Opening the console…";
  fetch("/start/federate?" + match[1], {{method: "POST"}})
    .then(answer => answer.json())
    .then(body => body.url ? location.replace(body.url)
                           : (document.getElementById("status").textContent = body.message));
}}
</script></body></html>"""


def portal_page(state: EmulatorState, request: Request) -> Response:
    return Response.html(PORTAL_PAGE.format(user=html.escape(state.user_name)))


def portal_federate(state: EmulatorState, request: Request) -> Response:
    """What the access portal does for a shortcut link: role credentials for the signed-in
    user's assignment, then a console sign-in."""
    state.count("portal.federate")
    organization = state.instances.get(f"{request.base_url}/start", state.organization)
    account = organization.accounts.get(request.query.get("account_id", ""))
    role_name = request.query.get("role_name", "")
    if account is None or role_name not in account.permission_sets:
        return Response.json({"message": "You do not have access to this account and role"},
                             403)
    destination = request.query.get("destination") or f"{request.base_url}/console/home"
    if urlsplit(destination).scheme not in ("http", "https"):
        return Response.json({"message": "Invalid destination"}, 400)
    iam_role = sso_role_name(account.account_id, role_name)
    issued = state.issue_credentials(
        account.account_id,
        f"arn:aws:sts::{account.account_id}:assumed-role/{iam_role}/{state.user_name}",
        f"AROAEMULATOR{account.account_id}:{state.user_name}", "sso", state.knobs.credential_ttl)
    signin = SigninToken("emu-st-" + secrets.token_urlsafe(64), issued, None,
                         time.time() + SIGNIN_TOKEN_TTL)
    with state.lock:
        state.signin_tokens[signin.token] = signin
    query = urlencode({"Action": "login", "Issuer": f"{request.base_url}/start",
                       "Destination": destination, "SigninToken": signin.token})
    return Response.json({"url": f"{request.base_url}/federation?{query}"})


def describe_landing(page: str) -> str | None:
    """Where a console page of this emulator says the browser landed: `account NAME (ID),
    role ROLE, region REGION`; None for any other page (signed out, an error)."""
    import re

    cells = {key: html.unescape(value) for key, value in
             re.findall(r'<td id="([a-z_]+)">([^<]*)</td>', page)}
    if not {"account_id", "role", "region"} <= set(cells):
        return None
    name = cells.get("account_name", "")
    account = f"{name} ({cells['account_id']})" if name else cells["account_id"]
    return f"account {account}, role {cells['role']}, region {cells['region']}"
