"""`switcher emulator`: the local AWS stand-in, until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import sys

from switcher.cli.output import out
from switcher.errors import SwitcherError


def emulator(args: argparse.Namespace) -> int:
    from switcher.emulator.organization import generated_organization, seeded_organization
    from switcher.emulator.profiles import ProfileDirError, export_lines, write_profile_dir
    from switcher.emulator.server import Emulator
    from switcher.emulator.state import Knobs

    organization = generated_organization(args.accounts) if args.accounts else (
        seeded_organization())
    knobs = Knobs(latency_ms=args.latency_ms, throttle=not args.no_throttle,
                  error_rate=args.error_rate, token_ttl=args.token_ttl,
                  credential_ttl=args.credential_ttl, auto_approve=not args.manual_approval)
    try:
        server = Emulator(organization, knobs, port=args.port)
    except OSError as error:
        raise SwitcherError(f"Cannot listen on 127.0.0.1:{args.port}: {error.strerror}") from None
    out(f"emulator listening on {server.url} ({len(organization.accounts)} accounts)",
        sys.stderr)
    if args.write_profile_dir:
        try:
            environment = write_profile_dir(args.write_profile_dir.resolve(), server)
        except ProfileDirError as error:
            raise SwitcherError(str(error)) from None
        out(export_lines(environment).rstrip(), raw=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0
