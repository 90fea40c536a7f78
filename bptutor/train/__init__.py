"""Training many steps fast: vectorised (forward and backward over a batch with
NumPy) and loop (`bptutor train`: steps, the loss per epoch, accuracy).

May import: bptutor.core, bptutor.errors, bptutor.i18n, bptutor.records (and numpy, lazily).
"""
