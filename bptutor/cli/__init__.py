"""The thin command line: app (builds the app in a language), commands (each command
declared once, with its options), options (the shared options, their help in the app's
language), support (loading, printing, errors into exit codes), language (click's own
words in the app's language), quiz (the interactive quiz), completion (shell
completion: --show-completion, --install-completion), pipe (a closed pipe ends quietly
with exit 141). It calls the stages below
and turns the one domain error type into a message and an exit code.

May import: bptutor.api (and the package's lazy API), bptutor.handout, bptutor.render,
bptutor.train, bptutor.teach, bptutor.derive, bptutor.loading, bptutor.core,
bptutor.errors, bptutor.i18n, bptutor.records (and typer, click, rich).
"""
