"""The work after unlock gives way to the keyboard: the search index and the caseload's flag counts
are made one client at a time, only while the therapist is not typing, with the same results as in
one go, and the work ends when the vault is locked. Clocks here are fakes: nothing is timed."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from tui_support import SIZE, FakeMonotonic, make_app, make_vault, open_vault, unlock, wait_for

from sessionnotes import services
from sessionnotes.analysis.cache import AnalysisCache
from sessionnotes.tui.background import Pacer
from sessionnotes.tui.screens.caseload import CaseloadScreen
from sessionnotes.tui.screens.unlock import UnlockScreen
from sessionnotes.vault.repository import Repository


class Typist:
    """A fake clock on which sleeping moves time on, and a therapist who presses a key every
    ``gap`` seconds until ``stops_at``."""

    def __init__(self, gap: float, stops_at: float) -> None:
        self.now = 0.0
        self.gap, self.stops_at = gap, stops_at
        self.pacer = Pacer(quiet=0.25, monotonic=lambda: self.now, sleep=self.sleep)
        self.next_key = 0.0
        self.keys = 0
        self.last_key = 0.0
        self.type_due_keys()

    def type_due_keys(self) -> None:
        while self.next_key <= min(self.now, self.stops_at):
            self.pacer.input_seen()
            self.keys += 1
            self.last_key = self.now
            self.next_key += self.gap

    def sleep(self, seconds: float) -> None:
        # keys due while the worker sleeps are typed at their own time
        end = self.now + seconds
        while self.next_key <= min(end, self.stops_at):
            self.now = self.next_key
            self.type_due_keys()
        self.now = end


def test_no_chunk_runs_while_keys_keep_coming() -> None:
    typist = Typist(gap=0.07, stops_at=2.0)
    ran_at = []
    for _ in range(5):  # five clients' worth of work
        assert typist.pacer.turn(lambda: False)
        ran_at.append(typist.now)
        typist.now += 0.01  # the chunk itself
    assert typist.keys > 25, "the therapist typed for two seconds"
    assert typist.last_key > 1.9
    assert min(ran_at) >= typist.last_key + 0.25, "the first chunk ran only once the keyboard had been quiet"


def test_chunks_run_in_the_pauses_of_the_typing() -> None:
    typist = Typist(gap=1.0, stops_at=10.0)  # one key a second: pauses long enough to work in
    ran_at = []
    for _ in range(20):
        assert typist.pacer.turn(lambda: False)
        ran_at.append(typist.now)
        typist.now += 0.05
    assert ran_at[-1] < 10.0, "the work went on between the keys"
    for t in ran_at:
        last_key = (t // 1.0) * 1.0
        assert t - last_key >= 0.25, f"a chunk ran {t - last_key:.2f} s after a key"


def test_a_stop_ends_the_wait_even_while_typing() -> None:
    typist = Typist(gap=0.07, stops_at=100.0)
    calls = []

    def stop() -> bool:
        calls.append(typist.now)
        return len(calls) > 3  # the vault is locked while the therapist is still typing

    assert typist.pacer.turn(stop) is False
    assert typist.now < 1.0, "the lock is noticed within a few polls"


@pytest.fixture
def app_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    make_vault(tmp_path / "vault", clients=4)
    return tmp_path / "vault"


def _in_one_go(path: Path) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    vault = open_vault(path)
    with vault:
        repo = Repository(vault)
        kinds = services.caseload_flag_kinds(repo, cache=AnalysisCache())
        index = services.build_index(repo)
        found = sorted((h.doc.client_id, h.doc.ref) for h in index.search("fictional", limit=100))
    return kinds, found


def test_paced_build_gives_the_same_index_and_flags_as_one_go(app_path: Path) -> None:
    kinds, found = _in_one_go(app_path)
    vault = open_vault(app_path)
    with vault:
        repo = Repository(vault)
        typist = Typist(gap=0.07, stops_at=1.0)
        go = typist.pacer.stopper(lambda: False)
        index = services.build_index(repo, stop=go)
        paced = services.caseload_flag_kinds(repo, cache=AnalysisCache(), stop=go)
        assert sorted((h.doc.client_id, h.doc.ref) for h in index.search("fictional", limit=100)) == found
    assert paced == kinds and len(found) == 10


def test_a_stopped_build_ends_at_the_next_client(app_path: Path) -> None:
    vault = open_vault(app_path)
    with vault:
        repo = Repository(vault)
        asked = []
        index = services.build_index(repo, stop=lambda: asked.append(1) or len(asked) > 2)
        assert len(asked) == 3 and len(index.stamps()) == 2, "two clients indexed, then it stopped"


async def test_after_unlock_the_work_waits_for_the_typing_to_pause(app_path: Path) -> None:
    kinds, _ = _in_one_go(app_path)
    clock = FakeMonotonic()  # moves only when the test says: the therapist is "still typing"
    app = make_app(app_path, pacer=Pacer(quiet=0.25, monotonic=clock))
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        await pilot.press(*"wren")
        await pilot.pause(0.3)
        assert app.search_index is None and app.flag_counts == {}, "nothing ran while keys were coming"
        assert app.screen.query_one("#filter").value == "wren"

        clock.advance(0.3)  # the keyboard is quiet now
        await wait_for(pilot, lambda: len(app.flag_counts) == 4, what="the flag counts")
        assert app.search_index is not None
        assert app.flag_counts == {cid: len(k) for cid, k in kinds.items()}, "the same counts as in one go"


async def test_locking_while_typing_ends_the_work(app_path: Path) -> None:
    clock = FakeMonotonic()
    app = make_app(app_path, pacer=Pacer(quiet=0.25, monotonic=clock))
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        workers = [w for w in app.workers if w.group == "search-index"]
        assert workers and not workers[0].is_finished, "the work is waiting for a pause in the typing"
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), what="the lock")
        await wait_for(pilot, lambda: workers[0].is_finished, what="the background work to end")
        clock.advance(10)
        await pilot.pause(0.2)
        assert app.search_index is None and app.flag_counts == {}, "nothing from the old pass arrives after the lock"


async def test_what_unlock_loaded_is_set_aside_from_full_collections_until_the_lock(app_path: Path) -> None:
    app = make_app(app_path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: len(app.flag_counts) == 4, what="the flag counts")
        assert gc.get_freeze_count() > 0, "the records, index and screens are left out of full collections"
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), what="the lock")
        assert gc.get_freeze_count() == 0, "on lock everything is collected normally again"
