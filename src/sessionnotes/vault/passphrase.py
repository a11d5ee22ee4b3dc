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


# Published example passphrases and famous phrases: the first things an attacker tries, though
# zxcvbn rates several of them strong. Compared after folding case, look-alike digits and symbols
# and separators away, so "C0rrect-Horse_Battery staple!" is caught too.
KNOWN_PHRASES = (
    "correct horse battery staple",
    "troubador",
    "the quick brown fox jumps over the lazy dog",
    "lorem ipsum dolor sit amet",
    "to be or not to be",
    "may the force be with you",
    "mary had a little lamb",
    "all work and no play",
    "four score and seven years ago",
    "i think therefore i am",
    "hello world",
    "open sesame",
    "let me in",
    "keep calm and carry on",
)
APP_WORDS = ("sessionnotes", "session notes", "vault", "therapy notes", "passphrase", "password")
_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"})


def _fold(text: str) -> str:
    return "".join(ch for ch in text.lower().translate(_LEET) if ch.isalpha())


def _known_phrase(passphrase: str, extra: tuple[str, ...]) -> str | None:
    """The well-known phrase (or user input) the passphrase is made of, with little added."""
    folded = _fold(passphrase)
    for phrase in (*KNOWN_PHRASES, *extra):
        core = _fold(phrase)
        if (len(core) >= 5 and core in folded and len(folded) - len(core) < 8) or (len(folded) >= 10 and folded in core):
            return phrase
    return None


def strength(passphrase: str, user_inputs: tuple[str, ...] = ()) -> tuple[bool, str]:
    """(acceptable, reason). The reason is a human sentence fragment when not acceptable.

    `user_inputs`: words an attacker would try for this user (the vault folder's name, the
    user's name when known); the app's own name is always added."""
    if len(passphrase) > MAX_LENGTH:
        return False, f"it is longer than {MAX_LENGTH} characters"
    if len(passphrase) < 12:
        return False, "it is shorter than 12 characters"
    inputs = tuple(u for u in (*APP_WORDS, *user_inputs) if u and u.strip())
    known = _known_phrase(passphrase, inputs)
    if known is not None:
        return False, (
            f"it is built on '{known}', a published example or a word tied to you or this app, which "
            "is among the first guesses tried. Use several random words that mean nothing together."
        )
    from zxcvbn import zxcvbn

    words = [w for u in inputs for w in (u, *u.split())]
    result = zxcvbn(passphrase[:100], user_inputs=words)
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
