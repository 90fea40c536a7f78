"""What a scenario file says, validated and frozen. No maths here.

The loader (`bptutor.loader`) builds these objects from YAML; tests and the
Python API may build them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bptutor.custom import CustomActivation, CustomLoss

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
LOSSES = ("half_sse", "sse", "mse")
DEFAULT_LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Notation:
    """How quantities are named. Templates use `{n}` for the neuron's name."""

    preset: str
    pre_activation: str  # e.g. "in_{n}"
    activation: str  # e.g. "out_{n}"
    loss: str  # e.g. "E_total"
    loss_term: str  # e.g. "E_{n}", the contribution of one output neuron
    target: str  # e.g. "target_{n}"
    delta: str  # e.g. "δ_{n}", the error term ∂E/∂z

    def pre(self, neuron: str) -> str:
        return self.pre_activation.format(n=neuron)

    def act(self, neuron: str) -> str:
        return self.activation.format(n=neuron)

    def term(self, neuron: str) -> str:
        return self.loss_term.format(n=neuron)

    def tgt(self, neuron: str) -> str:
        return self.target.format(n=neuron)

    def dlt(self, neuron: str) -> str:
        return self.delta.format(n=neuron)


NOTATION_PRESETS: dict[str, Notation] = {
    "in_out": Notation("in_out", "in_{n}", "out_{n}", "E_total", "E_{n}", "target_{n}", "δ_{n}"),
    "net_out": Notation("net_out", "net_{n}", "out_{n}", "E_total", "E_{n}", "target_{n}", "δ_{n}"),
    "z_a": Notation("z_a", "z_{n}", "a_{n}", "C", "C_{n}", "y_{n}", "δ_{n}"),
    # lecture-slide style: z_h, y_h and Loss, targets t_o
    "z_y": Notation("z_y", "z_{n}", "y_{n}", "Loss", "Loss_{n}", "t_{n}", "δ_{n}"),
    # the classic data-mining textbook style: net input I_j, output O_j, target T_j, error Err_j
    "io": Notation("io", "I_{n}", "O_{n}", "E", "E_{n}", "T_{n}", "Err_{n}"),
}


@dataclass(frozen=True)
class Neuron:
    name: str
    weights: tuple[tuple[str, str], ...]  # (source neuron or input, parameter name)
    bias: str | None  # parameter name, or None for a neuron without bias


@dataclass(frozen=True)
class Layer:
    name: str
    activation: str | CustomActivation  # one of ACTIVATIONS, or a function the scenario writes (bptutor.custom)
    neurons: tuple[Neuron, ...]
    slope: float = DEFAULT_LEAKY_SLOPE  # used by leaky_relu only


@dataclass(frozen=True)
class LearningRate:
    """η: a default, overridden by layer name, overridden by parameter name."""

    default: float
    by_layer: tuple[tuple[str, float], ...] = ()
    by_parameter: tuple[tuple[str, float], ...] = ()


ROUNDING_KINDS = ("pre_activations", "activations", "losses", "deltas", "gradients", "parameters")
ROUNDING_METHODS = ("half_up", "half_even")


@dataclass(frozen=True)
class Rounding:
    """Decimals kept when each kind of value is written down, as in a hand calculation.

    None means full precision for that kind. A rounded value is used from then on.
    """

    pre_activations: int | None = None
    activations: int | None = None
    losses: int | None = None
    deltas: int | None = None  # error terms δ = ∂E/∂z
    gradients: int | None = None  # ∂E/∂p of parameters
    parameters: int | None = None  # updated weights and biases
    method: str = "half_up"  # half_up (as by hand) or half_even

    def decimals(self, kind: str) -> int | None:
        value: int | None = getattr(self, kind)
        return value


ERROR_TERMS = ("gradient", "textbook")
HIDDEN_ERROR_WEIGHTS = ("original", "updated")
BIAS_FORMS = ("added", "threshold")


@dataclass(frozen=True)
class Conventions:
    """The conventions textbooks differ in. The defaults are exact gradient descent."""

    # gradient: δ = ∂E/∂z and w ← w − η·∂E/∂w.
    # textbook: Err = −∂E/∂z = (t − o)·f′(z) and w ← w + η·Err·x (same weights, other signs).
    error_term: str = "gradient"
    # original: hidden error terms use the weights of this step (the exact gradient).
    # updated: they use the already-updated weights of the layer above, as some classic texts do.
    hidden_error_weights: str = "original"
    # added: z = Σ w·x + b.  threshold: z = Σ w·x − θ (the bias parameter is a threshold).
    bias: str = "added"
    update_biases: bool = True


@dataclass(frozen=True)
class Scenario:
    name: str
    inputs: tuple[tuple[str, float], ...]
    targets: tuple[tuple[str, float], ...]  # keyed by output neuron, in output-layer order
    layers: tuple[Layer, ...]
    parameters: tuple[tuple[str, float], ...]
    loss: str | CustomLoss  # one of LOSSES, or a loss term the scenario writes (bptutor.custom)
    learning_rate: LearningRate
    notation: Notation = field(default_factory=lambda: NOTATION_PRESETS["in_out"])
    title: str = ""  # the title as written, or its English when the file gives one per language
    frozen: tuple[str, ...] = ()
    source: str = "<memory>"  # the file it came from, for messages
    rounding: Rounding | None = None  # None: compute in float64 at full precision
    conventions: Conventions = field(default_factory=Conventions)
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) when the file gives a title per language

    def title_in(self, lang: str) -> str:
        """The title in `lang` when the file gives one, else the title as written."""
        return dict(self.titles).get(lang, self.title)

    @property
    def parameter_values(self) -> dict[str, float]:
        return dict(self.parameters)

    def with_parameters(self, values: dict[str, float]) -> Scenario:
        """The same scenario with new parameter values (same names, same order)."""
        return replace(self, parameters=tuple((name, values[name]) for name, _ in self.parameters))
