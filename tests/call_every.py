"""Run as a script with (folder, package) pairs: calls every method of each
generated SDK once, with a value of each required argument's type, against a
loopback server; prints one line per call that did not reach the server as
the README says (method and path)."""

from __future__ import annotations

import collections.abc
import datetime as dt
import enum
import importlib
import inspect
import json
import pathlib
import re
import sys
import threading
import types
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pydantic

SKIP = object()
seen: list[tuple[str, str]] = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        seen.append((self.command, self.path.split("?")[0]))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve
    do_TRACE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


def value_of(tp: Any, depth: int = 0) -> Any:
    """A value of type ``tp`` (its first option that can be made)."""
    if depth > 8:
        return SKIP
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        made = value_of(args[0], depth + 1)
        return made if _fits(tp, made) else _candidate(tp)
    if origin in (typing.Union, types.UnionType):
        for option in args:
            if option is type(None) or getattr(option, "__name__", "") == "NotGiven":
                continue
            made = value_of(option, depth + 1)
            if made is not SKIP:
                return made
        return SKIP
    if origin is typing.Literal:
        return args[0]
    if origin in (list, collections.abc.Sequence, set, frozenset, tuple):
        item = value_of(args[0], depth + 1) if args else "1"
        return [] if item is SKIP else [item]
    if origin in (dict, collections.abc.Mapping):
        return {}
    if tp is typing.Any or tp is object:
        return "1"
    if isinstance(tp, type):
        return _plain(tp, depth)
    return SKIP


_TEXTS = ("https://h.example/a1b2c3", "a1b2c3", "2030-01-02", "123456", "AB", "a", "1")


def _fits(tp: Any, value: Any) -> bool:
    try:
        pydantic.TypeAdapter(tp).validate_python(value)
    except (pydantic.ValidationError, TypeError):
        return False
    return True


def _candidate(tp: Any) -> Any:
    """A text the constraints of ``tp`` (lengths, patterns) accept."""
    return next((t for t in _TEXTS if _fits(tp, t)), SKIP)


def _plain(tp: type, depth: int) -> Any:
    if issubclass(tp, enum.Enum):
        return next(iter(tp), SKIP)  # an enum of only null has no member
    for kind, value in (
        (bool, True),
        (int, 1),
        (float, 1.5),
        (str, "https://h.example/a1b2c3"),  # a URL, and long enough for most
        (bytes, b"1"),
        (dt.datetime, dt.datetime(2030, 1, 2, tzinfo=dt.UTC)),
        (dt.date, dt.date(2030, 1, 2)),
    ):
        if issubclass(tp, kind):
            return value
    if typing.is_typeddict(tp):
        hints = typing.get_type_hints(tp, include_extras=True)
        made = {
            k: value_of(hints[k], depth + 1)
            for k in tp.__required_keys__  # type: ignore[attr-defined]
        }
        return SKIP if SKIP in made.values() else made
    if issubclass(tp, pydantic.BaseModel):
        data = {
            (f.alias or n): value_of(
                (
                    typing.Annotated[(f.annotation, *f.metadata)]
                    if f.metadata
                    else f.annotation
                ),
                depth + 1,
            )
            for n, f in tp.model_fields.items()
            if f.is_required()
        }
        try:
            return tp.model_validate(data)
        except pydantic.ValidationError:
            return SKIP
    return SKIP


def arguments(fn: Any) -> tuple[list[Any], dict[str, Any]] | None:
    hints = typing.get_type_hints(fn, include_extras=True)
    positional: list[Any] = []
    keyword: dict[str, Any] = {}
    for p in inspect.signature(fn).parameters.values():
        if p.default is not inspect.Parameter.empty or p.name == "self":
            continue
        made = value_of(hints[p.name])
        if made is SKIP:
            return None
        if p.kind is inspect.Parameter.KEYWORD_ONLY:
            keyword[p.name] = made
        else:
            positional.append(made)
    return positional, keyword


def _call(fn: Any, positional: list[Any], keyword: dict[str, Any]) -> str:
    """Call ``fn``; a text argument its model's constraints refuse is given
    the next candidate text. The error, or "" once the call went through."""
    tries = {k: iter(_TEXTS[1:]) for k, v in keyword.items() if isinstance(v, str)}
    while True:
        try:
            fn(*positional, **keyword)
            return ""
        except Exception as exc:  # reported, and the test fails
            name = getattr(exc, "argument", None)
            if name in tries and (text := next(tries[name], None)) is not None:
                keyword[name] = text
                continue
            return f"{type(exc).__name__}: {str(exc)[:200]}"


def main(pairs: list[str]) -> int:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    problems = 0
    for folder, name in zip(pairs[::2], pairs[1::2], strict=True):
        readme = (pathlib.Path(folder) / "README.md").read_text()
        pkg = importlib.import_module(name)
        clients = importlib.import_module(name + "._client").__all__
        cls = getattr(pkg, next(n for n in clients if not n.startswith("Async")))
        credentials = {
            p.name: ("u", "p") if "tuple" in str(p.annotation) else "k"
            for p in inspect.signature(cls.__init__).parameters.values()
            if p.kind is p.KEYWORD_ONLY
            and p.default is None
            # A credential: a string or a (user, password) pair, not an option.
            and str(p.annotation) in ("str | None", "tuple[str, str] | None")
            and p.name not in ("base_url", "http_client", "default_headers", "timeout")
        }
        client = cls(**credentials, base_url=url, max_retries=0)
        calls = re.findall(
            r"^\| `client\.([\w.]+)\(.*?\)` \| `(\w+) (\S+)`", readme, re.M
        )
        for chain, method, path in calls:
            *resources, method_name = chain.split(".")
            target = client
            for r in resources:
                target = getattr(target, r)
            fn = getattr(target, method_name)
            made = arguments(fn)
            where = f"{name}: client.{chain}"
            if made is None:
                print(f"{where}: no value for an argument")
                problems += 1
                continue
            before = len(seen)
            failed = _call(getattr(target.with_raw_response, method_name), *made)
            if failed:
                print(f"{where}: {failed}")
                problems += 1
                continue
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
            got = seen[before:]
            if (
                not got
                or got[-1][0] != method
                or not re.search(pattern + "$", got[-1][1])
            ):
                print(f"{where}: sent {got[-1:]} for {method} {path}")
                problems += 1
        print(json.dumps({"package": name, "calls": len(calls)}))
    server.shutdown()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
