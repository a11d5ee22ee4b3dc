"""The Textual user interface. Only this package imports Textual.

Layout, from the top down (each imports only what stands below it):

- ``app.py``: the app. It owns the open vault, the idle lock and the background index, satisfies
  ``context.SessionContext``, and turns navigation messages into pushed screens.
- ``screens/``: the full screens; the client screen holds ``tabs/``.
- ``tabs/``: the client screen's clinical tabs.
- ``dialogs/``: every modal dialog, each module with its ``.tcss`` beside it.
- ``widgets/``: widgets shared by the above.
- ``context.py`` (what a screen may ask of the app), ``messages.py`` (what it tells the app),
  ``labels.py``, ``measure_drafts.py``, ``services.py``, ``themes.py``: plain helpers.
- ``launch.py`` starts the app for the CLI; ``demo_vault.py`` makes the demo vault.
"""
