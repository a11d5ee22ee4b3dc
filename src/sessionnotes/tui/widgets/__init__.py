"""Widgets shared by screens, tabs and dialogs: the record form, the findings list and underlining
text area, the idle-lock banner, the in-dialog error line, and the cursor-blink switch."""
