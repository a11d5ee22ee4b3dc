"""The client screen's clinical tabs, one module each (stages, formulation, measures, flags, letters).

Each tab is a widget built with the client id; it reads and writes through `self.repo` (the open
vault's Repository, via the screen) and reloads itself with `reload()` when shown.
"""
