"""The production secret key must be long and random: checked by estimated entropy, not only by length.

Plain Python (no Django import): the settings module calls it while Django is not configured yet.
"""

import math
from collections import Counter

MIN_LENGTH = 50
MIN_DISTINCT = 12
MIN_ENTROPY_BITS = 180
KNOWN_WEAK_PREFIXES = ("dev-", "test-", "django-insecure", "changeme", "secret")


def estimated_entropy_bits(value: str) -> float:
    """Shannon entropy of the key's own character distribution, times its length (an upper bound for weak keys)."""
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values()) * n


def secret_key_problem(value: str) -> str | None:
    """Why the key is too weak for production, or None when it is acceptable."""
    if len(value) < MIN_LENGTH:
        return f"it has {len(value)} characters; at least {MIN_LENGTH} are required"
    if value.lower().startswith(KNOWN_WEAK_PREFIXES):
        return "it starts like a development or placeholder key"
    distinct = len(set(value))
    if distinct < MIN_DISTINCT:
        return f"it uses only {distinct} distinct characters; at least {MIN_DISTINCT} are required"
    bits = estimated_entropy_bits(value)
    if bits < MIN_ENTROPY_BITS:
        return f"its estimated entropy is {bits:.0f} bits; at least {MIN_ENTROPY_BITS} are required"
    return None
