"""`switcher list` as the full command line last printed it from the cache, kept with what it
was made from, so that the next `switcher list` can print it again without the parser, the
workspace, the sources or a merge (the front door in switcher/hotpath.py).

What the full command line prints from the cache is a function of the files it reads (AWS
config and credentials, config.toml, its local AESR files, the account colours, the remote
discovery's cache and the merged list), of the environment variables that choose those files
or the region column, and of the code that prints. The answer is kept beside a key made of
all of them (each file by inode, size and modification and change times, never read), and
served only while the key made now is equal: any change, however small, sends `list` down
the full path, which prints (and keeps) the new answer. The warnings it printed on stderr
are part of the answer, and so are the encodings of stdout and stderr: the bytes kept are
the bytes written.

One file, 0600, written atomically; a file that is not ours is ignored. Hot path: imports
nothing but os and stat (no json, re or pathlib: each costs milliseconds here)."""

from __future__ import annotations

import os
import stat

from switcher import __version__

TYPE_CHECKING = False  # typing itself costs milliseconds on the hot path
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

FORMAT = b"switcher list answer 1\n"
NAME = "list-answer"
ANSWER_LIMIT = 256 * 1024 * 1024
FORMS = ("table", "json")
"""`switcher list` and `switcher list --json`."""

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PRINTING = ("cli/output.py", "cli/commands/targets.py", "text.py", "store/list_answer.py",
             "store/inventory.py", "services/inventory.py", "environments.py")
"""The code that makes and prints the list from the cache: an upgrade in place changes the
answer (the version alone does not change between commits of a checkout)."""
_SECRET = frozenset({"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                     "AWS_CONTAINER_AUTHORIZATION_TOKEN"})


# --- where the files are, as switcher.paths has them (a test holds the two equal) ----------

def _home(environ: Mapping[str, str]) -> str:
    return environ.get("HOME") or os.path.expanduser("~")


def _folder(environ: Mapping[str, str], own: str, xdg: str, default: str) -> str:
    if environ.get(own):
        return _plain(environ[own])
    return os.path.join(_plain(environ.get(xdg) or os.path.join(_home(environ), default)),
                        "switcher")


def _plain(path: str) -> str:
    """Without the trailing slash pathlib drops (`config/` names the file `config` there)."""
    stripped = path.rstrip("/")
    return stripped or path


def _expanded(path: str, environ: Mapping[str, str]) -> str:
    if "$" in path:  # rare: re and pathlib only then
        from switcher import paths

        return str(paths.expand(path, environ))
    if path == "~" or path.startswith("~/"):
        return _plain(os.path.join(_home(environ), path[2:]))
    return _plain(os.path.expanduser(path))


def cache_dir(environ: Mapping[str, str]) -> str:
    return _folder(environ, "SWITCHER_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def files_read(environ: Mapping[str, str], aesr_files: Sequence[str]) -> list[str]:
    """Every file a list from the cache reads, but the merged list: ~/.aws/config and
    credentials, config.toml and the local AESR files it names (as written there), the
    account colours and the remote discovery's cache; then the code that prints."""
    aws = os.path.join(_home(environ), ".aws")
    state = _folder(environ, "SWITCHER_STATE_DIR", "XDG_STATE_HOME", ".local/state")
    return [_expanded(environ.get("AWS_CONFIG_FILE") or os.path.join(aws, "config"), environ),
            _expanded(environ.get("AWS_SHARED_CREDENTIALS_FILE")
                      or os.path.join(aws, "credentials"), environ),
            os.path.join(_folder(environ, "SWITCHER_CONFIG_DIR", "XDG_CONFIG_HOME", ".config"),
                         "config.toml"),
            os.path.join(state, "account-colors.json"),
            os.path.join(cache_dir(environ), "inventory.json"),
            *(_plain(os.path.expanduser(location)) for location in aesr_files),
            *_team_files(state),
            *(os.path.join(_PACKAGE, module) for module in _PRINTING)]


def _team_files(state: str) -> list[str]:
    """The team registry, its folder (a copy added or removed) and every copy in it (one
    edited in place is refused with a warning)."""
    folder = os.path.join(state, "teams")
    try:
        copies = sorted(os.listdir(folder))
    except OSError:
        copies = []
    return [os.path.join(state, "teams.json"), folder,
            *(os.path.join(folder, name) for name in copies)]


# --- the key ----------------------------------------------------------------------------------

def _looked_at(path: str) -> tuple[object, ...]:
    """A file's version without reading it: inode, size, modification and change times in
    nanoseconds (ctime cannot be set back by anyone); only its path when it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return (path,)
    return (path, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _environment(environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """Every variable that can choose a file or change a line: the AWS and switcher ones
    (AWS_CONFIG_FILE, AWS_REGION, ...), the homes (a variable named inside AWS_CONFIG_FILE
    counts through the file it chose). Secrets count only by their presence: this file is
    no place for a copy of them."""
    return sorted((name, "(set)" if name in _SECRET else value)
                  for name, value in environ.items()
                  if name == "HOME" or name.startswith(("AWS_", "SWITCHER_", "XDG_")))


class Key:
    """What the list is made from, as it is now."""

    def __init__(self, environ: Mapping[str, str], aesr_files: Sequence[str],
                 view: bool = False) -> None:
        self.heading = (__version__, _PACKAGE, _environment(environ))
        self.files = [_looked_at(path) for path in files_read(environ, aesr_files)]
        if view:  # the merged list's file, looked at once the full run has read or remade it
            self.files.append(_looked_at(os.path.join(cache_dir(environ),
                                                      "inventory-merged.json")))

    def text(self) -> bytes:
        return repr((self.heading, self.files)).encode("utf-8", "surrogateescape")

    def within(self, later: Key) -> bool:
        """Whether everything in this key (perhaps of fewer files) is the same in `later`."""
        files = {entry[0]: entry for entry in later.files}
        return self.heading == later.heading and all(
            files.get(entry[0]) == entry for entry in self.files)


# --- the file ---------------------------------------------------------------------------------

def _path(environ: Mapping[str, str]) -> str:
    return os.path.join(cache_dir(environ), NAME)


def _encodings(stdout: object, stderr: object) -> bytes:
    return "{} {} {} {}".format(*(getattr(stream, name, "") for stream in (stdout, stderr)
                                  for name in ("encoding", "errors"))).encode()


def _fields(data: bytes) -> dict[str, bytes]:
    """`name length` lines, each followed by that many bytes and a newline."""
    if not data.startswith(FORMAT):
        raise ValueError("not an answer")
    fields: dict[str, bytes] = {}
    at = len(FORMAT)
    while at < len(data):
        end = data.index(b"\n", at)
        name, length = data[at:end].decode().split(" ")
        start = end + 1
        stop = start + int(length)
        if data[stop:stop + 1] != b"\n":
            raise ValueError("a field is cut short")
        fields[name] = data[start:stop]
        at = stop + 1
    return fields


def _joined(fields: dict[str, bytes]) -> bytes:
    return FORMAT + b"".join(b"%s %d\n%s\n" % (name.encode(), len(value), value)
                             for name, value in fields.items())


def load(environ: Mapping[str, str]) -> dict[str, bytes] | None:
    """The kept answer's fields, or None when there is none or it is not ours to trust."""
    try:
        descriptor = os.open(_path(environ), os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
                or info.st_mode & 0o077 or info.st_size > ANSWER_LIMIT):
            return None
        chunks = []
        while chunk := os.read(descriptor, max(info.st_size + 1, 65536)):
            chunks.append(chunk)
        return _fields(b"".join(chunks))
    except (OSError, ValueError):
        return None
    finally:
        os.close(descriptor)


def _aesr(fields: dict[str, bytes]) -> list[str]:
    text = fields["aesr"].decode("utf-8", "surrogateescape")
    return text.split("\0") if text else []


def answer(environ: Mapping[str, str], form: str, stdout: object, stderr: object,
           ) -> tuple[bytes, bytes] | None:
    """(stderr, stdout) of `switcher list` in `form`, as the full command line would write
    them now to streams like `stdout` and `stderr`; None when that is not known."""
    fields = load(environ)
    if fields is None or form not in fields or "aesr" not in fields:
        return None
    if fields.get("encodings") != _encodings(stdout, stderr):
        return None
    if fields.get("key") != Key(environ, _aesr(fields), view=True).text():
        return None
    return fields.get("stderr", b""), fields[form]


class Recorder:
    """Keeps what one full run of `switcher list` printed, with the key of what it read. The
    files are looked at before they are read and again after the list is printed: an answer
    is kept only when nothing changed meanwhile, so it is never paired with a newer file
    than the one it was made from."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.aesr: list[str] = []
        self.before = Key(environ, ())
        """Taken before config.toml (which names the AESR files) is read."""
        self.middle: Key | None = None

    def read_aesr_files(self, locations: Sequence[str]) -> None:
        """config.toml's local AESR sources, as read: they are looked at before the list
        reads them."""
        self.aesr = list(locations)
        self.middle = Key(self.environ, self.aesr)

    def save(self, form: str, warnings: str, printed: str, stdout: object,
             stderr: object) -> None:
        """Keep what the run wrote in `form` to `stdout` and `stderr` (the other form too,
        when it was kept with the same key). A cache we cannot write only makes the next
        `list` slower."""
        if form not in FORMS:
            raise ValueError(f"unknown form {form!r}")
        if self.middle is None:  # config.toml could not be read: nothing to keep
            return
        after = Key(self.environ, self.aesr, view=True)
        if not (self.before.within(after) and self.middle.within(after)):
            return
        try:
            fields = {"key": after.text(), "encodings": _encodings(stdout, stderr),
                      "aesr": "\0".join(self.aesr).encode("utf-8", "surrogateescape"),
                      "stderr": warnings.encode(getattr(stderr, "encoding", None) or "utf-8",
                                                getattr(stderr, "errors", None) or "strict"),
                      form: printed.encode(getattr(stdout, "encoding", None) or "utf-8",
                                           getattr(stdout, "errors", None) or "strict")}
        except (UnicodeError, LookupError):
            return
        kept = load(self.environ)
        if kept is not None and all(kept.get(name) == fields[name]
                                    for name in ("key", "encodings", "aesr", "stderr")):
            fields.update({other: kept[other] for other in FORMS
                           if other != form and other in kept})
        import contextlib
        from pathlib import Path

        from switcher.store.atomic import write_private

        with contextlib.suppress(OSError):
            write_private(Path(_path(self.environ)), _joined(fields))
