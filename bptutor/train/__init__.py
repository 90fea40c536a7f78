"""Training many steps fast: the vectorised NumPy path and the training loop.

May import: bptutor.core, bptutor.errors, bptutor.i18n (and numpy, lazily).
"""
