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
    resolve: Any = Resolver().resolve  # untyped in the stubs
    constructor = SafeConstructor()
    constructors = SafeConstructor.yaml_constructors
    sizes: dict[str, int] = {}  # anchor -> nodes it stands for
    objects: dict[str, Any] = {}  # anchor -> what it built
    # Per open collection: [anchor, nodes so far, container, pending key].
    frames: list[list[Any]] = []
    added = 0
    building = True
    documents = 0
    root: Any = UNSURE
    for event in events:
        kind = type(event)
        if kind is ScalarEvent:
            value: Any = None
            if building:
                tag = event.tag
                if tag is not None:
                    building = False  # an explicit tag
                else:
                    tag = resolve(ScalarNode, event.value, event.implicit)
                    if tag == _STR:
                        value = event.value
                    elif tag in _SCALARS:
                        try:
                            value = constructors[tag](
                                constructor, ScalarNode(tag, event.value)
                            )
                        except Exception:  # the usual load reports it
                            building = False
                    else:
                        building = False  # merge keys, '=' and the like
            size = 1
            anchor = event.anchor
        elif kind is AliasEvent:
            anchor = event.anchor
            found = sizes.get(anchor or "")
            if found is None:
                raise SpecError(
                    f"YAML alias *{anchor} names no finished node"
                    " (recursive or undefined)",
                    source,
                )
            added += found
            if added > max_alias_nodes:
                raise SpecError(
                    f"YAML aliases expand to more than {max_alias_nodes} extra nodes",
                    source,
                )
            if frames:
                frames[-1][1] += found
            if building and frames:
                building = _add(frames[-1], objects[anchor or ""])
            elif building:
                root = objects[anchor or ""]
            continue
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            container: Any = {} if kind is MappingStartEvent else []
            if event.tag is not None:
                building = False
            frames.append([event.anchor, 1, container, UNSURE])
            if len(frames) > max_depth:
                mark = event.start_mark
                at = f" (line {mark.line + 1})" if mark else ""
                raise SpecError(f"nested more than {max_depth} levels deep{at}", source)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            anchor, size, value, _ = frames.pop()
        else:
            if kind is DocumentStartEvent:
                documents += 1
                building = building and documents == 1
            continue
        # A finished node (scalar or collection): its size, anchor and place.
        if anchor:
            if building and anchor in sizes:
                building = False  # a duplicate anchor: the composer refuses it
            sizes[anchor] = size
            objects[anchor] = value
        if frames:
            frames[-1][1] += size
            if building:
                building = _add(frames[-1], value)
        elif building:
            root = value
    return root if building else UNSURE


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
