"""Teaching on top of a traced run: grading a student's values and making exercises.

solution (WorkedSteps: the worked solution as named steps, recomputable from anyone's
numbers), answers (an answers file read into claims), grading (right at the precision
written, error carried forward), diagnose (the common mistakes, each recomputed),
check (grading and diagnosing together, for `bptutor check`), gradebook (a class
at once: every answers file graded and marked by a scheme, the common mistakes counted), generate (exercises with
nice numbers drawn from a seed).

May import: bptutor.core, bptutor.loading, bptutor.derive, bptutor.errors, bptutor.i18n, bptutor.records.
"""
