"""Edit the shoes in the configuration file in place, keeping the runner's comments and layout (``tomlkit``).

The edited text is checked with the same parser that reads it (:func:`stridewise.config.parse_config`) before it
is written, and it is written to a temporary file first, so a failed edit leaves the file as it was.
"""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Array, InlineTable, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from stridewise.atomic import write_atomic
from stridewise.config import SHOE_NOTICE_KM, SHOE_REPLACE_KM, Shoe, parse_config
from stridewise.errors import ConfigError

SHOES_KEY = "shoes"
LIMITS_KEY = "shoe_limits"
# A new config file is readable by others, like any file an editor would create (mkstemp alone gives 0600).
NEW_FILE_MODE = 0o644


def add_shoe(path: Path, shoe: Shoe) -> None:
    """Append ``shoe`` as a ``[[shoes]]`` table, creating the file (and its folder) if missing.

    ``notice_km``/``replace_km`` are written only where they differ from the file's defaults (``[shoe_limits]``,
    else EVIDENCE.md's 500/800 km), so a later change of ``[shoe_limits]`` still applies to the pair.
    """
    name = shoe.name.strip()
    if not name:
        raise ConfigError("a shoe needs a name")
    if shoe.replace_km <= shoe.notice_km:
        raise ConfigError(f"shoe {name!r}: replace_km ({shoe.replace_km:g}) must be above notice_km "
                          f"({shoe.notice_km:g})")
    document = _read(path)
    shoes = _shoe_tables(document, path)
    existing = next((_name(t) for t in shoes if _name(t).lower() == name.lower()), None)
    if existing is not None:
        raise ConfigError(f"{path}: a shoe named {existing!r} is already declared; choose another name, or edit "
                          f"or retire the existing one (`stridewise shoes retire {existing!r}`)")
    notice_default, replace_default = limit_defaults(path)
    values: dict[str, Any] = {"name": name}
    if shoe.first_use is not None:
        values["first_use"] = shoe.first_use
    if shoe.retire is not None:
        values["retire"] = shoe.retire
    if shoe.initial_km:
        values["initial_km"] = _number(shoe.initial_km)
    if shoe.notice_km != notice_default:
        values["notice_km"] = _number(shoe.notice_km)
    if shoe.replace_km != replace_default:
        values["replace_km"] = _number(shoe.replace_km)
    if shoe.default_for:
        values["default_for"] = list(shoe.default_for)
    container = document.get(SHOES_KEY)
    if isinstance(container, Array):  # shoes = [{ name = "..." }, ...]: keep the inline style
        inline = tomlkit.inline_table()
        inline.update(values)
        container.append(inline)
    else:
        table = tomlkit.table()
        table.update(values)
        if isinstance(container, AoT):
            if container.body and _ends_with_blank(container.body[-1]):
                table.add(tomlkit.nl())  # keep the blank line the pair before had, before what follows
            elif container.body:
                container.body[-1].add(tomlkit.nl())  # one blank line between the pairs
            container.append(table)
        else:
            if document.body:
                document.add(tomlkit.nl())
            document.append(SHOES_KEY, tomlkit.aot())
            document[SHOES_KEY].append(table)
    _write(path, document)


def retire_shoe(path: Path, name: str, on: date) -> None:
    """Set ``retire = on`` on the shoe called ``name`` (case-insensitive) in the file."""
    document = _read(path) if path.is_file() else None
    shoes = _shoe_tables(document, path) if document is not None else []
    match = next((t for t in shoes if _name(t).lower() == name.strip().lower()), None)
    if document is None or match is None:
        known = ", ".join(repr(_name(t)) for t in shoes) or "none"
        raise ConfigError(f"{path}: no shoe named {name!r} (declared: {known}); run `stridewise shoes add "
                          f"{name!r}` to declare it")
    first_use = match.get("first_use")
    if isinstance(first_use, date) and on < first_use:
        raise ConfigError(f"{path}: shoe {name!r} cannot retire on {on.isoformat()}, before its first_use "
                          f"{first_use.isoformat()}; give a later --on date")
    if "retire" in match or isinstance(match, InlineTable):
        match["retire"] = on
    else:
        _append_before_blank_lines(match, "retire", on)
    _write(path, document)


def limit_defaults(path: Path) -> tuple[float, float]:
    """(notice_km, replace_km) a shoe without its own limits gets from the file: ``[shoe_limits]`` or 500/800."""
    document = _read(path) if path.is_file() else TOMLDocument()
    limits = document.get(LIMITS_KEY, {})
    if not isinstance(limits, dict):
        return SHOE_NOTICE_KM, SHOE_REPLACE_KM
    notice, replace = limits.get("notice_km", SHOE_NOTICE_KM), limits.get("replace_km", SHOE_REPLACE_KM)
    valid = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (notice, replace))
    return (float(notice), float(replace)) if valid else (SHOE_NOTICE_KM, SHOE_REPLACE_KM)


def _read(path: Path) -> TOMLDocument:
    if not path.exists():
        return TOMLDocument()
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    except tomlkit.exceptions.TOMLKitError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix that line, or move the file away to start a new "
                          "one") from exc


def _shoe_tables(document: TOMLDocument, path: Path) -> list[Table | InlineTable]:
    container = document.get(SHOES_KEY)
    if container is None:
        return []
    items = container.body if isinstance(container, AoT) else container if isinstance(container, Array) else None
    if items is None or not all(isinstance(t, Table | InlineTable) for t in items):
        raise ConfigError(f"{path}: {SHOES_KEY} must be a list of tables ([[{SHOES_KEY}]]); fix it by hand first")
    return list(items)


def _name(table: Table | InlineTable) -> str:
    return str(table.get("name", "")).strip()


def _ends_with_blank(table: Table) -> bool:
    body = table.value.body
    return bool(body) and isinstance(body[-1][1], Whitespace)


def _append_before_blank_lines(table: Table, key: str, value: object) -> None:
    """Add ``key = value`` after the table's last line, not after the blank lines that separate it from the next."""
    body = table.value.body
    trailing: list[Whitespace] = []
    while body and body[-1][0] is None and isinstance(blank := body[-1][1], Whitespace):
        trailing.insert(0, blank)
        body.pop()
    table.append(key, value)
    for blank in trailing:
        table.add(blank)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _write(path: Path, document: TOMLDocument) -> None:
    text = tomlkit.dumps(document)
    parse_config(tomlkit.parse(text).unwrap(), path)  # never write a file that stridewise would refuse to read
    target = path.resolve()  # a symlinked config stays a symlink
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else NEW_FILE_MODE
    write_atomic(target, text.encode("utf-8"), mode=mode)
