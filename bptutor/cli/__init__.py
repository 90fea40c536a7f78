"""The thin command line: options, language selection, the quiz loop; calls the
stages below and turns the one domain error type into a message and an exit code.

May import: every other subpackage (and typer, rich).
"""
