"""Teaching on top of a traced run: the worked solution as steps, answers files,
grading at the precision written, diagnoses of common mistakes, generated exercises.

May import: bptutor.core, bptutor.loading, bptutor.derive, bptutor.errors, bptutor.i18n.
"""
