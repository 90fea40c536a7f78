"""The model and its numbers: the validated Scenario, the one table of operations,
exact and float arithmetic, the computational graph, the tracer that records every
chain-rule factor, optimizers and the training schedule.

May import: bptutor.errors, bptutor.i18n. Nothing above it (no loading, derive, teach,
train, render, handout or cli), and no third-party library at import time
(sympy and numpy only inside the functions that need them).
"""
