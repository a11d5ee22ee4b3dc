"""Starting the app loads only what the unlock screen needs; the rest is loaded after it is drawn.

How long a start takes is measured in ``benchmarks/run_all.py --only coldstart``; these tests check
the shape that makes it fast (which modules are loaded when), so a stray import cannot undo it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tui_support import SIZE, make_app, screen_text, wait_for

import sessionnotes.tui.app
from sessionnotes import cli
from sessionnotes.tui import warmup
from sessionnotes.tui.screens.unlock import UnlockScreen

HEAVY = [
    "cryptography",
    "tinydb",
    "zxcvbn",
    "markdown_it",
    "sessionnotes.vault.vault",
    "sessionnotes.vault.crypto",
    "sessionnotes.vault.repository",
    "sessionnotes.domain",
    "sessionnotes.analysis.search",
    "sessionnotes.analysis.flags",
    "sessionnotes.services",
    "sessionnotes.export",
    "sessionnotes.tui.screens.caseload",
    "sessionnotes.tui.screens.client",
    "sessionnotes.tui.screens.session_editor",
    "sessionnotes.tui.dialogs",
    "sessionnotes.tui.tabs",
]

_DRAW_UNLOCK_SCREEN = """
import asyncio, json, sys
from pathlib import Path
import sessionnotes.cli
from sessionnotes.tui.app import SessionNotesApp
import sessionnotes.tui.screens.unlock as unlock

unlock.UnlockScreen._prepare = lambda self, exists: None  # no warm-up: what the screen itself needs

async def main() -> None:
    app = SessionNotesApp(Path(sys.argv[1]), user_themes=Path(sys.argv[1]) / "no-themes")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        drawn = "passphrase" in " ".join(str(s.render()) for s in app.screen.query("Static"))
        print(json.dumps({"screen": type(app.screen).__name__, "drawn": drawn, "modules": sorted(sys.modules)}))

asyncio.run(main())
"""


def test_the_unlock_screen_is_drawn_without_the_vault_analysis_or_other_screens(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "vault.json").write_text("{}")  # present but not read before the screen is drawn
    out = subprocess.run(
        [sys.executable, "-c", _DRAW_UNLOCK_SCREEN, str(vault)], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["screen"] == "UnlockScreen" and result["drawn"]
    loaded = [name for name in HEAVY if name in result["modules"]]
    assert loaded == [], f"loaded before the unlock screen needs them: {loaded}"


def _lazy_imports_of_the_app() -> set[str]:
    """The modules ``app.py`` imports inside its functions (relative imports, resolved)."""
    path = Path(sessionnotes.tui.app.__file__)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.level:
                    base = "sessionnotes.tui".split(".")[: 2 - (inner.level - 1)]
                    module = ".".join(base + ([inner.module] if inner.module else []))
                    for alias in inner.names:
                        candidate = f"{module}.{alias.name}"
                        found.add(candidate if candidate.replace(".", "/") in _module_paths() else module)
    return found


def _module_paths() -> set[str]:
    src = Path(sessionnotes.tui.app.__file__).resolve().parents[2]
    return {str(p.relative_to(src).with_suffix("")) for p in src.rglob("*.py")}


def test_the_warm_up_loads_every_module_the_app_imports_later() -> None:
    lazy = _lazy_imports_of_the_app()
    assert "sessionnotes.tui.screens.caseload" in lazy and "sessionnotes.services" in lazy
    script = (
        "import sys, json\nimport sessionnotes.tui.app\nfrom sessionnotes.tui import warmup\n"
        "warmup.load()\nprint(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert sorted(lazy - loaded) == []
    assert set(warmup.MODULES) <= loaded


async def test_a_damaged_vault_file_is_reported_on_the_unlock_screen_and_typing_is_kept(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "vault.json").write_text("{ not json")
    app = make_app(vault)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), what="the unlock screen")
        screen = app.screen
        assert isinstance(screen, UnlockScreen) and not screen.creating  # a vault.json is there: unlock, never create
        await pilot.press(*"half typed")
        await wait_for(pilot, lambda: "-error" in screen.query_one("#status").classes, what="the error")
        assert "is damaged" in screen_text(app)
        assert screen.query_one("#passphrase").value == "half typed"


@pytest.mark.parametrize(
    "argv",
    [[], ["--demo"], ["--demo", "--reset"], ["--vault", "/tmp/v"], ["--vault=/tmp/v", "--passphrase-file", "p.txt"]],
)
def test_starting_the_app_parses_its_options_as_the_full_command_line_does(argv: list[str]) -> None:
    assert cli._starts_the_app(argv)
    assert cli.build_parser(verbs=False).parse_args(argv) == cli.build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [["client", "list"], ["--help"], ["--vault"], ["--vault", "v", "search", "pain"], ["--dem"]])
def test_any_verb_or_other_option_goes_through_the_full_command_line(argv: list[str]) -> None:
    assert not cli._starts_the_app(argv)
