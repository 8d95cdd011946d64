"""RFC 6238 one-time codes, so the emulator can check MFA the way AWS does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp(seed_base32: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(seed_base32.upper() + "=" * (-len(seed_base32) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).rjust(digits, "0")


def verify_totp(seed_base32: str, code: str, window: int = 1) -> bool:
    now = time.time()
    return any(hmac.compare_digest(totp(seed_base32, now + drift * 30), code)
               for drift in range(-window, window + 1))
