"""The intermediate representation: what the SDK is, with no OpenAPI types in it.

Everything here is a frozen dataclass built by ``normalise``; the emitter and the
diff read it. Values are plain Python (str, int, float, bool, None, tuples).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias, assert_never


def object_items(value: object) -> list[tuple[str, JsonValue]] | None:
    """The key/value pairs of a frozen JSON object, or None for any other value."""
    if not isinstance(value, tuple) or not value:
        return None
    if all(
        isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value
    ):
        return [(str(k), v) for k, v in value]
    return None


JsonScalar: TypeAlias = str | int | float | bool | None
# Defaults and const values are JSON; objects and arrays are kept as sorted tuples
# so that IR nodes stay hashable and comparable.
JsonValue: TypeAlias = (
    JsonScalar | tuple["JsonValue", ...] | tuple[tuple[str, "JsonValue"], ...]
)

PrimitiveKind = Literal["str", "int", "float", "bool", "any"]
ParamLocation = Literal["path", "query", "header", "cookie"]
Usage = Literal["request", "response", "event"]


@dataclass(frozen=True)
class Example:
    """An example value the spec gives (a schema's ``example``/``examples``, a
    media type's ``example`` or ``examples.{name}.value``): its JSON text (as
    the spec orders it: ``{}`` and ``[]`` stay apart) and where it sits."""

    json: str
    pointer: str


@dataclass(frozen=True)
class Constraints:
    """Validation rules of one value (JSON Schema keywords, by their Python name)."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None

    def is_empty(self) -> bool:
        return self == Constraints()


NO_CONSTRAINTS = Constraints()


@dataclass(frozen=True)
class Primitive:
    kind: PrimitiveKind
    format: str | None = None
    constraints: Constraints = NO_CONSTRAINTS


@dataclass(frozen=True)
class ModelRef:
    name: str


@dataclass(frozen=True)
class EnumRef:
    name: str


@dataclass(frozen=True)
class LiteralType:
    value: JsonScalar


@dataclass(frozen=True)
class ListType:
    item: TypeRef
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True)
class DictType:
    value: TypeRef


@dataclass(frozen=True)
class UnionType:
    options: tuple[TypeRef, ...]
    # Property whose const value tells the options apart, when there is one.
    discriminator: str | None = None
    # The spec's discriminator mapping: (property value, option) pairs; empty
    # when the options are told apart by const values or by their shape.
    mapping: tuple[tuple[str, TypeRef], ...] = ()


@dataclass(frozen=True)
class Nullable:
    inner: TypeRef


TypeRef: TypeAlias = (
    Primitive
    | ModelRef
    | EnumRef
    | LiteralType
    | ListType
    | DictType
    | UnionType
    | Nullable
)

ANY = Primitive("any")


def refs_in(t: TypeRef | None) -> Iterator[str]:
    """Shape ids (or names) a type points at, in order."""
    match t:
        case None | Primitive() | LiteralType():
            return
        case ModelRef() | EnumRef():
            yield t.name
        case Nullable():
            yield from refs_in(t.inner)
        case ListType():
            yield from refs_in(t.item)
        case DictType():
            yield from refs_in(t.value)
        case UnionType():
            for option in t.options:
                yield from refs_in(option)
        case _:
            assert_never(t)


def rename(t: TypeRef, names: Mapping[str, str]) -> TypeRef:
    """Replace shape ids by final names throughout a type."""
    return substitute(t, lambda r: type(r)(names[r.name]))


def substitute(t: TypeRef, ref: Callable[[ModelRef | EnumRef], TypeRef]) -> TypeRef:
    """``t`` with each model and enum reference replaced by ``ref`` of it."""
    match t:
        case ModelRef() | EnumRef():
            return ref(t)
        case Nullable():
            return Nullable(substitute(t.inner, ref))
        case ListType():
            return ListType(substitute(t.item, ref), t.min_items, t.max_items)
        case DictType():
            return DictType(substitute(t.value, ref))
        case UnionType():
            return UnionType(
                tuple(substitute(o, ref) for o in t.options),
                t.discriminator,
                tuple((k, substitute(v, ref)) for k, v in t.mapping),
            )
        case Primitive() | LiteralType():
            return t
        case _:
            assert_never(t)


def python_class(p: Primitive) -> str:
    """The Python class the SDK holds a primitive's values in: its kind, but a
    date-time string is a ``datetime`` (one place for the emitter and the diff)."""
    return "datetime" if p.kind == "str" and p.format == "date-time" else p.kind


def unwrap_nullable(t: TypeRef) -> TypeRef:
    return t.inner if isinstance(t, Nullable) else t


@dataclass(frozen=True)
class Field:
    wire_name: str
    python_name: str
    type: TypeRef
    required: bool
    has_default: bool = False
    default: JsonValue = None
    doc: str = ""
    deprecated: bool = False
    # Defaults are no part of a model's identity: when the copies merged into this
    # model disagree, every copy's default (JSON, or "none"), sorted; the field
    # itself carries the first copy's.
    copy_defaults: tuple[str, ...] = ()
    # The property schema's own examples (no part of its identity).
    examples: tuple[Example, ...] = field(default=(), compare=False)

    @property
    def nullable(self) -> bool:
        return isinstance(self.type, Nullable)

    @property
    def accepts_null(self) -> bool:
        """Whether null is a value of the field: nullable, or any JSON value."""
        inner = self.type
        return self.nullable or (isinstance(inner, Primitive) and inner.kind == "any")

    @property
    def constraints(self) -> Constraints:
        inner = unwrap_nullable(self.type)
        return inner.constraints if isinstance(inner, Primitive) else NO_CONSTRAINTS

    @property
    def format(self) -> str | None:
        inner = unwrap_nullable(self.type)
        return inner.format if isinstance(inner, Primitive) else None


@dataclass(frozen=True)
class Model:
    name: str
    fields: tuple[Field, ...]
    doc: str = ""
    usage: tuple[Usage, ...] = ()
    # Where the first occurrence of this shape sits in the spec (a JSON pointer).
    source: str = ""
    # The TypedDict method signatures also accept for it (naming pass).
    param_dict: str = ""
    # Sets of fields (wire names) of which one must be given (request side).
    requires_any: tuple[tuple[str, ...], ...] = ()
    # The schema's own examples (no part of its identity, as docs are not).
    examples: tuple[Example, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Enum:
    name: str
    values: tuple[str | int, ...]
    doc: str = ""
    usage: tuple[Usage, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Param:
    wire_name: str
    python_name: str
    location: ParamLocation
    type: TypeRef
    required: bool
    has_default: bool = False
    default: JsonValue = None
    doc: str = ""
    deprecated: bool = False
    # How an array or object value is serialised (OpenAPI ``style``/``explode``;
    # "" and None mean the location's default: form, exploded, in the query).
    style: str = ""
    explode: bool | None = None
    allow_reserved: bool = False


@dataclass(frozen=True)
class Encoding:
    """A form field's ``encoding`` entry as the spec gives it ("" and None: not
    given); ``generator/emit/wirerules.py`` decides what applies."""

    style: str = ""
    explode: bool | None = None
    allow_reserved: bool = False
    content_type: str = ""


@dataclass(frozen=True)
class RequestBody:
    type: TypeRef
    required: bool
    content_type: str = "application/json"
    # Wire names of body fields the spec lists as required although they have a
    # default: the API refuses a body without them, so the SDK sends the default.
    send_defaults: tuple[str, ...] = ()
    # Form bodies: (property wire name, its ``encoding`` entry), sorted.
    encoding: tuple[tuple[str, Encoding], ...] = ()


@dataclass(frozen=True)
class SuccessResponse:
    status: int
    # The type the SDK returns: the ``data`` of a ``{success, data}`` envelope when
    # ``unwrapped``, otherwise the whole body. None means no body.
    type: TypeRef | None
    unwrapped: bool = False
    # Examples of the whole body (the media type's, then its schema's), in
    # the spec's order; the fake answers with the first that is valid.
    examples: tuple[Example, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class ErrorResponse:
    status: str  # "400", "5XX", "default"
    type: TypeRef | None


@dataclass(frozen=True)
class Pagination:
    """Cursor pagination: the runtime sends ``cursor`` and reads the next one from
    the body; the cursor names are fixed there, so the IR holds only the items."""

    item_type: TypeRef


@dataclass(frozen=True)
class Operation:
    operation_id: str
    # Final names from the naming pass (``finalnames.place_calls``); the parser's
    # proposals before it.
    resource: tuple[str, ...]  # ("calendars", "events") -> client.calendars.events
    method_name: str  # "list" -> client.calendars.events.list(...)
    http_method: str  # upper case
    path: str
    summary: str = ""
    doc: str = ""
    params: tuple[Param, ...] = ()
    body: RequestBody | None = None
    response: SuccessResponse | None = None
    errors: tuple[ErrorResponse, ...] = ()
    pagination: Pagination | None = None
    deprecated: bool = False
    # The operation's own ``security``: alternatives, each the scheme names
    # needed together (() = anonymous); None = the API's default.
    security: tuple[tuple[str, ...], ...] | None = None
    # The private model its module defines for its path/query/header arguments
    # (naming pass; unique in the module).
    params_model: str = ""

    @property
    def python_call(self) -> str:
        return ".".join(("client", *self.resource, self.method_name))


@dataclass(frozen=True)
class Resource:
    """A resource's final names (``finalnames.place_calls``): where it sits on the
    client, its class (``Async`` + it for the async client) and its module."""

    path: tuple[str, ...]  # attributes from the client: ("calendars", "events")
    class_name: str  # "CalendarsEvents"
    module: str  # the file under resources/ that holds it (its root's attribute)


@dataclass(frozen=True)
class WebhookEvent:
    """A payload the API POSTs to the user: account webhooks or per-bot callbacks."""

    event: str  # the const discriminator value, e.g. "bot.completed"
    kind: Literal["webhook", "callback"]
    type: ModelRef
    schema_name: str  # the spec's name for it, e.g. "BotWebhookCompleted"
    # The property holding ``event`` ("" when no const tells it apart), and the
    # webhook/callback name it is declared under ("" for a bare component).
    key: str = "event"
    name: str = ""


@dataclass(frozen=True)
class Server:
    url: str  # its variables at their defaults


@dataclass(frozen=True)
class AuthScheme:
    name: str
    kind: str  # "apiKey", "http"
    location: str = "header"
    param_name: str = ""
    scheme: str = ""


@dataclass(frozen=True)
class TypeIdentity:
    """A generated type across spec versions: where it was met and what it is."""

    pointers: tuple[str, ...]  # JSON pointers of every schema it was made from
    shape: str = ""  # hash of its structure, children included (never docs)
    # The module of ``types/`` it was released in ("" = not recorded): the
    # emitter's choice, which the lock remembers so that a move keeps it
    # importable there.
    module: str = ""


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    servers: tuple[Server, ...] = ()
    auth: tuple[AuthScheme, ...] = ()
    # The default requirement, as Operation's; None: the spec states none.
    security: tuple[tuple[str, ...], ...] | None = None
    operations: tuple[Operation, ...] = ()
    # Every resource the operations' chains name (prefixes included), by path.
    resources: tuple[Resource, ...] = ()
    models: tuple[Model, ...] = ()
    enums: tuple[Enum, ...] = ()
    events: tuple[WebhookEvent, ...] = ()
    # How the spec says webhooks are signed: "standard-webhooks", or "" (not said).
    webhook_signature: str = ""
    # Statistics of the normalisation, for ``inspect`` and tests.
    stats: tuple[tuple[str, int], ...] = field(default=(), compare=False)
    # Naming warnings (clashes, dead overrides): the SDK is still complete.
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # Type name -> where its type came from (what sdkgen.lock records).
    identities: tuple[tuple[str, TypeIdentity], ...] = field(default=(), compare=False)

    def model(self, name: str) -> Model:
        for m in self.models:
            if m.name == name:
                return m
        raise KeyError(name)

    def enum(self, name: str) -> Enum:
        for e in self.enums:
            if e.name == name:
                return e
        raise KeyError(name)
