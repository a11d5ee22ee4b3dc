"""The modal dialogs, one module per dialog or small family, each with its stylesheet beside it.

Every dialog is a :class:`base.Dialog` (a ``ModalScreen``) that answers with ``dismiss(value)``;
Escape cancels. ``base.tcss`` holds the look they share. Dialogs never import the app, the screens
or the tabs: whoever opens one passes in what it needs and handles its answer.
"""
