"""Theme files (TOML) shipped with sessionnotes; this file lets them install as sessionnotes.themes."""
