"""Letters, supervision summaries and record export (no Textual)."""
