"""Documents: document (the worked solution as a document tree), formats (its
Markdown, LaTeX and HTML printers), outputs (the table of output formats), maths
(formulas as LaTeX or MathML), figure (the network drawn as SVG or TikZ), browser
(HTML to PDF through headless Chromium) and moodle (Moodle XML and GIFT question banks).

May import: bptutor.core, bptutor.derive, bptutor.teach, bptutor.render, bptutor.errors,
bptutor.i18n (and sympy, lazily).
"""
