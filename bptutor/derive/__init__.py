"""The symbolic side: sympy builds the same graph independently of the numeric
tracer and derives every chain-rule factor, so tests can hold one against the other.

symbolic (the network in sympy), explain (one gradient derived path by path: a
Derivation), circuit (the same for expression scenarios: a CircuitDerivation).

May import: bptutor.core, bptutor.errors, bptutor.i18n, bptutor.records (and sympy).
"""
