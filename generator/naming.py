"""Spelling rules for Python names: snake_case members, PascalCase types."""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata

from .configcheck import unshadowed

_WORD_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

# Names that would shadow something a generated module or model needs.
_RESERVED_MEMBERS = frozenset(
    {
        "model_config",
        "model_fields",
        "model_dump",
        "model_validate",
        "model_copy",
        "schema",
        "json",
        "dict",
        "copy",
        "construct",
        "validate",
        "fields",
        "self",
    }
)
_BUILTINS = frozenset(dir(builtins))


# Letters NFKD does not decompose to ASCII, spelled the usual way.
_LATIN_EXTRA = {
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ł": "l",
    "Ł": "L",
    "þ": "th",
    "Þ": "Th",
    "œ": "oe",
    "Œ": "OE",
    "ð": "d",
    "Ð": "D",
    "\u0131": "i",  # dotless i
}


def ascii_text(text: str) -> str:
    """Transliterate to ASCII: accents dropped, other letters spelled by their
    Unicode name (``π`` -> ``pi``), so non-ASCII names stay readable and distinct."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        if ch in _LATIN_EXTRA:
            out.append(_LATIN_EXTRA[ch])
            continue
        plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii())
        if plain:
            out.append(plain)
        elif ch.isalnum():
            out.append(" " + _unicode_word(ch) + " ")
        else:
            out.append(" ")
    return "".join(out)


def _unicode_word(ch: str) -> str:
    name = unicodedata.name(ch, f"U{ord(ch):04X}")
    # "GREEK SMALL LETTER PI" -> "pi"; "CJK UNIFIED IDEOGRAPH-4E2D" -> "u4e2d"
    if " LETTER " in name:
        word = name.split(" LETTER ", 1)[1].replace(" ", "_").lower()
        return word.upper() if " CAPITAL " in name else word
    if "IDEOGRAPH-" in name:
        return "u" + name.rsplit("-", 1)[1].lower()
    return "u" + f"{ord(ch):04x}"


def words(text: str) -> list[str]:
    """Split any spelling (camelCase, kebab-case, snake_case, spaces) into words."""
    out: list[str] = []
    for chunk in _WORD_SPLIT.split(ascii_text(text)):
        out.extend(w for w in _CAMEL_BOUNDARY.split(chunk) if w)
    return out


def snake(text: str) -> str:
    return "_".join(w.lower() for w in words(text))


def pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(text))


def python_member(wire_name: str) -> str:
    """A safe attribute/argument name for a wire name (fields and params)."""
    name = snake(wire_name) or "value"
    if name[0].isdigit():
        name = "n_" + name
    if (
        keyword.iskeyword(name)
        or name in _BUILTINS
        or name in _RESERVED_MEMBERS
        or name.startswith("model_")  # pydantic's namespace on every model
    ):
        name += "_"
    return name


def identifier(text: str, fallback: str = "call") -> str:
    """A snake_case name usable as an attribute or method (resources, methods)."""
    name = snake(text) or fallback
    if name[0].isdigit():
        name = "n_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def type_name(text: str) -> str:
    name = pascal(text) or "Model"
    if name[0].isdigit():
        name = "N" + name
    if keyword.iskeyword(name):  # a schema called "None" or "True"
        name += "_"
    return name


def enum_member(value: str | int) -> str:
    """UPPER_CASE constant name for an enum value."""
    name = snake(str(value)).upper()
    if not name:
        name = "EMPTY"
    if name[0].isdigit():
        name = "V_" + name
    if keyword.iskeyword(name.lower()) and name.lower() == name:
        name += "_"
    return name


_IRREGULAR = {
    "series": "series",
    "status": "status",
    "data": "data",
    "people": "person",
}


def singular(word: str) -> str:
    lower = word.lower()
    if lower in _IRREGULAR:
        return _keep_case(word, _IRREGULAR[lower])
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "uses", "xes", "ches", "shes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith("ss"):
        return word[:-1]
    return word


def _keep_case(original: str, replacement: str) -> str:
    return (
        replacement[:1].upper() + replacement[1:]
        if original[:1].isupper()
        else replacement
    )


def plural(word: str) -> str:
    lower = word.lower()
    if lower.endswith(("s", "x", "ch", "sh")):
        return word if lower in _IRREGULAR else word + "es"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def action_name(operation_id: str, chain: tuple[str, ...]) -> str:
    """An operationId without the nouns of its resource chain:
    ``batchCreateBots`` on ``bots`` -> ``batch_create``."""
    nouns: set[str] = set()
    for resource in chain:
        for w in resource.split("_"):
            nouns.update({w, singular(w), plural(singular(w))})
    # Version dates and NestJS's ``XController_`` prefix say nothing about the
    # action: ``BookingsController_2024-08-13_cancel`` -> ``cancel``.
    noise = nouns | {"controller"}
    kept = [
        w.lower()
        for w in words(operation_id)
        if w.lower() not in noise and not w.isdigit()
    ]
    return "_".join(kept)


_TITLE_NOISE = frozenset(
    {"api", "apis", "openapi", "rest", "the", "spec", "specification"}
)


def sdk_names(title: str) -> tuple[str, str, str]:
    """(package, client class, env-var prefix) for an API called ``title``:
    ``"Swagger Petstore - OpenAPI 3.0"`` -> ``swagger_petstore_3_0_client``,
    ``SwaggerPetstore30Client``, ``SWAGGER_PETSTORE_3_0``."""
    package = _package_name(title)
    client = "".join(w[:1].upper() + w[1:] for w in package.split("_"))
    if client in ("Client", "AsyncClient"):
        client += "Api"
    # The package never takes the vendor's own SDK's name (``stripe``,
    # ``openai``): both would be installed side by side under one name.
    own = package if package.endswith("_client") else package + "_client"
    return (
        unshadowed(own),
        client + ("" if client.endswith("Client") else "Client"),
        package.upper(),
    )


def _package_name(title: str) -> str:
    """The title's words but noise, as a Python identifier."""
    package = "_".join(_title_words(title))[:40].strip("_") or "api"
    if package[0].isdigit():
        package = "api_" + package
    if keyword.iskeyword(package) or package in _BUILTINS:
        package += "_sdk"
    return package


def _title_words(title: str) -> list[str]:
    """The title's words, lower-case, but noise (unless all are noise)."""
    plain = ascii_text(title).replace("'", "").replace("\u2019", "")
    all_words = [w.lower() for w in _WORD_SPLIT.split(plain) if w]
    return [w for w in all_words if w not in _TITLE_NOISE] or all_words or ["api"]


# File names are bounded (255 bytes on most file systems, less on some, and
# ``types/_for_<name>.py`` adds 8): a longer module name is cut and keeps a
# hash of the whole, so distinct names stay distinct and runs agree.
MAX_FILE_STEM = 100


def file_stem(name: str) -> str:
    """``name`` as a module file's stem, at most MAX_FILE_STEM characters."""
    if len(name.encode("utf-8")) <= MAX_FILE_STEM:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    cut = name.encode("utf-8")[: MAX_FILE_STEM - 9].decode("utf-8", "ignore")
    return f"{cut}_{digest}"
