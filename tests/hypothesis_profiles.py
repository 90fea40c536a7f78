"""Hypothesis profiles for the suite. conftest.py loads `derandomized` before any test module is imported;
`python -m pytest --hypothesis-profile=random` (or `=long`) chooses another.

- derandomized (the default): every run draws the same examples (a seed taken from each test's own
  code), with no example database, so a run's result and time do not depend on earlier runs.
- random: fresh examples every run; a failing example is saved in .hypothesis/ and tried first next time.
- long: as random, with ten times the examples.

A test asks for its number of examples through `examples(n)`: n under the default and random
profiles, scaled by the profile's max_examples over Hypothesis's default of 100 under `long`.
"""

from __future__ import annotations

from hypothesis import settings

DEFAULT_PROFILE = "derandomized"
HYPOTHESIS_DEFAULT_EXAMPLES = 100

settings.register_profile(DEFAULT_PROFILE, derandomize=True, database=None)
settings.register_profile("random", derandomize=False, print_blob=True)
settings.register_profile("long", parent=settings.get_profile("random"), max_examples=10 * HYPOTHESIS_DEFAULT_EXAMPLES)


def examples(count: int) -> int:
    """`count` examples under the current profile (evaluated when the test module is imported)."""
    return max(1, count * settings.default.max_examples // HYPOTHESIS_DEFAULT_EXAMPLES)
