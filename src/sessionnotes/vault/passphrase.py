"""Passphrase strength (zxcvbn) and generated passphrases.

Policy: a passphrase protects years of special-category health data against offline guessing, so
we ask for zxcvbn's top score (4) and at least 10^12 estimated guesses; weak ones are refused
with zxcvbn's own reason and a generated passphrase is offered instead.
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from .errors import WeakPassphrase

MIN_SCORE = 4
MIN_GUESSES_LOG10 = 12.0
MAX_LENGTH = 1024


@lru_cache(maxsize=1)
def _wordlist() -> tuple[str, ...]:
    """Short, plain words (the EFF short list, minus any word unsuitable in a clinical setting)."""
    from importlib.resources import files

    text = (files("sessionnotes.vault") / "data" / "words.txt").read_text(encoding="utf-8")
    return tuple(w for w in (line.strip() for line in text.splitlines()) if w and not w.startswith("#"))


def generate_passphrase(words: int = 6) -> str:
    """Six random words joined by dashes (about 60 bits with this list; with Argon2id that is far
    beyond guessing), e.g. 'acorn-maple-river-...'."""
    wl = _wordlist()
    return "-".join(secrets.choice(wl) for _ in range(words))


def strength(passphrase: str, user_inputs: tuple[str, ...] = ()) -> tuple[bool, str]:
    """(acceptable, reason). The reason is a human sentence fragment when not acceptable."""
    if len(passphrase) > MAX_LENGTH:
        return False, f"it is longer than {MAX_LENGTH} characters"
    if len(passphrase) < 12:
        return False, "it is shorter than 12 characters"
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:100], user_inputs=list(user_inputs))
    if result["score"] >= MIN_SCORE and result["guesses_log10"] >= MIN_GUESSES_LOG10:
        return True, ""
    fb = result.get("feedback") or {}
    reason = fb.get("warning") or "it could be guessed by a computer in a short time"
    tips = " ".join(fb.get("suggestions") or [])
    return False, (reason.rstrip(".") + ". " + tips).strip()


def check_strength(passphrase: str, user_inputs: tuple[str, ...] = ()) -> None:
    ok, reason = strength(passphrase, user_inputs)
    if not ok:
        raise WeakPassphrase(reason, generate_passphrase())
