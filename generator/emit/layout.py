"""black's layout for the code our templates write, without running black.

The templates already write black's spacing; what is left is blank lines and lines
longer than 88 characters. This module does both the way black does for the shapes
the templates produce (imports, calls, literals, subscripts, ``|`` unions), and
answers None for anything else, so the caller runs black on that piece instead.
Tests hold every generated file (bundled spec and corpus) to ``black --check``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

LIMIT = 88
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {")", "]", "}"}
_QUOTES = re.compile(r"#|\"\"\"|'''|\"|'")
# A token of a long code line: a string, a bracket, a comma, a ``|``, or other text
# (what lies between them: ``re.split`` leaves it without a match object each).
_DELIMITER = re.compile(
    r"""([rRbBuUfF]{0,2}(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|[()\[\]{},|])"""
)
_KIND = {"(": "open", "[": "open", "{": "open", ")": "close", "]": "close"}
_KIND.update({"}": "close", ",": "comma", "|": "bar"})
# A string prefix black would rewrite (upper-case, or the redundant ``u``).
_PREFIX = re.compile(r"[A-Za-z]*[BFUu][A-Za-z]*$")
_DEF = re.compile(r"\s*(?:async\s+def|def|class)\s")


def layout(piece: str) -> str | None:
    """``piece`` (one top-level block) as black lays it out, or None when unsure."""
    lines = piece.strip("\n").split("\n")
    code = _code_lines(lines)
    if code is None:
        return None
    out: list[str] = []
    blanks = _Blanks()
    blank = 0
    depth = 0  # of brackets, so that only a statement's first line counts
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() and code[i]:
            blank += 1
            i += 1
            continue
        indent = len(line) - len(line.lstrip(" "))
        end = i + 1
        while end < len(lines) and not code[end]:
            end += 1
        stripped = line.strip()
        if depth == 0:
            kind = _kind(stripped)
            n = blanks.before(kind, indent, blank, out[-1] if out else "")
            if n is None:
                return None
            out.extend([""] * n)
        elif blank or stripped.startswith("#"):
            return None  # a blank line or a comment inside brackets
        blank = 0
        if kind == "comment":
            out.append(line.rstrip())
        elif stripped.startswith(('"""', 'r"""')) and depth == 0:
            doc = _docstring(lines[i:end], indent, blanks.docstring_position)
            if doc is None:
                return None
            out.extend(doc)
            i = end
            continue
        else:
            statement = _statement(lines, i, code)
            if statement is None:
                return None
            parts, end = statement
            text = _join(parts)
            if text.endswith("):") and _HEADER.match(text):
                # black drops parentheses round a whole condition, or splits
                # the condition inside them: only a long chain is ours.
                split = _split_condition(text, indent)
                if split is None:
                    return None
                out.extend(split)
            elif len(parts) == 1 and len(line) <= LIMIT:
                out.append(line.rstrip())
            else:
                split = _split_def(text, indent) if kind == "def" else None
                split = split or _split(text, indent)
                if split is None:
                    return None
                out.extend(split)
            i = end
            continue
        if end - i > 1:  # a statement that opens a triple-quoted string
            if depth:
                return None
            out.extend(line.rstrip() for line in lines[i + 1 : end])
        i = end
    return "\n".join(out) + "\n"


def _statement(
    lines: list[str], i: int, code: list[bool]
) -> tuple[list[str], int] | None:
    """The lines of the statement starting at ``i`` (up to where its brackets
    close), stripped, and the index after it; None when black would see more
    than code there (comments, blank lines, strings over several lines)."""
    parts: list[str] = []
    depth = 0
    j = i
    while True:
        if j >= len(lines) or not code[j] or (j > i and not lines[j].strip()):
            return None
        part = lines[j].strip()
        if part.endswith("\\") or part.startswith("#"):
            return None
        if not part.isascii() and not _narrow(part):
            return None  # black counts wide characters twice, combining ones not
        if '"' not in part and "'" not in part:
            # No string: every bracket counts (the tokens would say the same).
            depth += _bracket_delta(part)
        elif any(c in part for c in "()[]{}"):
            tokens = _tokens(part)
            if tokens is None:
                return None
            depth += sum((k == "open") - (k == "close") for k, _ in tokens)
        parts.append(part)
        j += 1
        if j < len(lines) and not code[j]:
            return None  # a string opened on this line goes on
        if depth <= 0:
            return (parts, j) if depth == 0 else None


def _bracket_delta(text: str) -> int:
    return (
        text.count("(")
        + text.count("[")
        + text.count("{")
        - text.count(")")
        - text.count("]")
        - text.count("}")
    )


def _narrow(text: str) -> bool:
    """Every character one column wide, as black measures lines."""
    return all(
        unicodedata.east_asian_width(c) not in "WF"
        and not unicodedata.combining(c)
        and unicodedata.category(c) not in ("Mn", "Me", "Cf", "Cc")
        for c in text
    )


def _join(parts: list[str]) -> str:
    """A statement spread over lines, on one line as black joins it."""
    text = parts[0]
    for part in parts[1:]:
        glue = "" if text[-1] in "([{" or part[0] in ")]}" else " "
        text += glue + part
    return text


def _import(text: str, pad: str) -> list[str] | None:
    """black puts a long import's names in parentheses, one a line with a trailing
    comma; a trailing comma already there does the same to a short one."""
    head, names = text.split(" import ", 1)
    if names.startswith("("):
        if not names.endswith(")") or not names.rstrip(")").endswith(","):
            return None  # black would drop the parentheses
        names = names[1:-1]
    elif len(pad) + len(text) <= LIMIT:
        return [pad + text]
    return [
        f"{pad}{head} import (",
        *(f"{pad}    {n.strip()}," for n in names.split(",") if n.strip()),
        f"{pad})",
    ]


def _split_def(text: str, indent: int) -> list[str] | None:
    """black's left-hand split of a ``def`` line: at its parameters' bracket."""
    tokens = _tokens(text)
    if tokens is None:
        return None
    pad = " " * indent
    if len(pad) + len(text) <= LIMIT and not _magic_comma(tokens):
        return [pad + text]
    first = next(n for n, (k, _) in enumerate(tokens) if k == "open")
    depth, close = 0, first
    while close < len(tokens):
        k = tokens[close][0]
        depth += (k == "open") - (k == "close")
        if depth == 0:
            break
        close += 1
    head = "".join(v for _, v in tokens[: first + 1])
    body = "".join(v for _, v in tokens[first + 1 : close]).strip()
    tail = "".join(v for _, v in tokens[close:])
    if not body or len(pad + head) > LIMIT or len(pad + tail) > LIMIT:
        return None
    if not _depth_zero(_tokens(body) or [], "comma"):
        body += ","  # black's trailing comma for a lone parameter
    lines = _body_lines(body, indent + 4, explode=False)
    return None if lines is None else [pad + head, *lines, pad + tail]


def _kind(stripped: str) -> str:
    if stripped.startswith("#"):
        return "comment"
    if stripped.startswith("@"):
        return "decorator"
    if _DEF.match(stripped):
        return "class" if stripped.startswith("class") else "def"
    if stripped.startswith(("from ", "import ")):
        return "import"
    if stripped.startswith(('"""', 'r"""')):
        return "docstring"
    return "other"


class _Blanks:
    """black's count of blank lines before each statement (EmptyLineTracker)."""

    def __init__(self) -> None:
        self.prev: tuple[str, int, str] | None = None  # kind, indent, text
        self.defs: list[int] = []  # indents of the def/class bodies we are in
        self.after = 0
        self.module_doc = False
        self.docstring_position = True

    def before(self, kind: str, indent: int, user: int, last: str) -> int | None:
        """Blank lines before a statement; ``last``: the line printed before it."""
        text = last.strip()
        prev = self.prev
        self.docstring_position = (
            prev is None
            or prev[0] == "comment"
            or (text.endswith(":") and prev[1] < indent)
        )
        before = min(user, 2 if indent == 0 else 1)
        had = bool(before)
        popped = None
        while self.defs and self.defs[-1] >= indent:
            popped = self.defs.pop()
        if kind in ("def", "class"):
            self.defs.append(indent)
        self.prev = (kind, indent, text)
        after, self.after = self.after, 0
        module_doc, self.module_doc = self.module_doc, False
        if prev is None:
            self.module_doc = kind == "docstring"
            return 0
        pkind, pindent, ptext = prev
        if pkind == "comment" and module_doc is False and kind == "docstring":
            self.module_doc = indent == 0
        if kind == "docstring" and self.docstring_position:
            if pkind == "class":
                self.after = 1
                return 0
            if pkind == "def":
                return 0
        if popped is not None:
            before = 1 if indent else 2
        if kind in ("def", "class", "decorator"):
            if pkind == "decorator":
                n = 0
            elif pindent < indent and pkind in ("def", "class"):
                n = 1 if had else 0
            elif pkind == "comment" or ptext.endswith(": ..."):
                return None
            else:
                n = 1 if indent else 2
            return max(0, n - after) + after
        if pkind == "import" and pindent == 0 and indent == 0 and kind != "import":
            before = 1
        elif pkind == "import" and kind != "import" and indent == pindent:
            before = before or 1
        if module_doc:
            return 1
        return max(0, before - after) + after


def _black_brackets(lines: list[str], i: int, code: list[bool]) -> bool:
    """A line of a bracket spread over lines is as black leaves it: it opens one
    bracket at its end, or closes one at its start, and the bracket's last item
    has a (magic) trailing comma."""
    tokens = _tokens(lines[i].strip())
    if tokens is None:
        return False
    delta = sum((k == "open") - (k == "close") for k, _ in tokens)
    if delta == 0:
        return tokens[0][0] != "close" or _depth_zero(tokens, "close")
    if delta == 1:
        if tokens[-1][0] != "open":
            return False
        depth, j = 1, i + 1
        while j < len(lines) and depth:
            if code[j]:
                more = _tokens(lines[j].strip())
                if more is None:
                    return False
                depth += sum((k == "open") - (k == "close") for k, _ in more)
            j += 1
        before = [x for x in lines[i + 1 : j - 1] if x.strip()]
        return depth == 0 and bool(before) and before[-1].rstrip().endswith(",")
    return delta == -1 and tokens[0][0] == "close"


def _docstring(lines: list[str], indent: int, is_doc: bool) -> list[str] | None:
    """black's treatment of a docstring (PEP 257 indentation, padding, where the
    closing quotes go); other string statements must already be as black keeps them."""
    text = "\n".join(lines)[indent:]
    prefix = "r" if text.startswith("r") else ""
    body = text[len(prefix) :]
    if not body.endswith('"""') or len(body) < 6 or "\\\n" in body:
        return None
    inner = body[3:-3]
    pad = " " * indent
    if not is_doc:
        if any(line != line.rstrip() for line in lines):
            return None
        return lines
    doc = _fix_docstring(inner, pad) if "\n" in inner else inner.strip()
    trailing_backslash = False
    if doc:
        if doc[0] == '"':
            doc = " " + doc
        if doc[-1] == '"':
            doc += " "
        if doc[-1] == "\\" and (len(doc) - len(doc.rstrip("\\"))) % 2:
            doc += " "
            trailing_backslash = True
    elif inner:
        doc = " "
    doc_lines = doc.splitlines()
    last = len(doc_lines[-1]) if doc and not doc.endswith("\n") else 0
    if len(doc_lines) > 1 and last + 3 > LIMIT and not trailing_backslash:
        if inner.endswith("\n"):
            value = f'{prefix}"""{doc}"""'
        else:
            value = f'{prefix}"""{doc}\n{pad}"""'
    else:
        value = f'{prefix}"""{doc}"""'
    return (pad + value).split("\n")


def _fix_docstring(doc: str, pad: str) -> str:
    lines = doc.splitlines()
    if doc.endswith("\n"):
        lines.append("")
    if "\t" in doc:
        return doc  # black expands only leading tabs; not worth copying
    margin = min(
        (len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()),
        default=None,
    )
    trimmed = [lines[0].strip()]
    if margin is not None:
        last = len(lines) - 2
        for n, line in enumerate(lines[1:]):
            rest = line[margin:].rstrip()
            trimmed.append(pad + rest if rest or n == last else "")
    return "\n".join(trimmed)


def _blank_lines(out: list[str], indent: int, wanted: int) -> int:
    prev = out[-1]
    if _DEF.match(prev) and prev.rstrip().endswith(":"):
        return 0  # black drops blank lines before a block's first line
    return min(wanted, 2 if indent == 0 else 1)


def _code_lines(lines: list[str]) -> list[bool] | None:
    """Which lines are code (True), and which lie inside a triple-quoted string.

    A line that opens a string is code; the lines after it, up to and including
    the closing line, are not (black leaves them alone). None: something odd."""
    result: list[bool] = []
    inside: str | None = None
    for line in lines:
        result.append(inside is None)
        if inside is None and '"' not in line and "'" not in line and "#" not in line:
            continue  # nothing here can open a string or a comment
        pos = 0
        while True:
            if inside is not None:
                end = _find_close(line, pos, inside)
                if end < 0:
                    break
                inside, pos = None, end
                continue
            m = _QUOTES.search(line, pos)
            if m is None:
                break
            tok, at = m.group(), m.start()
            if tok == "#":
                inline = bool(line[:at].strip())
                if inline and (len(line) > LIMIT or line[at - 2 : at] != "  "):
                    return None  # black's spacing of inline comments: its turn
                if line[at + 1 : at + 2] not in ("", " "):
                    return None  # black would add a space after the ``#``
                break
            if tok[0] == "'" or _PREFIX.search(line, 0, at):
                return None  # black prefers double quotes and lower-case prefixes
            if len(tok) == 3:
                inside, pos = tok, m.end()
                continue
            end = _find_close(line, m.end(), tok)
            if end < 0:
                return None  # an unterminated one-line string
            if "\\'" in line[at:end] or '\\"' in line[at + 1 : end - 1]:
                return None  # black may swap quotes to drop escapes
            pos = end
    return None if inside is not None else result


def _find_close(line: str, pos: int, quote: str) -> int:
    while True:
        i = line.find(quote, pos)
        if i < 0:
            return -1
        backslashes = len(line[:i]) - len(line[:i].rstrip("\\"))
        if backslashes % 2 == 0:
            return i + len(quote)
        pos = i + 1


# -- splitting one long line -----------------------------------------------------


def _tokens(text: str) -> list[tuple[str, str]] | None:
    found = _scan(text)
    return None if found is None else list(found)


@lru_cache(maxsize=4096)
def _scan(text: str) -> tuple[tuple[str, str], ...] | None:
    # Generated code repeats many lines (parameters, options): scan each once.
    parts = _DELIMITER.split(text)
    found: list[tuple[str, str]] = []
    for n, part in enumerate(parts):
        if n % 2:
            found.append((_KIND.get(part, "str"), part))
        elif part:
            if '"' in part or "'" in part:
                return None  # an unterminated string
            found.append(("other", part))
    return tuple(found)


def _split(text: str, indent: int) -> list[str] | None:
    """black's right-hand split of one logical line, recursively."""
    pad = " " * indent
    if _fits_as_is(text, indent):
        return [pad + text]
    if "\\" in text.replace('\\"', "").replace("\\\\", "") and '"' not in text:
        return None
    tokens = _tokens(text)
    if tokens is None or not tokens:
        return None
    if text.startswith("from ") and " import " in text:
        return _import(text, pad)
    if len(pad) + len(text) <= LIMIT and not _magic_comma(tokens):
        return [pad + text]
    if _conditional(tokens):
        return None  # black parenthesizes a split ``a if b else c``: its turn
    lhs, value = _statement_value(text, tokens)
    if value is not None and _needs_parens(value):
        # black wraps a too-long right-hand side in parentheses of its own.
        body = _body_lines(text[len(lhs) :].strip(), indent + 4, explode=False)
        if body is None:
            return None
        return [f"{pad}{lhs.rstrip()} (", *body, f"{pad})"]
    hint = _long_type_hint(text, lhs, value, indent)
    if hint is not None:
        return hint
    # The last closing bracket, its opening one, and what lies around them.
    close = len(tokens) - 1
    while close >= 0 and tokens[close][0] != "close":
        close -= 1
    if close < 0:
        return _unbracketed(text, tokens, pad)
    tail = "".join(v for _, v in tokens[close:])
    if tail.strip(",:") != tokens[close][1] or tail.endswith(":"):
        return None  # e.g. ``x[0]()`` trailers or a block header: not ours
    depth, open_ = 0, close
    while open_ >= 0:
        kind = tokens[open_][0]
        depth += kind == "close"
        depth -= kind == "open"
        if depth == 0:
            break
        open_ -= 1
    head_tokens, body_tokens = tokens[: open_ + 1], tokens[open_ + 1 : close]
    head = "".join(v for _, v in head_tokens)
    if not body_tokens or len(pad) + len(head) > LIMIT:
        return None
    # Delimiters before the bracket: black would split there instead.
    before = (_tokens(head[len(lhs) :].removeprefix("| ")) or [])[:-1]
    if _depth_zero(before, "bar") or _depth_zero(before, "comma"):
        return None
    inner = "".join(v for _, v in body_tokens).strip()
    # A literal (not a call or subscript) with commas is always one item a line.
    literal = len(head) < 2 or not (head[-2].isalnum() or head[-2] in "_)]")
    lines = _body_lines(
        inner,
        indent + 4,
        explode=head.startswith("from ") or literal,
        one_tuple=head.endswith("("),
    )
    if lines is None:
        return None
    tail_lines = _split(tail, indent)
    if tail_lines is None:
        return None
    return [pad + head, *lines, *tail_lines]


def _fits_as_is(text: str, indent: int) -> bool:
    """What ``_split`` keeps as it is, told without tokens: a short line with no
    string, backslash, import or trailing comma before a closing bracket."""
    return (
        0 < len(text) <= LIMIT - indent
        and '"' not in text
        and "'" not in text
        and "\\" not in text
        and not text.startswith("from ")
        and ",)" not in text
        and ",]" not in text
        and ",}" not in text
    )


_HEADER = re.compile(r"(?:if|elif|while) \(")
# Words black splits a condition at, or that would make it split elsewhere first
# (commas, ``x if y else z``, comprehensions, lambdas, walrus, ``not`` chains).
_LOGIC = re.compile(r"\b(and|or)\b")
_HIGHER = re.compile(r"\b(?:if|else|for|async|lambda|not)\b|:=")


def _split_condition(text: str, indent: int) -> list[str] | None:
    """``if (a and b and c):`` too long for a line: black's parentheses, then one
    operand a line, each ``and``/``or`` leading its line. Only plain chains of
    two or more operators with short operands; anything else is black's."""
    tokens = _tokens(text)
    if tokens is None:
        return None
    pad = " " * indent
    if tokens[1] != ("open", "(") or tokens[-1] != ("other", ":"):
        return None
    depth = 0
    for k, _ in tokens[1:-2]:
        depth += (k == "open") - (k == "close")
        if depth == 0:
            return None  # the parentheses do not hold the whole condition
    keyword, inner = text[:-2].split(" (", 1)
    if len(pad) + len(keyword) + len(inner) + 2 <= LIMIT:
        return None  # black drops the redundant parentheses
    inner_tokens = _tokens(inner)
    if inner_tokens is None or _magic_comma(inner_tokens):
        return None
    if any(k in ("comma", "str") for k, _ in inner_tokens):
        return None
    if any(k == "other" and _HIGHER.search(v) for k, v in inner_tokens):
        return None
    # Only operators outside nested brackets count; none may hide inside them.
    words: list[str] = []
    cuts = [0]
    depth, pos = 0, 0
    for k, v in inner_tokens:
        if k == "other":
            for m in _LOGIC.finditer(v):
                if depth:
                    return None
                words.append(m.group())
                cuts.append(pos + m.start())
        depth += (k == "open") - (k == "close")
        pos += len(v)
    if len(words) < 2 or len(pad) + 4 + len(inner) <= LIMIT:
        return None  # one operator, or the body fits on a line: other rules
    cuts.append(len(inner))
    operands = [inner[a:b].strip() for a, b in pairwise(cuts)]
    body = [pad + "    " + operands[0]]
    for word, operand in zip(words, operands[1:], strict=True):
        rest = operand.removeprefix(word)
        if not rest.startswith(" ") or rest[1:] != rest[1:].strip():
            return None
        body.append(f"{pad}    {word}{rest}")
    if any(len(line) > LIMIT or not line.split() for line in body):
        return None
    return [f"{pad}{keyword} (", *body, f"{pad}):"]


_STR = r"""[rRbBuUfF]{0,2}(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_ATOM = re.compile(rf"(?:\w+=|{_STR}: )?(?:[\w.]+|{_STR}),?")


def _unbracketed(
    text: str, tokens: list[tuple[str, str]], pad: str
) -> list[str] | None:
    """A long line without brackets: one atom stays as it is (black cannot split
    it); ``x = a.b`` gets its value in black's parentheses."""
    if _ATOM.fullmatch(text):
        return [pad + text]
    if len(tokens) == 1 and text.count(" = ") == 1:
        lhs, value = text.split(" = ")
        if re.fullmatch(r"[\w.]+", value) and "," not in lhs:
            lines = [f"{pad}{lhs} = (", f"{pad}    {value}", f"{pad})"]
            if all(len(line) <= LIMIT for line in lines):
                return lines
    return None


def _body_lines(
    body: str, indent: int, *, explode: bool, one_tuple: bool = False
) -> list[str] | None:
    tokens = _tokens(body)
    if tokens is None:
        return None
    pad = " " * indent
    # An import or a literal: black adds the trailing comma, which explodes it.
    explode = explode and _depth_zero(tokens, "comma")
    if explode and not body.endswith(","):
        body += ","
        tokens.append(("comma", ","))
    magic = body.endswith(",") and (not one_tuple or _cut(tokens, "comma")[1:])
    if (
        not explode
        and not magic
        and len(pad) + len(body) <= LIMIT
        and not _magic_comma(tokens)
    ):
        return [pad + body]
    for kind in ("comma", "bar"):
        parts = _cut(tokens, kind)
        if len(parts) > 1 or (kind == "comma" and body.endswith(",")):
            break
    else:
        return _split(body, indent)
    out: list[str] = []
    for n, part in enumerate(parts):
        if kind == "comma":
            piece = part.strip() + ","
        else:
            piece = ("| " if n else "") + part.strip()
        sub = _split(piece, indent)
        if sub is None:
            return None
        out.extend(sub)
    return out


def _cut(tokens: list[tuple[str, str]], kind: str) -> list[str]:
    parts: list[str] = [""]
    depth = 0
    for k, v in tokens:
        depth += (k == "open") - (k == "close")
        if depth == 0 and k == kind:
            parts.append("")
        else:
            parts[-1] += v
    if not parts[-1].strip():
        parts.pop()
    return parts


def _depth_zero(tokens: list[tuple[str, str]], kind: str) -> bool:
    depth = 0
    for k, _ in tokens:
        depth += (k == "open") - (k == "close")
        if depth == 0 and k == kind:
            return True
    return False


def _conditional(tokens: list[tuple[str, str]]) -> bool:
    """Whether a conditional expression stands outside every bracket."""
    depth, words = 0, []
    for k, v in tokens:
        depth += (k == "open") - (k == "close")
        if depth == 0 and k == "other":
            words += v.split()
    return "if" in words and "else" in words


def _magic_comma(tokens: list[tuple[str, str]]) -> bool:
    """A comma right before a closing bracket explodes that bracket (black's magic
    trailing comma), except in a one-element tuple or subscript."""
    for i in range(1, len(tokens)):
        if tokens[i][0] != "close" or tokens[i - 1][0] != "comma":
            continue
        j, depth, commas = i - 1, 0, 0
        while j >= 0:
            k = tokens[j][0]
            depth += (k == "close") - (k == "open")
            if depth < 0:
                break
            commas += depth == 0 and k == "comma"
            j -= 1
        one_tuple = tokens[i][1] == ")" and commas == 1
        before = tokens[j - 1] if j > 0 else ("", "")
        subscript = tokens[i][1] == "]" and (
            before[0] == "close" or before[1][-1:].isalnum() or before[1][-1:] == "_"
        )
        if not one_tuple and not (subscript and commas == 1):
            return True
    return False


_ANNOTATED = re.compile(r"(\w+): (.+?)(?: = ([\w.]+|-?\d[\d.]*|\"[^\"]*\"))?(,?)")


def _long_type_hint(
    text: str, lhs: str, value: list[tuple[str, str]] | None, indent: int
) -> list[str] | None:
    """``name: A | B = default`` or ``name: "A | B"``: black puts a long hint in
    parentheses."""
    m = _ANNOTATED.fullmatch(text)
    if m is None or " = " in m.group(2):
        return None
    pad = " " * indent
    if m.group(3) and not m.group(4):
        # A statement: black first tries the value alone in parentheses.
        head = f"{pad}{m.group(1)}: {m.group(2)} = ("
        if len(head) <= LIMIT:
            inner = f"{pad}    {m.group(3)}"
            return [head, inner, f"{pad})"] if len(inner) <= LIMIT else None
    hint = _tokens(m.group(2))
    # A quoted (forward-reference) hint is one string: black wraps it alone.
    quoted = hint is not None and len(hint) == 1 and hint[0][0] == "str"
    if hint is None or not (_depth_zero(hint, "bar") or (quoted and not m.group(3))):
        return None
    body = _body_lines(m.group(2), indent + 4, explode=False)
    if body is None or (quoted and len(body[0]) > LIMIT):
        return None  # a string too long even alone: black's choice, not ours
    end = f"{pad}) = {m.group(3)}" if m.group(3) else f"{pad})"
    end += m.group(4)
    lines = [f"{pad}{m.group(1)}: (", *body, end]
    return lines if len(end) <= LIMIT else None


def _statement_value(
    text: str, tokens: list[tuple[str, str]]
) -> tuple[str, list[tuple[str, str]] | None]:
    """``x = value`` or ``return value``: (text up to the value, its tokens);
    black puts such a value in parentheses of its own."""
    if text.startswith("return "):
        return "return ", _tokens(text[7:])
    if text.endswith(","):
        return "", None  # an item in brackets (a default value, not an assignment)
    depth, pos = 0, 0
    for k, v in tokens:
        if depth == 0 and k == "other" and " = " in v:
            at = pos + v.index(" = ") + 3
            return text[:at], _tokens(text[at:])
        depth += (k == "open") - (k == "close")
        pos += len(v)
    return "", None


def _needs_parens(value: list[tuple[str, str]]) -> bool:
    """black keeps its invisible parentheses round an assigned value with more than
    one top-level delimiter (``A | B | C``); a single call is split at its bracket."""
    return _depth_zero(value, "bar") or _depth_zero(value, "comma")
