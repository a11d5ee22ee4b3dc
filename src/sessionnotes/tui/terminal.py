"""Reading keys from the terminal: Escape followed by a character is read at once, as alt+character.

A terminal sends Escape as the one byte ESC, and alt+b (option+b) as ESC then "b". Textual's reader
cannot tell the two apart by their bytes, so after an ESC it waits for more (up to ``ESCDELAY``,
100 ms) and then, on that path, gets two things wrong that lose what the therapist typed:

- ESC "b" and ESC "f" are read as ctrl+left and ctrl+right (an iTerm editing preset), so Escape then
  "b" typed quickly on the caseload neither cleared the filter nor typed the "b";
- after ESC, every character that follows within 100 ms of the one before is added to the same
  guess, up to 32; then the whole run is given up as text, with the Escape turned into "^": Escape
  then fast typing put "^" and the words in a field.

``KeyParser`` reads ESC and one printable character that does not begin a control sequence as
alt+character straight away (what Textual itself does once it stops waiting). What alt+letter means
is then the app's decision (``keys.escape_then_key`` and ``keys.word_motion``): on the caseload it is
Escape and the letter; in an editor, option+b and option+f keep moving by word.

Textual creates its reader inside the driver's input thread, by the name its driver module imports;
``KeyDriver`` is the POSIX driver with that name pointing here (Textual is pinned: see pyproject).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser

ESC = "\x1b"
SEQUENCE_INTRODUCERS = frozenset("[O]P_^X")
"""What follows ESC at the start of a sequence a terminal sends (CSI, SS3, OSC, DCS, APC, PM, SOS):
after these the reader must go on reading."""
READ_AS_ALT = frozenset({ESC + "b", ESC + "f"})
"""ESC + character that Textual maps to another key; read as alt+character, as in every terminal."""


def is_alt_character(sequence: str) -> bool:
    """ESC then one printable character that is not the start of a longer sequence."""
    if len(sequence) != 2 or sequence[0] != ESC or not sequence[1].isprintable():
        return False
    if sequence in READ_AS_ALT:
        return True
    return sequence[1] not in SEQUENCE_INTRODUCERS and sequence not in ANSI_SEQUENCES_KEYS


class KeyParser(XTermParser):
    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if is_alt_character(sequence):
            return super()._sequence_to_key_events(sequence[1], alt=True)
        return super()._sequence_to_key_events(sequence, alt)


def driver_class() -> type | None:
    """The driver for this terminal: the POSIX one reading keys with ``KeyParser``; elsewhere
    (Windows) Textual's own choice (None)."""
    import sys

    if sys.platform == "win32":
        return None
    from textual.drivers import linux_driver

    class KeyDriver(linux_driver.LinuxDriver):
        def run_input_thread(self) -> None:
            linux_driver.XTermParser = KeyParser  # type: ignore[misc]  # the name the input thread reads
            super().run_input_thread()

    return KeyDriver
