import os

SCALE = float(os.environ.get("SEED_SCALE", "1"))


def s(seconds):
    """A wait of the seed, scaled for quick runs."""
    return seconds * SCALE
