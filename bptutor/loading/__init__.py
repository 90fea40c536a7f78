"""Files to Scenario: YAML scenario files, the compact form, custom functions,
expression documents, built-in scenarios, sample generators and CSV samples, every
error located at file, line, column and field.

May import: bptutor.core, bptutor.errors, bptutor.i18n (and yaml).
"""
