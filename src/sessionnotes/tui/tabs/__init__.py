"""The client screen's clinical tabs, one module each (stages, formulation, measures, flags, letters).

Each tab is a widget built with the client id; it reads and writes through `self.repo` (the open
vault's Repository, from the app's context) and reloads itself with `reload()` when shown. A tab
opens its dialogs itself and asks for other screens with the messages in ``messages.py``.
"""
