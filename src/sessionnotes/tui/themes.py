"""Themes as data: TOML files shipped in ``sessionnotes.themes`` plus the user's own.

Textual has no loader for theme files, so this is a small one. A file that cannot be read or
describes an invalid theme is skipped and reported (once, by the app) rather than crashing.

A theme file looks like ``themes/sessionnotes-calm.toml``: ``name``, ``dark``, the colours Textual's
``Theme`` takes (``primary``, ``background``, ...) and an optional ``[variables]`` table.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

DEFAULT_THEME = "sessionnotes-calm"
BUILT_IN = Path(__file__).resolve().parents[1] / "themes"
"""The themes shipped with sessionnotes (the ``sessionnotes.themes`` package data)."""

_COLOURS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
_NUMBERS = ("luminosity_spread", "text_alpha")
_KNOWN = {"name", "dark", "variables", *_COLOURS, *_NUMBERS}


@dataclass
class ThemeLoad:
    """The themes that loaded and one sentence per file that did not."""

    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def user_theme_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("sessionnotes", appauthor=False)) / "themes"


def theme_from_toml(text: str, where: str) -> Theme:
    """Parse one theme file. Raises ValueError with a readable sentence."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{where} is not valid TOML ({e}).") from None
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise ValueError(f"{where} has unknown settings: {', '.join(unknown)}.")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f'{where} needs a name, e.g. name = "my-theme".')
    if "primary" not in data:
        raise ValueError(f'{where} needs a primary colour, e.g. primary = "#7FA7C9".')
    kwargs: dict[str, Any] = {"name": name.strip()}
    for key in _COLOURS:
        if key in data:
            kwargs[key] = _colour(data[key], f"{where}: {key}")
    if "dark" in data:
        if not isinstance(data["dark"], bool):
            raise ValueError(f"{where}: dark must be true or false.")
        kwargs["dark"] = data["dark"]
    for key in _NUMBERS:
        if key in data:
            if not isinstance(data[key], int | float) or isinstance(data[key], bool):
                raise ValueError(f"{where}: {key} must be a number.")
            kwargs[key] = float(data[key])
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError(f'{where}: [variables] must be a table of name = "value".')
    for key, value in variables.items():
        if not isinstance(value, str):
            raise ValueError(f"{where}: variable {key} must be text.")
    kwargs["variables"] = dict(variables)
    return Theme(**kwargs)


def _colour(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f'{what} must be a colour written like "#7FA7C9".')
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{what} is not a colour: {value!r}.") from None
    return value


def load_themes(user_dir: Path | None = None) -> ThemeLoad:
    """Packaged themes first, then the user's (a user theme with the same name wins)."""
    result = ThemeLoad()
    sources: list[tuple[str, str]] = []
    try:  # a folder beside this package's files (importlib.resources would add 5 ms to every start)
        for entry in sorted(BUILT_IN.glob("*.toml")):
            sources.append((entry.read_text(encoding="utf-8"), f"theme {entry.name}"))
    except OSError as e:  # a broken install: carry on with Textual's themes
        result.problems.append(f"The built-in themes could not be read ({e}).")
    if user_dir is not None and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.toml")):
            try:
                sources.append((path.read_text(encoding="utf-8"), str(path)))
            except (OSError, UnicodeDecodeError) as e:
                result.problems.append(f"{path} could not be read ({e}).")
    by_name: dict[str, Theme] = {}
    for text, where in sources:
        try:
            theme = theme_from_toml(text, where)
        except ValueError as e:
            result.problems.append(str(e))
            continue
        by_name[theme.name] = theme
    result.themes = list(by_name.values())
    return result
