"""The release path, as a therapist gets the app: a wheel built from the source tree, installed
(not editable) into a fresh virtual environment, must hold every module and data file, import
every module, answer ``--version``, and open a client's screen and each of its tabs headlessly.

This is slow (a build and an install, about a minute) and needs the package index, as CI has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

import sessionnotes

REPO = Path(__file__).resolve().parents[1]
SOURCE_PACKAGE = REPO / "src" / "sessionnotes"
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "*.pyc",
)

OPEN_EVERY_TAB = textwrap.dedent(
    """
    import asyncio, datetime as dt, importlib, pkgutil, sys
    from pathlib import Path

    import sessionnotes
    assert Path(sessionnotes.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()), sessionnotes.__file__
    for info in pkgutil.walk_packages(sessionnotes.__path__, "sessionnotes."):
        if not info.name.endswith(".__main__"):  # that one runs the app when imported
            importlib.import_module(info.name)

    from sessionnotes.domain.models import Attendance, Client, Session
    from sessionnotes.tui.app import SessionNotesApp
    from sessionnotes.tui.screens.client import ClientScreen
    from sessionnotes.tui.services import VaultOpener
    from sessionnotes.vault import Vault
    from sessionnotes.vault.crypto import KdfLimits, new_params
    from sessionnotes.vault.repository import Repository

    PASS = "Tangerine-Orbit-Velvet-Canyon-1987"
    limits = KdfLimits(min_memory_kib=8, min_iterations=1)
    cheap = lambda: new_params(memory_kib=1024, iterations=1, lanes=1)
    now = lambda: dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
    path = Path(sys.argv[1])
    vault, _ = Vault.create(path, PASS, params=cheap(), limits=limits)
    with vault:
        repo = Repository(vault, clock=now)
        cid = repo.add_client(Client(name="Juniper Testwell", pseudonym="Client J", referral_date=dt.date(2025, 9, 1)))
        repo.add_session(cid, Session(date=dt.date(2025, 10, 6), attendance=Attendance.ATTENDED, stage="meeting",
                                      note="Fictional note: she spoke about her aching back."))

    async def wait(pilot, condition, what):  # generous: a loaded CI machine is slow, never wrong
        for _ in range(3000):
            if condition():
                return
            await pilot.pause(0.02)
        raise AssertionError("timed out waiting for " + what)

    async def main():
        app = SessionNotesApp(path, vault_opener=VaultOpener(limits=limits, params_factory=cheap, clock=now), clock=now,
                              theme="sessionnotes-calm", cursor_blink=False, user_themes=path.parent / "none")
        async with app.run_test(size=(120, 36)) as pilot:
            await wait(pilot, lambda: app.screen.query("#passphrase"), "the passphrase prompt")
            app.screen.query_one("#passphrase").focus()
            await pilot.press(*PASS, "enter")
            await wait(pilot, lambda: app.repo is not None and app.screen.query("DataTable"), "the caseload")
            await pilot.press("enter")
            await wait(pilot, lambda: isinstance(app.screen, ClientScreen), "the client screen")
            tabs = app.screen.query_one("#client-tabs")
            seen = []
            for pane in app.screen.query("TabPane"):  # every tab shown in turn (the keys are Pilot-tested elsewhere)
                tabs.active = pane.id
                await wait(pilot, lambda: pane.display and pane.region.height > 0, "the " + str(pane.id) + " tab")
                seen.append(tabs.active)
            print("TABS", " ".join(seen))

    asyncio.run(main())
    """
)


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args[:3]} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _package_files(package: Path) -> set[str]:
    """Every file of the package, modules and data, relative to it (the link to themes/ followed)."""
    found = set()
    for root, dirs, files in os.walk(package, followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found.update((Path(root) / name).relative_to(package).as_posix() for name in files if not name.endswith(".pyc"))
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("release")
    tree = work / "tree"
    shutil.copytree(REPO, tree, symlinks=True, ignore=NOT_SOURCE)
    out = work / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", out, tree, cwd=work)
    (built,) = out.glob("sessionnotes-*.whl")
    return built


def test_the_wheel_holds_every_module_and_data_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    shipped = {n.removeprefix("sessionnotes/") for n in names if n.startswith("sessionnotes/")}
    source = _package_files(SOURCE_PACKAGE)
    assert any(n.endswith(".tcss") for n in source) and any(n.endswith(".ttf") for n in source)
    assert source - shipped == set(), "files of the package the wheel leaves out"
    # the themes users see at the top of the repository are the ones the app ships
    assert {f"themes/{p.name}" for p in (REPO / "themes").glob("*.toml")} <= shipped


def test_a_fresh_install_of_the_wheel_runs_the_app(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel, cwd=tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HOME=str(tmp_path), TEXTUAL_ANIMATIONS="none")

    version = _run(env_dir / "bin" / "sessionnotes", "--version", cwd=tmp_path, env=env)
    assert version.strip() == f"sessionnotes {sessionnotes.__version__}"

    script = tmp_path / "open_every_tab.py"
    script.write_text(OPEN_EVERY_TAB, encoding="utf-8")
    out = _run(python, "-I", script, tmp_path / "vault", cwd=tmp_path, env=env, timeout=300)
    tabs = next(line for line in out.splitlines() if line.startswith("TABS")).split()[1:]
    assert len(set(tabs)) == 7, tabs
