"""Documents: the worked solution as a document tree, its printers (Markdown, LaTeX,
HTML, PDF through a browser), the network figure and Moodle/GIFT question banks.

May import: bptutor.core, bptutor.derive, bptutor.teach, bptutor.errors, bptutor.i18n.
"""
