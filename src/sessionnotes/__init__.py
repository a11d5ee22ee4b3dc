"""sessionnotes: session notes for therapists working with persistent physical symptoms."""

__version__ = "0.1.0"
