"""Documents: document (the worked solution as a document tree), selection (which parameters it derives
in full, the rest going into tables), formats (its Markdown, LaTeX and HTML printers), outputs (the table
of output formats), maths (formulas as LaTeX or MathML), texchars (any text spelled for TeX), figure (the
network drawn as SVG or TikZ), placement (where the figure's labels may go), browser (HTML to PDF through
headless Chromium) and moodle (Moodle XML and GIFT question banks).

May import: bptutor.core, bptutor.loading, bptutor.derive, bptutor.teach, bptutor.render, bptutor.errors,
bptutor.i18n, bptutor.records (and sympy and pylatexenc, lazily).
"""
