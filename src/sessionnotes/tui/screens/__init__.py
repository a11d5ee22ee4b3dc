"""The full screens: unlock, caseload, client (with its tabs), session editor, letter editor, search.

A screen reads the open vault through the app's context (``context.SessionContext``) and asks for
another screen by posting a message from ``messages.py``; the app decides what to push. Screens
never import the app module.
"""
