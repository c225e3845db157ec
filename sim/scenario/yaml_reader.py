"""Reading scenario YAML safely, remembering the line of every key and item.

Files are read with YAML's safe loader only: tags such as ``!!python/object``
are refused, and a key given twice in one mapping is an error (plain
``yaml.safe_load`` would silently keep the last). Keys must be text, nesting
deeper than :data:`MAX_DEPTH` and files that expand (through YAML aliases) to
more than :data:`MAX_VALUES` values are refused, so a hostile file fails at
once instead of exhausting the stack, the memory or the user's patience.
The file itself is read by :func:`sim.files.read_bounded`: a regular file of
at most its kind's size (:class:`FileKind`), never a FIFO or a device.

Facts files (``run.py check --facts``) are read by the same rules, with their
own size cap and wording (:data:`FACTS`).

Speed: a well-formed file is composed by libyaml (PyYAML's C parser) when it
is installed, about ten times faster than the pure-Python parser, then built
by the same checks. The pure-Python parser stays the reference: a file that
the C parser does not take cleanly (non-printable characters, nesting near
the limit, any error at all) is read again by it, so every message and line
number is the one it gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sim.files import FACTS_MAX_BYTES, SCENARIO_MAX_BYTES, FileRefused, read_bounded
from sim.scenario import tree
from sim.scenario.errors import Origin, ScenarioError, show
from sim.scenario.paths import format_path
from sim.text import clip, closest

#: Deepest nesting of mappings and lists a file may have (the schema needs ~6).
MAX_DEPTH = 32
#: Most values a file may expand to; YAML aliases can repeat one a billion times.
MAX_VALUES = 100_000
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; no key needs that"


@dataclass(frozen=True)
class FileKind:
    """What a YAML file is for: its size cap and the words its errors use.

    Attributes:
        noun: the kind of file, as a message names it ("a scenario file").
        max_bytes: the largest file accepted (see :mod:`sim.files`).
        needs: what an empty file lacks, e.g. "a scenario needs name, ...".
        top: how the top-level mapping starts, e.g. "name: ...".
    """

    noun: str
    max_bytes: int
    needs: str
    top: str


#: A scenario file, or a file one ``extends``.
SCENARIO = FileKind(
    "a scenario file",
    SCENARIO_MAX_BYTES,
    "a scenario needs name, start, steps and actors",
    "name: ...",
)
#: A facts file of ``run.py check --facts``.
FACTS = FileKind(
    "a facts file", FACTS_MAX_BYTES, "a facts file needs actors and facts", "facts: ..."
)


class _TooDeep(Exception):
    """Raised by :class:`_Loader` before the composer's recursion goes too deep."""

    def __init__(self, line: int, segs: list) -> None:
        super().__init__(line, segs)
        self.line, self.segs = line, segs


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, counting nesting as it composes (see MAX_DEPTH)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.segs: list = []  # key path of the node being composed (None: a key)
        self.values = 0  # nodes built by _construct, aliases counted each time

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, refusing to nest deeper than :data:`MAX_DEPTH`."""
        seg = index.value if isinstance(index, yaml.ScalarNode) else index
        self.segs.append(seg if isinstance(seg, str | int) and parent else None)
        try:
            if len(self.segs) > MAX_DEPTH + 1:
                line = self.peek_event().start_mark.line + 1
                raise _TooDeep(line, [s for s in self.segs if s is not None])
            return super().compose_node(parent, index)
        finally:
            self.segs.pop()


#: libyaml's safe loader (None when PyYAML was built without it).
_CLoader = getattr(yaml, "CSafeLoader", None)


def _read_text(path: Path, shown: str, kind: FileKind) -> str:
    """The file's text, or the reason it cannot be read (as a ScenarioError)."""
    try:
        raw = read_bounded(path, kind.max_bytes, kind.noun)
    except FileRefused as e:
        hint = _nearby_name(path, shown)
        raise ScenarioError(f"the file {e.reason}{hint}", shown) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        msg = f"not UTF-8 text (byte 0x{raw[e.start]:02x}); save the file as UTF-8"
        raise ScenarioError(msg, shown, raw.count(b"\n", 0, e.start) + 1) from None


def _nearby_name(path: Path, shown: str) -> str:
    """``"; did you mean 'DIR/NAME'?"`` for a missing file with a near name beside it.

    Why: a misspelt file name (``scenarios/2061.yaml``) is the commonest
    reason a scenario cannot be read; the hint names the file of the same
    kind (its suffix) in the same folder that is closest to what was typed,
    written as the user wrote the folder. ``""`` when the file exists (it
    was refused for another reason) or nothing is near.
    """
    try:
        if path.exists() or not path.parent.is_dir():
            return ""
        files = {
            p.stem: p.name
            for p in path.parent.iterdir()
            if p.suffix.lower() == path.suffix.lower() and p.is_file()
        }
    except OSError:
        return ""
    near = closest(path.stem, sorted(files))  # stems: the suffix would make all near
    if near is None:
        return ""
    return f"; did you mean '{Path(shown).with_name(files[near])}'?"


def _nests_within_limit(text: str) -> bool:
    """True if no node of ``text`` sits near :data:`MAX_DEPTH` (parsed by libyaml).

    libyaml parses with a stack of its own, but its composer recurses in C:
    a file nested thousands deep must never reach it.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_CLoader):
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth >= MAX_DEPTH - 1:
                return False
    return True


def _read_fast(text: str, shown: str) -> tree.Map | None:
    """The file's top-level mapping composed by libyaml, or None to read it slowly.

    None whenever anything is unusual (no libyaml, a non-printable character,
    a tab, deep nesting, any YAML or scenario error, not a mapping): the
    pure-Python reader then reads the file and words the error. Tabs are
    where the two parsers differ (libyaml takes some that PyYAML refuses).
    """
    if _CLoader is None or "\t" in text:
        return None
    if yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    try:
        if not _nests_within_limit(text):
            return None
        loader = _CLoader(text)
        try:
            loader.values = 0  # counted by _construct, as for _Loader
            node = loader.get_single_node()
            data = node and _construct(node, loader, shown, (), frozenset())
        finally:
            loader.dispose()
    except (yaml.YAMLError, ScenarioError, RecursionError):
        return None
    return data if isinstance(data, tree.Map) else None


def _open(text: str, shown: str) -> _Loader:
    """The pure-Python loader over ``text``, or the reason it is not plain text."""
    try:
        return _Loader(text)
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        raise ScenarioError(f"not plain text: {e.reason}", shown, line) from None


def read_yaml(path: Path, shown: str, kind: FileKind = SCENARIO) -> tree.Map:
    """The top-level mapping of a YAML file, each value's line recorded.

    Args:
        path: the file to read.
        shown: the file's name as errors give it (as the user typed it).
        kind: what the file is for (:data:`SCENARIO` or :data:`FACTS`): its
            size cap and the words of its errors.

    Raises:
        ScenarioError: not a regular file, too large, unreadable, not UTF-8,
            bad YAML, a tag, a duplicate key, too deep, too many values, or
            not a mapping. No message quotes more of the file than a key or a
            clipped value.
    """
    text = _read_text(path, shown, kind)
    fast = _read_fast(text, shown)
    if fast is not None:
        return fast
    loader = _open(text, shown)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError(f"the file is empty; {kind.needs}", shown)
        data = _construct(node, loader, shown, (), frozenset())
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = f"YAML syntax error: {clip(str(e.problem))}"
        raise ScenarioError(msg, shown, mark.line + 1 if mark else None) from None
    except _TooDeep as e:
        raise ScenarioError(TOO_DEEP, shown, e.line, format_path(e.segs)) from None
    finally:
        loader.dispose()
    if not isinstance(data, tree.Map):
        # what it is, not what it says: a file that is no scenario (extends:
        # /etc/passwd) must not have its first line printed
        msg = f"the top level must be a mapping ({kind.top}), got {_kind_of(data)}"
        raise ScenarioError(msg, shown, node.start_mark.line + 1)
    return data


def _kind_of(value: Any) -> str:
    """What sort of value ``value`` is ("text", "a list"), without its content."""
    if value is None or isinstance(value, bool):
        return show(value)
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


def read_value(raw: str) -> Any:
    """A ``--set`` (or ``--grid``) VALUE as plain data, read as strictly as a file.

    Raises:
        yaml.YAMLError: the text is not YAML.
        ScenarioError: nested too deeply, too many values (an alias bomb), a
            tag, or a duplicate key; without a file, path or override named.
    """
    loader = _Loader(raw)
    try:
        node = loader.get_single_node()
        value = node and _construct(node, loader, "", (), frozenset())
    except _TooDeep:
        raise ScenarioError(TOO_DEEP) from None
    finally:
        loader.dispose()
    return tree.plain(value)


def _tag_problem(tag: str) -> str:
    return (
        f"the tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed: "
        "files are read with YAML's safe loader, which builds only plain data "
        "(mappings, lists, text, numbers, dates)"
    )


def _scalar(node: Any, loader: Any, file: str, path: tuple) -> Any:
    line = node.start_mark.line + 1
    if node.tag not in loader.yaml_constructors:
        raise ScenarioError(_tag_problem(node.tag), file, line, format_path(path))
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as e:  # e.g. the date 2016-13-45
        raise ScenarioError(
            f"cannot read {clip(node.value)!r}: {clip(str(e))}",
            file,
            line,
            format_path(path),
        ) from None


def _construct(node: Any, loader: Any, file: str, path: tuple, seen: frozenset) -> Any:
    """Build data from a YAML node, recording lines and refusing duplicate keys."""
    line = node.start_mark.line + 1
    loader.values += 1
    if loader.values > MAX_VALUES:
        msg = f"the file expands to more than {MAX_VALUES:,} values; are YAML "
        msg += "aliases (*name) repeating a large value?"
        raise ScenarioError(msg, file, line, format_path(path))
    if len(path) > MAX_DEPTH:  # reached through aliases: the composer saw less
        raise ScenarioError(TOO_DEEP, file, line, format_path(path))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, loader, file, path)
    if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise ScenarioError(_tag_problem(node.tag), file, line, format_path(path))
    if id(node) in seen:
        msg = "a YAML alias refers to itself"
        raise ScenarioError(msg, file, line, format_path(path))
    seen = seen | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        seq = tree.new(tree.Seq, Origin(file, line))
        for i, item in enumerate(node.value):
            seq.lines[i] = Origin(file, item.start_mark.line + 1)
            seq.append(_construct(item, loader, file, (*path, i), seen))
        return seq
    _check_keys(node, loader, file, path)
    loader.flatten_mapping(node)  # resolve "<<: *anchor" merge keys
    out = tree.new(tree.Map, Origin(file, line))
    for k, v in node.value:
        key = _scalar(k, loader, file, path)
        out.lines[key] = Origin(file, k.start_mark.line + 1)
        out[key] = _construct(v, loader, file, (*path, key), seen)
    return out


def _check_keys(node: Any, loader: Any, file: str, path: tuple) -> None:
    """Keys of a mapping must be plain text, each given once."""
    first: dict[Any, int] = {}
    for k, _ in node.value:
        kline = k.start_mark.line + 1
        if not isinstance(k, yaml.ScalarNode):
            msg = "a key must be a plain name"
            raise ScenarioError(msg, file, kline, format_path(path))
        if k.tag == "tag:yaml.org,2002:merge":
            continue
        key = _scalar(k, loader, file, path)
        if not isinstance(key, str):  # 1:, 2016-01-01:, true: and ~: are not names
            msg = f"the key {show(key)} must be text; put it in quotes"
            raise ScenarioError(msg, file, kline, format_path((*path, show(key))))
        if key in first:
            msg = f"duplicate key '{clip(key)}' (first on line {first[key]}); "
            msg += "YAML would silently keep only the last one"
            raise ScenarioError(msg, file, kline, format_path((*path, key)))
        first[key] = kline
