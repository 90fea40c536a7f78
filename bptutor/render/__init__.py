"""Terminal and JSON views: rich tables and text for run, explain, check, graph,
training and summaries. Renderers format; they never compute.

May import: bptutor.core, bptutor.derive, bptutor.teach, bptutor.train,
bptutor.errors, bptutor.i18n (and rich).
"""
