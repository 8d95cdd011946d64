"""The small request/response types the emulator's services are written against."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    base_url: str

    def json(self) -> dict[str, object]:
        if not self.body:
            return {}
        loaded = json.loads(self.body)
        if not isinstance(loaded, dict):
            raise ValueError("JSON body must be an object")
        return loaded

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))

    def cookie(self, name: str) -> str | None:
        jar: SimpleCookie = SimpleCookie()
        jar.load(self.headers.get("cookie", ""))
        morsel = jar.get(name)
        return morsel.value if morsel else None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, payload: object, status: int = 200,
             content_type: str = "application/json") -> Response:
        return cls(status, json.dumps(payload).encode(), content_type)

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode(), "text/html; charset=utf-8")

    @classmethod
    def redirect(cls, location: str, headers: list[tuple[str, str]] | None = None) -> Response:
        return cls(302, b"", "text/plain", [("Location", location), *(headers or [])])


class ServiceError(Exception):
    """An AWS error: each protocol module renders it in its own wire format."""

    def __init__(self, status: int, code: str, message: str, sender: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.sender = sender


def rest_json_error(error: ServiceError) -> Response:
    response = Response.json({"message": error.message, "__type": error.code}, error.status)
    response.headers.append(("x-amzn-ErrorType", error.code))
    return response
