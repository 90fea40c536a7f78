"""Files to Scenario, every error located at file, line, column and field path.

yamltree (the located-YAML toolkit every reader shares: safe file reading with size
checks, the composing SafeLoader, the located tree and its Context, field paths),
fields (checks of one field), sections (title, rates, rounding, conventions: shared by
both layered forms), scenario (layered scenario files), compact (the `shape:` form),
custom (custom activations and losses), samples (samples, CSV files, training and
optimizer sections), arrays (samples from a NumPy .npz archive, numpy imported inside),
document (expression scenarios, and either kind by file),
datasets (the 2-D toy data sets), builtin (the scenarios that ship with bptutor).
Within it: yamltree < fields < sections < the section readers < scenario < document.

May import: bptutor.core, bptutor.errors, bptutor.i18n, bptutor.records (and yaml; numpy inside functions).
"""
