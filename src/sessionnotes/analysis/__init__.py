"""Analysis over domain objects (pure functions, no I/O, no Textual)."""
