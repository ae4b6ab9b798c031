"""Every kind of change the diff reports, with its level, in one table.

A rule is data: id, level, direction (which side of the API the change is on),
area, action, and the SDK version bump it implies. Changing how severe a change is
means editing one row here, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["breaking", "warning", "info"]
Direction = Literal["request", "response", "any"]
Bump = Literal["major", "minor", "patch"]

LEVELS: tuple[Level, ...] = ("breaking", "warning", "info")
LEVEL_RANK: dict[str, int] = {"breaking": 0, "warning": 1, "info": 2}
BUMP_RANK: dict[str, int] = {"major": 0, "minor": 1, "patch": 2, "none": 3}
# What a level implies when the rule does not say otherwise.
_LEVEL_BUMP: dict[Level, Bump] = {
    "breaking": "major",
    "warning": "minor",
    "info": "patch",
}


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    direction: Direction
    area: str
    action: str
    bump: Bump
    summary: str


def _rule(
    id: str,
    level: Level,
    direction: Direction,
    area: str,
    action: str,
    summary: str,
    bump: Bump | None = None,
) -> Rule:
    return Rule(id, level, direction, area, action, bump or _LEVEL_BUMP[level], summary)


# fmt: off
_TABLE: tuple[Rule, ...] = (
    # -- operations ------------------------------------------------------------------
    _rule("operation-added", "info", "any", "operation", "added",
          "a new endpoint: a new client method", "minor"),
    _rule("operation-removed", "breaking", "any", "operation", "removed",
          "an endpoint is gone: its client method is removed"),
    _rule("operation-method-changed", "breaking", "any", "operation", "method-changed",
          "same operationId, other HTTP method: released SDKs call the old one"),
    _rule("operation-path-changed", "breaking", "any", "operation", "path-changed",
          "same operationId, other path: released SDKs call the old one"),
    _rule("operation-renamed", "breaking", "any", "naming", "renamed",
          "the generated client method has a new name"),
    _rule("operation-deprecated", "warning", "any", "operation", "deprecated",
          "an endpoint is now deprecated"),
    _rule("resource-class-renamed", "warning", "any", "naming", "renamed",
          "a resource's class has a new name (a new type took it): calls are "
          "unchanged, imports of the old class fail", "minor"),
    # -- parameters (always sent by the user) ----------------------------------------
    _rule("request-param-added-required", "breaking", "request", "parameter",
          "added", "a new required argument"),
    _rule("request-param-added", "info", "request", "parameter", "added",
          "a new optional argument", "minor"),
    _rule("request-param-removed", "breaking", "request", "parameter", "removed",
          "an argument is gone: calls passing it fail"),
    _rule("request-param-became-required", "breaking", "request", "parameter",
          "became-required", "an optional argument is now required"),
    _rule("request-param-became-optional", "info", "request", "parameter",
          "became-optional", "a required argument is now optional"),
    _rule("request-param-type-changed", "breaking", "request", "parameter",
          "type-changed", "an argument accepts fewer or other values"),
    _rule("request-param-type-widened", "info", "request", "parameter",
          "type-widened", "an argument accepts more values"),
    _rule("request-param-constraint-tightened", "breaking", "request", "parameter",
          "constraint-tightened", "an argument's validation is stricter"),
    _rule("request-param-constraint-loosened", "info", "request", "parameter",
          "constraint-loosened", "an argument's validation is looser"),
    _rule("request-param-default-changed", "warning", "request", "parameter",
          "default-changed", "calls that omit the argument behave differently"),
    _rule("request-param-location-changed", "breaking", "request", "parameter",
          "location-changed", "released SDKs send the argument in the wrong place"),
    _rule("request-param-renamed", "breaking", "request", "naming", "renamed",
          "the generated argument has a new name"),
    _rule("request-path-params-reordered", "breaking", "request", "parameter",
          "reordered", "positional arguments come in another order"),
    _rule("request-param-deprecated", "info", "request", "parameter", "deprecated",
          "an argument is now deprecated"),
    # -- request bodies ----------------------------------------------------------------
    _rule("request-body-added-required", "breaking", "request", "request-body",
          "added", "a body with required fields: new required arguments"),
    _rule("request-body-added", "info", "request", "request-body", "added",
          "a body with optional fields: new optional arguments", "minor"),
    _rule("request-body-removed", "breaking", "request", "request-body", "removed",
          "the body is gone: its arguments are removed"),
    _rule("request-body-type-changed", "breaking", "request", "request-body",
          "type-changed", "the body accepts fewer or other values"),
    _rule("request-body-type-widened", "info", "request", "request-body",
          "type-widened", "the body accepts more values"),
    # -- request properties (fields of models the user builds) -------------------------
    _rule("request-property-added-required", "breaking", "request", "property",
          "added", "a new required field without a default"),
    _rule("request-property-added", "info", "request", "property", "added",
          "a new optional field", "minor"),
    _rule("request-property-removed", "breaking", "request", "property", "removed",
          "a field users may set is gone"),
    _rule("request-property-became-required", "breaking", "request", "property",
          "became-required", "an optional field is now required"),
    _rule("request-property-became-optional", "info", "request", "property",
          "became-optional", "a required field is now optional"),
    _rule("request-property-type-changed", "breaking", "request", "property",
          "type-changed", "a field accepts fewer or other values"),
    _rule("request-property-type-widened", "info", "request", "property",
          "type-widened", "a field accepts more values"),
    _rule("request-property-became-non-nullable", "breaking", "request", "property",
          "became-non-nullable", "a field no longer accepts None"),
    _rule("request-property-became-nullable", "info", "request", "property",
          "became-nullable", "a field now accepts None"),
    _rule("request-property-constraint-tightened", "breaking", "request", "property",
          "constraint-tightened", "a field's validation is stricter"),
    _rule("request-property-constraint-loosened", "info", "request", "property",
          "constraint-loosened", "a field's validation is looser"),
    _rule("request-property-default-changed", "warning", "request", "property",
          "default-changed", "requests that omit the field behave differently"),
    # A required field with a default: the SDK sends the default; released SDKs that
    # leave it out are refused by a server that enforces the new spec.
    _rule("request-property-sent-by-default", "breaking", "request", "property",
          "sent-by-default", "a defaulted field became required: released SDKs "
          "leave it out and are refused; the new SDK sends its default"),
    _rule("request-property-no-longer-sent-by-default", "info", "request",
          "property", "no-longer-sent-by-default",
          "a defaulted field is optional again: the SDK stops sending its default"),
    _rule("request-property-renamed", "breaking", "request", "naming", "renamed",
          "the generated field/argument has a new name"),
    _rule("request-property-type-renamed", "breaking", "request", "naming",
          "type-renamed", "a field now takes an instance of another class"),
    # -- responses and their properties (what the user reads) --------------------------
    _rule("response-body-added", "info", "response", "response-body", "added",
          "a method that returned nothing now returns a value", "minor"),
    _rule("response-body-removed", "breaking", "response", "response-body",
          "removed", "a method now returns None"),
    _rule("response-type-changed", "breaking", "response", "response-body",
          "type-changed", "a method returns another type"),
    _rule("response-type-narrowed", "info", "response", "response-body",
          "type-narrowed", "a method returns a narrower type"),
    _rule("response-unwrapped-changed", "breaking", "response", "response-body",
          "unwrapped-changed", "the {success, data} envelope appeared or went"),
    _rule("response-status-changed", "info", "response", "response-body",
          "status-changed", "another success status code"),
    _rule("pagination-added", "breaking", "response", "response-body",
          "pagination-added", "a method now returns a page iterator"),
    _rule("pagination-removed", "breaking", "response", "response-body",
          "pagination-removed", "a method no longer returns a page iterator"),
    _rule("response-property-added", "info", "response", "property", "added",
          "a new field to read", "minor"),
    _rule("response-property-removed", "breaking", "response", "property", "removed",
          "a field users read is gone"),
    _rule("response-property-became-optional", "breaking", "response", "property",
          "became-optional", "a field may now be missing"),
    _rule("response-property-became-required", "info", "response", "property",
          "became-required", "a field is now always present"),
    _rule("response-property-became-nullable", "breaking", "response", "property",
          "became-nullable", "a field may now be None"),
    _rule("response-property-became-non-nullable", "info", "response", "property",
          "became-non-nullable", "a field is never None any more"),
    _rule("response-property-type-changed", "breaking", "response", "property",
          "type-changed", "a field holds values of another type"),
    _rule("response-property-type-narrowed", "info", "response", "property",
          "type-narrowed", "a field holds a subset of its old values"),
    _rule("response-property-renamed", "breaking", "response", "naming", "renamed",
          "the generated attribute has a new name"),
    _rule("response-property-type-renamed", "warning", "response", "naming",
          "type-renamed", "a field holds an instance of another class"),
    _rule("response-property-default-changed", "warning", "response", "property",
          "default-changed", "a field the API leaves out reads another default"),
    # Response models validate their constraints (strictly with
    # strict_response_validation): a looser rule lets the API return what released
    # SDKs refuse; a stricter one only narrows what is returned.
    _rule("response-property-constraint-loosened", "warning", "response", "property",
          "constraint-loosened", "the API may return values released SDKs' "
          "validation refuses"),
    _rule("response-property-constraint-tightened", "info", "response", "property",
          "constraint-tightened", "the API returns a narrower range of values"),
    _rule("property-deprecated", "info", "any", "property", "deprecated",
          "a field is now deprecated"),
    # -- formats and patterns (fields and arguments) -----------------------------------
    _rule("format-changed", "info", "any", "format", "changed",
          "another string format; the Python type stays"),
    _rule("format-python-type-changed", "breaking", "any", "format",
          "type-changed", "another format with another Python type (str/datetime)"),
    _rule("request-pattern-changed", "breaking", "request", "pattern", "changed",
          "a value must match another pattern: some accepted ones are refused"),
    _rule("response-pattern-changed", "warning", "response", "pattern", "changed",
          "released SDKs check the old pattern and may refuse returned values"),
    # -- discriminated unions ---------------------------------------------------------
    _rule("discriminator-mapping-changed", "breaking", "any", "union",
          "mapping-changed",
          "a tag value selects another option: data parses as another class"),
    # -- enums -------------------------------------------------------------------------
    _rule("request-enum-value-added", "info", "request", "enum", "value-added",
          "a new value users may send", "minor"),
    _rule("request-enum-value-removed", "breaking", "request", "enum",
          "value-removed", "a value users may send is refused; its member is gone"),
    _rule("response-enum-value-added", "warning", "response", "enum", "value-added",
          "a new value to read: exhaustive match statements miss it"),
    # The generated member disappears, so code naming it fails even on the read side.
    _rule("response-enum-value-removed", "breaking", "response", "enum",
          "value-removed", "a value is never returned; its member is gone"),
    # -- generated types ---------------------------------------------------------------
    _rule("model-added", "info", "any", "model", "added", "a new model class",
          "minor"),
    _rule("model-removed", "breaking", "any", "model", "removed",
          "a model class is gone: imports of it fail"),
    _rule("model-renamed", "breaking", "any", "naming", "renamed",
          "a model class has a new name: imports of the old one fail"),
    _rule("enum-added", "info", "any", "enum", "added", "a new enum class", "minor"),
    _rule("enum-removed", "breaking", "any", "enum", "removed",
          "an enum class is gone: imports of it fail"),
    _rule("enum-renamed", "breaking", "any", "naming", "renamed",
          "an enum class has a new name: imports of the old one fail"),
    # -- webhooks and callbacks ------------------------------------------------------
    _rule("webhook-event-added", "warning", "response", "webhook", "added",
          "a new event: exhaustive handlers miss it", "minor"),
    _rule("webhook-event-removed", "breaking", "response", "webhook", "removed",
          "an event is gone with its payload class"),
    # -- errors ------------------------------------------------------------------------
    _rule("error-response-added", "info", "response", "error", "added",
          "a new documented error status"),
    _rule("error-response-removed", "info", "response", "error", "removed",
          "an error status is no longer documented"),
    _rule("error-response-changed", "info", "response", "error", "type-changed",
          "an error body has another type"),
    # -- security and servers ----------------------------------------------------------
    _rule("security-scheme-added", "warning", "any", "security", "added",
          "a new authentication scheme"),
    _rule("security-scheme-removed", "breaking", "any", "security", "removed",
          "an authentication scheme is gone"),
    _rule("security-scheme-changed", "breaking", "any", "security", "changed",
          "credentials go elsewhere: released SDKs send them wrongly"),
    _rule("security-requirement-changed", "warning", "any", "security",
          "requirement-changed", "the schemes every call needs changed"),
    _rule("server-default-changed", "warning", "any", "server", "changed",
          "the SDK's default base URL changes"),
    _rule("server-added", "info", "any", "server", "added", "another server URL"),
    _rule("server-removed", "info", "any", "server", "removed",
          "a non-default server URL is gone"),
    _rule("server-variable-changed", "warning", "any", "server", "variable-changed",
          "a server URL variable was added, removed or got another default or values"),
)
# fmt: on

RULES: dict[str, Rule] = {r.id: r for r in _TABLE}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def worst_bump(bumps: list[str]) -> str:
    """The largest of the bumps, or "none" when there are none."""
    return min(bumps, key=BUMP_RANK.__getitem__, default="none")
