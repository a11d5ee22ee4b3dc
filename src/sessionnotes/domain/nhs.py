"""NHS numbers: normalising, checking and formatting.

An NHS number is ten digits; the tenth is a modulus-11 check digit over the first nine. Numbers
beginning 999 are reserved by NHS England for testing and are never issued to patients, which
makes them safe for demo and test data.
"""

from __future__ import annotations

import random

__all__ = [
    "format_nhs_number",
    "is_valid_nhs_number",
    "make_fictional_nhs_number",
    "nhs_check_digit",
    "normalise_nhs_number",
]

_SEPARATORS = str.maketrans("", "", " -\t")


def normalise_nhs_number(s: str) -> str:
    """Strip spaces and hyphens and return the ten digits.

    Raises ``ValueError`` with a readable message when what remains is not exactly ten digits.
    The check digit is not tested here; use :func:`is_valid_nhs_number` for that.
    """
    if not isinstance(s, str):
        raise ValueError(f"An NHS number must be text, not {type(s).__name__}.")
    digits = s.translate(_SEPARATORS)
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"An NHS number has exactly 10 digits (spaces and hyphens allowed); got {s!r}.")
    return digits


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or ``None`` if no valid number can end them.

    Weights 10 down to 2 multiply the digits; the check digit is 11 minus the remainder of the
    sum divided by 11, with 11 becoming 0. A result of 10 means the nine digits are never used.
    """
    if len(first_nine) != 9 or not (first_nine.isascii() and first_nine.isdigit()):
        raise ValueError(f"Expected nine digits, got {first_nine!r}.")
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(s: str) -> bool:
    """True when ``s`` is ten digits (spaces/hyphens allowed) with a correct check digit."""
    try:
        digits = normalise_nhs_number(s)
    except ValueError:
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def format_nhs_number(s: str) -> str:
    """Format an NHS number the way it is usually written: ``"999 123 4567"`` (3-3-4)."""
    digits = normalise_nhs_number(s)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def make_fictional_nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 test range, obviously fictional, for demo vaults and tests."""
    while True:
        first_nine = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)
