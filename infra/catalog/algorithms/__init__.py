"""One module per algorithm; each defines `ALGORITHM`, built from the facts file."""
