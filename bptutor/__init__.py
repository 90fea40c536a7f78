"""bptutor: backpropagation worked by hand, every chain-rule factor with its symbol and its number."""

__version__ = "0.1.0"
