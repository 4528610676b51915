"""Read Kea's JSON dialect: `#`, `//` and `/* */` comments and `<?include "file"?>` directives."""

from __future__ import annotations

import json
import os
import re

from server.config.errors import ConfigError

_INCLUDE = re.compile(r'<\?include\s+"([^"]+)"\s*\?>')


def strip_comments(text: str) -> str:
    """Remove comments outside strings, and trailing commas before } and ] (Kea's parser accepts
    both); newlines are kept so JSON error positions stay right."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_string = False
            i += 1
            continue
        if c == '"':
            in_string = True
            out.append(c)
            i += 1
        elif c == "#" or text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise ConfigError("", "unterminated /* comment")
            out.append("\n" * text.count("\n", i, j))
            i = j + 2
        else:
            if c in "}]":
                j = len(out) - 1
                while j >= 0 and out[j].isspace():
                    j -= 1
                k = j - 1
                while k >= 0 and out[k].isspace():
                    k -= 1
                if j >= 0 and out[j] == "," and k >= 0 and out[k] not in "{[,":
                    out[j] = " "
            out.append(c)
            i += 1
    return "".join(out)


def _expand_includes(text: str, base_dir: str, depth: int) -> str:
    if depth > 10:
        raise ConfigError("", "includes nested more than 10 deep")

    def replace(match: re.Match) -> str:
        path = match.group(1)
        if not os.path.isabs(path):
            path = os.path.join(base_dir, path)
        try:
            with open(path, encoding="utf-8") as f:
                included = f.read()
        except OSError as exc:
            raise ConfigError("", f"cannot include {path}: {exc.strerror}") from None
        return _expand_includes(included, os.path.dirname(path), depth + 1)

    return _INCLUDE.sub(replace, text)


def parse_text(text: str, base_dir: str = ".") -> dict:
    text = strip_comments(_expand_includes(text, base_dir, 0))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError("", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    if not isinstance(doc, dict):
        raise ConfigError("", "the configuration must be a JSON object")
    return doc


def load_file(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise ConfigError("", f"cannot read {path}: {exc.strerror}") from None
    return parse_text(text, os.path.dirname(os.path.abspath(path)))
