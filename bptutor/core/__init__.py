"""The model and its numbers, below every other stage.

scenario (the validated, frozen Scenario), ops (the one table of activations and
losses), arithmetic (floats, or decimals rounded as by hand), numbers (the one number
formatter), formula, graph (every named quantity and its equation), trace (forward,
backward with every chain-rule factor, update), optim and schedule (optimizers,
batches), resume (a training scenario taken up at step K), layered (layer-indexed
names), columns, summary (per-layer norms, rankings),
expression (the safe expression reader), custom (custom activations and losses),
circuit (expression programs as gates).

May import: bptutor.errors, bptutor.i18n, bptutor.records. Nothing above it (no loading, derive, teach,
train, render, handout or cli), and no third-party library at import time
(sympy and numpy only inside the functions that need them).
"""
