"""A YAML document from one pass over the parser's events, bounded as it goes.

The pass checks nesting and alias expansion before anything deeper is built
(the event stream is flat, so the check cannot recurse or expand), and builds
the plain document a spec is (mappings, sequences, scalars) on the way, which
saves composing and constructing it a second time. Scalars are tagged by the
safe loader's resolver and built by its constructors, so the result is what
``yaml.load(text, SafeLoader)`` makes. Anything outside that plain subset (an
explicit tag, a merge key, a non-scalar key, a duplicate anchor, a second
document, a value a constructor refuses) only stops the building: the check
still runs to the end, and the caller loads the text the usual way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from ..errors import SpecError

_STR = "tag:yaml.org,2002:str"
# Implicit scalar tags whose safe constructors read the node's value alone.
_SCALARS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "timestamp")
)
UNSURE: Any = object()  # "load it the usual way"


def build_checked(
    events: Any, source: str, max_depth: int, max_alias_nodes: int
) -> Any:
    """The document of ``events`` (from ``yaml.parse``), or ``UNSURE``.

    Raises ``SpecError`` when nesting passes ``max_depth`` or aliases would add
    more than ``max_alias_nodes`` nodes, wherever in the stream that happens.
    """
    builder = _Builder(source, max_depth, max_alias_nodes)
    handlers = builder.handlers()
    scalar = builder.scalar  # most events: no lookup
    for event in events:
        kind = type(event)
        if kind is ScalarEvent:
            scalar(event)
        elif kind in handlers:  # stream and document ends change nothing
            handlers[kind](event)
    return builder.root if builder.building else UNSURE


class _Builder:
    """The state of one pass: the check's counts and the document so far.
    ``building`` turns False, for good, at the first thing outside the plain
    subset; the check goes on."""

    def __init__(self, source: str, max_depth: int, max_alias_nodes: int) -> None:
        self.source = source
        self.max_depth = max_depth
        self.max_alias_nodes = max_alias_nodes
        self.resolve: Any = Resolver().resolve  # untyped in the stubs
        self.constructor = SafeConstructor()
        self.sizes: dict[str, int] = {}  # anchor -> nodes it stands for
        self.objects: dict[str, Any] = {}  # anchor -> what it built
        # Per open collection: [anchor, nodes so far, container, pending key].
        self.frames: list[list[Any]] = []
        self.added = 0
        self.building = True
        self.documents = 0
        self.root: Any = UNSURE

    def handlers(self) -> dict[type, Callable[[Any], None]]:
        """What each kind of event does."""
        return {
            ScalarEvent: self.scalar,
            AliasEvent: self.alias,
            MappingStartEvent: self.mapping_start,
            SequenceStartEvent: self.sequence_start,
            MappingEndEvent: self.collection_end,
            SequenceEndEvent: self.collection_end,
            DocumentStartEvent: self.document_start,
        }

    def scalar(self, event: ScalarEvent) -> None:
        value = self._scalar_value(event) if self.building else None
        if event.anchor:
            self._remember(event.anchor, 1, value)
        self._place(1, value)

    def _scalar_value(self, event: ScalarEvent) -> Any:
        """What the safe loader makes of a scalar (None, and no longer
        building, when it is outside the plain subset)."""
        if event.tag is not None:
            self.building = False  # an explicit tag
            return None
        tag = self.resolve(ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        if tag not in _SCALARS:
            self.building = False  # merge keys, '=' and the like
            return None
        construct = SafeConstructor.yaml_constructors[tag]
        try:
            return construct(self.constructor, ScalarNode(tag, event.value))
        except Exception:  # the usual load reports it
            self.building = False
            return None

    def alias(self, event: AliasEvent) -> None:
        anchor = event.anchor or ""
        found = self.sizes.get(anchor)
        if found is None:
            raise SpecError(
                f"YAML alias *{event.anchor} names no finished node"
                " (recursive or undefined)",
                self.source,
            )
        self.added += found
        if self.added > self.max_alias_nodes:
            raise SpecError(
                f"YAML aliases expand to more than {self.max_alias_nodes} extra nodes",
                self.source,
            )
        self._place(found, self.objects[anchor])

    def mapping_start(self, event: MappingStartEvent) -> None:
        self._open(event, {})

    def sequence_start(self, event: SequenceStartEvent) -> None:
        self._open(event, [])

    def _open(self, event: MappingStartEvent | SequenceStartEvent, box: Any) -> None:
        if event.tag is not None:
            self.building = False
        self.frames.append([event.anchor, 1, box, UNSURE])
        if len(self.frames) > self.max_depth:
            mark = event.start_mark
            at = f" (line {mark.line + 1})" if mark else ""
            raise SpecError(
                f"nested more than {self.max_depth} levels deep{at}", self.source
            )

    def collection_end(self, event: MappingEndEvent | SequenceEndEvent) -> None:
        anchor, size, value, _ = self.frames.pop()
        if anchor:
            self._remember(anchor, size, value)
        self._place(size, value)

    def document_start(self, event: DocumentStartEvent) -> None:
        self.documents += 1
        self.building = self.building and self.documents == 1

    def _remember(self, anchor: str, size: int, value: Any) -> None:
        """A finished node's anchor, for the aliases that follow."""
        if self.building and anchor in self.sizes:
            self.building = False  # a duplicate anchor: the composer refuses it
        self.sizes[anchor] = size
        self.objects[anchor] = value

    def _place(self, size: int, value: Any) -> None:
        """Count a node of ``size`` nodes into its parent and put it there
        (or make it the root)."""
        if self.frames:
            self.frames[-1][1] += size
            if self.building:
                self.building = _add(self.frames[-1], value)
        elif self.building:
            self.root = value


def _add(frame: list[Any], value: Any) -> bool:
    """Put a finished node into its parent's ``frame`` (or keep it as the key
    it is); False when the safe loader would not build it this way."""
    container = frame[2]
    if type(container) is list:
        container.append(value)
        return True
    if frame[3] is UNSURE:
        if isinstance(value, dict | list):
            return False  # a complex key: the safe loader refuses it
        frame[3] = value
        return True
    container[frame[3]] = value
    frame[3] = UNSURE
    return True


def load(text: str, source: str, max_depth: int, max_alias_nodes: int) -> Any:
    """The document of ``text``: checked, then built in the same pass (or,
    outside the plain subset, loaded the usual way after the check)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = build_checked(
        yaml.parse(text, Loader=loader), source, max_depth, max_alias_nodes
    )
    if doc is UNSURE:
        return yaml.load(text, Loader=loader)
    return doc
