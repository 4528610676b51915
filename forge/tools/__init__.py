"""Small command-line tools built on forge's packet code."""
