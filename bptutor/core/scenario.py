"""What a scenario file says, validated and frozen. No maths here.

The loader (`bptutor.loading.scenario`) builds these objects from YAML; tests and the
Python API may build them directly.
"""

from __future__ import annotations

from dataclasses import field, replace
from typing import TYPE_CHECKING

from bptutor.core import ops
from bptutor.records import dataclass

if TYPE_CHECKING:
    from bptutor.core.custom import CustomActivation, CustomLoss

# The names a scenario may use, read from the one table of operations (bptutor.core.ops).
ACTIVATIONS = tuple(ops.ACTIVATIONS)
# the losses of the classic hand calculation, which `generate` draws and a rounding policy may round;
# explain, solve, check and quiz work every loss by hand
LOSSES = tuple(name for name, loss in ops.LOSSES.items() if loss.classic)
# the losses `generate` draws: the classic ones, and those fused with their output activation (bce on sigmoid,
# cross_entropy on softmax), which are worked at full precision
EXERCISE_LOSSES = LOSSES + tuple(name for name, loss in ops.LOSSES.items() if loss.fused_with is not None)
ALL_LOSSES = tuple(ops.LOSSES)
LAYER_ACTIVATIONS = tuple(ops.LAYER_ACTIVATIONS)  # an output layer's activation over all its neurons at once
OPTIMIZERS = ("sgd", "momentum", "adam")
REDUCTIONS = ("mean", "sum")
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
    activation: str | CustomActivation  # one of ACTIVATIONS, or a function the scenario writes (bptutor.core.custom)
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
class Optimizer:
    """How a gradient g becomes an update (λ = weight_decay adds λ·p to g first, L2 as in PyTorch).

    sgd:      p′ = p − η·g
    momentum: v′ = β·v + g;  p′ = p − η·v′   (v starts at 0)
    adam:     m′ = β1·m + (1 − β1)·g;  s′ = β2·s + (1 − β2)·g²;
              p′ = p − η·m̂/(√ŝ + ε) with m̂ = m′/(1 − β1^t), ŝ = s′/(1 − β2^t)
    """

    name: str = "sgd"
    beta: float = 0.9  # momentum
    beta1: float = 0.9  # adam
    beta2: float = 0.999
    epsilon: float = 1e-8
    weight_decay: float = 0.0  # λ


@dataclass(frozen=True)
class Training:
    """Which samples each step uses. steps counts updates; epochs counts passes over the samples."""

    steps: int | None = None
    epochs: int | None = None
    batch_size: int | None = None  # None: all the samples (full batch); 1: stochastic gradient descent
    shuffle: bool = True
    seed: int = 0
    reduction: str = "mean"  # the batch gradient is the mean (or the sum) of the per-sample gradients


@dataclass(frozen=True)
class Samples:
    """Training examples: input values in the order of `Scenario.inputs`, targets in output-layer order."""

    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[float, ...], ...]
    origin: str = ""  # where they came from, for people: "spiral: 200 samples, noise 0.1, seed 1", a CSV file
    files: tuple[str, ...] = ()  # the files they were read from (a CSV file), which an output never replaces

    def __len__(self) -> int:
        return len(self.inputs)


@dataclass(frozen=True)
class Resume:
    """Where a training scenario is taken up: step K of its schedule, after K − 1 steps were trained.

    The scenario that carries it has the parameters before step K and, as its samples,
    only that step's batch (in batch order); `state` is each parameter's optimizer
    state before step K (v, or m and s), `indices` the batch's samples in the
    original file (from 0) and `count` how many samples the file has.
    """

    step: int
    epoch: int
    indices: tuple[int, ...]
    count: int
    state: tuple[tuple[str, tuple[float, ...]], ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    inputs: tuple[tuple[str, float], ...]
    targets: tuple[tuple[str, float], ...]  # keyed by output neuron, in output-layer order
    layers: tuple[Layer, ...]
    parameters: tuple[tuple[str, float], ...]
    loss: str | CustomLoss  # one of LOSSES, or a loss term the scenario writes (bptutor.core.custom)
    learning_rate: LearningRate
    notation: Notation = field(default_factory=lambda: NOTATION_PRESETS["in_out"])
    title: str = ""  # the title as written, or its English when the file gives one per language
    frozen: tuple[str, ...] = ()
    source: str = "<memory>"  # the file it came from, for messages
    rounding: Rounding | None = None  # None: compute in float64 at full precision
    conventions: Conventions = field(default_factory=Conventions)
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) when the file gives a title per language
    # several training examples (`samples:`); inputs and targets above are then the first of them
    samples: Samples | None = None
    training: Training | None = None
    optimizer: Optimizer = field(default_factory=Optimizer)
    resumed: Resume | None = None  # taken up at a later step of its training (see bptutor.core.resume)

    @property
    def is_single_example(self) -> bool:
        """One example and plain gradient descent: no samples, no training section, no optimizer or decay."""
        return self.samples is None and self.training is None and self.optimizer == Optimizer()

    def title_in(self, lang: str) -> str:
        """The title in `lang` when the file gives one, else the title as written."""
        return dict(self.titles).get(lang, self.title)

    @property
    def parameter_values(self) -> dict[str, float]:
        return dict(self.parameters)

    def with_parameters(self, values: dict[str, float]) -> Scenario:
        """The same scenario with new parameter values (same names, same order)."""
        return replace(self, parameters=tuple((name, values[name]) for name, _ in self.parameters))
