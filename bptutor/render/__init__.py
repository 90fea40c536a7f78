"""Terminal and JSON views. Renderers format; they never compute.

style (Style and the table, cell and heading every view builds with), tables (the
tables of one traced step), run and steps (`bptutor run`, one sample or a batch),
explain, check, gradebook (a class's: terminal, CSV, JSON), circuit, summary, train,
graph and picture (the computational graph), json, braille (a text line plot) and
plot_png (matplotlib), terminal (what the output stream can show).

May import: bptutor.core, bptutor.derive, bptutor.teach, bptutor.train,
bptutor.errors, bptutor.i18n, bptutor.records (and rich; numpy and matplotlib lazily).
"""
