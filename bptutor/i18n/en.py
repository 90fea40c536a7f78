"""English: every message bptutor prints, and the properties of English text.

`MESSAGES` maps each key to its template, with `{field}` placeholders;
`LANGUAGE`, at the end, adds what the renderers need to know about the language.
Every language file defines the same keys, placeholders and properties: a
language is this one file (see the package's docstring and tests/test_i18n.py).
"""

from __future__ import annotations

from types import MappingProxyType

from bptutor.i18n import Language

MESSAGES = MappingProxyType({
    # ── bptutor run: headings and the table of givens ────────────────────────────
    "run.title": "{title}  ({scenario}, step 1 of {steps})",
    "run.heading.given": "Given",
    "run.heading.forward": "Forward pass",
    "run.heading.backward": "Backward pass (error term {delta} = {signal}, from the output layer back)",
    "run.heading.update": "Update (p′ = {rule})",
    "run.heading.losses": "Loss over {steps} steps",
    "run.note": "Note: {note}",
    # ── the matrix form (bptutor.derive.matrix, bptutor.render.matrix) ──
    "help.form": "scalar (default): every neuron's values one by one; matrix: each layer's W, b, z, a and δ as matrices, and the four BP equations in matrix form.",
    "matrix.layout.one": "Matrix form: one example, so a^(l), z^(l), b^(l) and δ^(l) are column vectors (n_l×1) and W^(l) is n_l×n_(l−1); ⊙ is the elementwise product.",
    "matrix.layout.batch": "Matrix form: a batch of m = {m} samples (samples {samples}) as the columns of A^(l), Z^(l) and Δ^(l) (n_l×m; the notes' convention); W^(l) is n_l×n_(l−1); ⊙ is the elementwise product; the batch gradient is {reduction}.",
    "matrix.reduction.mean": "the mean over the samples: (1/m)",
    "matrix.reduction.sum": "the sum over the samples (no 1/m)",
    "matrix.note.textbook": "The scenario writes error terms as −∂E/∂z (the textbook convention); these matrices hold gradients, δ = ∂E/∂z.",
    "matrix.note.missing": "A missing connection is a 0 in W; its entry of ∂E/∂W is computed but no parameter uses it.",
    "matrix.note.threshold": "The scenario's biases are thresholds θ, subtracted: b = −θ, so ∂E/∂θ = −∂E/∂b.",
    "matrix.note.updated": "Note: BP2 uses W^(l+1) as already updated, as the scenario's convention says.",
    "matrix.heading.forward": "Forward pass: z^(l) = W^(l) a^(l−1) + b^(l), a^(l) = g(z^(l))",
    "matrix.heading.backward": "Backward pass: the four BP equations in matrix form (δ^(l) = ∂{loss}/∂z^(l), from the output layer back)",
    "matrix.heading.update": "Update (W′ = W − η·∂{loss}/∂W, b′ = b − η·∂{loss}/∂b)",
    "matrix.layer": "Layer {number} ({name}, {activation}): W^({number}) is n_{number}×n_{below} = {rows}×{columns}; rows {neurons}; columns {sources}",
    "matrix.loss.one": "Loss ({name}): {loss} = {value}",
    "matrix.loss.batch": "Loss ({name}): {loss} over the batch = {value}",
    "matrix.update.optimizer": "The optimizer is {optimizer}: the new values above; each parameter's update rule is in the scalar form (run without --form matrix).",
    "matrix.update.frozen": "Some parameters are frozen: they keep their values.",
    "matrix.explain.delta": "The layer's error terms δ = ∂E/∂z, by the BP equation of its place:",
    "matrix.explain.weights": "The weight gradient, every entry at once (BP4):",
    "matrix.explain.entry": "Entry (j, k) is ∂{loss}/∂w^({n})_(j,k) = δ^({n})_j · a^({below})_k: row j is neuron j of the layer, column k its input k. A transposed matrix puts ∂E/∂w_(k,j) where ∂E/∂w_(j,k) belongs.",
    "matrix.explain.biases": "The bias gradient (BP3):",
    "matrix.not_layered": "the matrix form needs each layer to read only the layer just below it (or the inputs), but neuron {neuron} reads {source}",
    "matrix.no_layer": "{name}: {scenario} has layers 1 to {layers}",
    "matrix.not_a_name": "{name} names no layer matrix of {scenario}; explain --form matrix takes a layer's W^(l), δ^(l), dW^(l) or db^(l) (here {names}), or a weight, bias or neuron of a layer.{hint}",
    "solve.matrix.heading": "The matrix form",
    "diagnosis.untransposed_weights": "{step} worked with W^({layer}) where its transpose (W^({layer}))ᵀ belongs (δ^({below}) = ((W^({layer}))ᵀ δ^({layer})) ⊙ g′(z^({below}))): it read {pairs} (used/instead of)",
    "diagnosis.transposed_gradient": "∂E/∂W^({layer}) transposed: {first} was given the value of {second} (entry (k, j) written at (j, k))",
    "solve.matrix.layout.one": "One example: {a}, {z}, {b} and {delta} are column vectors and {w} is an n_l×n_(l−1) matrix (row j: the weights into neuron j); ⊙ is the elementwise product.",
    "solve.matrix.layout.batch": "A batch of m = {m} samples (samples {samples}), each a column of {a}, {z} and {delta} (as in the deep-learning notes); {w} is an n_l×n_(l−1) matrix; ⊙ is the elementwise product; the batch gradient is {reduction}.",
    "solve.matrix.forward": "Forward pass, a layer at a time",
    "solve.matrix.backward": "Backward pass: the four BP equations in matrix form",
    "solve.matrix.equations": "With {delta} = ∂{loss}/∂{z}, from the output layer back:",
    "solve.matrix.layer": "Layer {number} ({name}, {activation}): {w} is {shape}; its rows are {neurons}, its columns {sources}.",
    "solve.matrix.update": "Updates",
    "solve.matrix.optimizer": "The optimizer is {optimizer}: above are the new values; the update of each parameter, with the optimizer's state, is in the worked solution without --form matrix.",
    "matrix.heading.update_optimizer": "Update (optimizer {optimizer})",
    "matrix.too_large": "the matrix form prints every entry of every matrix: it is made for networks of at most {most} parameters, and this one has {count}; use run --summary, sensitivity or explain NAME",
    "matrix.too_many_samples": "the matrix form prints a column for every sample of the batch: at most {most}, and this batch has {count}; run without --form matrix shows each sample's pass",
    "matrix.expression": "an expression scenario has no layers, so it has no matrix form: run and explain it without --form matrix",
    "given.inputs": "inputs",
    "given.targets": "targets",
    "given.parameters": "parameters ({layer})",
    "given.activations": "activations",
    "given.activation": "{layer}: {activation}",
    "given.activation_separator": ", ",
    "given.loss": "loss",
    "given.loss_value": "{name}: {description}",
    "given.learning_rate": "learning rate",
    "given.rate": "η = {rate} for {names}",
    "given.rate_separator": "; ",
    "given.frozen": "frozen",
    "given.frozen_names": "{names} (gradient shown, not updated)",
    "given.rounding": "rounding",
    "given.rounding_kind": "{kind} to {decimals}",
    "given.rounding_nothing": "nothing",
    "given.rounding_value": "{kinds} decimals ({method}), each value used as written; the rest exact",
    "given.rounding_half_up": "half up",
    "given.rounding_half_even": "half to even",
    "kind.pre_activations": "pre-activations",
    "kind.activations": "activations",
    "kind.losses": "losses",
    "kind.deltas": "error terms",
    "kind.gradients": "gradients",
    "kind.parameters": "parameters",
    "given.error_term": "error term",
    "given.error_term_value": "{error}, update p + η·Err·input",
    "given.hidden_errors": "hidden errors",
    "given.hidden_errors_value": "use the already-updated weights of the layer above (not the exact gradient)",
    "given.biases": "biases",
    "given.biases_threshold": "thresholds, subtracted: {pre} = Σ w·x − θ",
    "note.updated_weights": (
        "The hidden error terms use the already-updated weights of the layer above (updated weights are "
        "marked ′), as some classic texts do: this is not the exact gradient of the loss."
    ),
    "loss.half_sse": "{loss} = Σ ½(target − out)²",
    "loss.sse": "{loss} = Σ (target − out)²",
    "loss.mse": "{loss} = (1/n) Σ (target − out)², the mean over the n output neurons",

    # ── bptutor run: the tables ──────────────────────────────────────────────────
    "column.quantity": "quantity",
    "column.formula": "formula",
    "column.with_numbers": "with numbers",
    "column.value": "value",
    "column.derivative": "derivative",
    "column.chain_rule": "chain rule",
    "column.parameter": "parameter",
    "column.new_value": "new value",
    "column.step": "step",
    "column.loss_before_update": "{loss} before the update",
    "row.path_via": "  path via {via}",
    "row.feeds_nothing": "0 (it feeds nothing)",
    "row.frozen": "frozen: not updated",
    "row.after_last_step": "after the last step",

    # ── bptutor explain ──────────────────────────────────────────────────────────
    "explain.heading": "{text}:",
    "explain.name_a_sample": "a training step derives {name} once per sample of its batch of {count}: name one, as {name}[1]",
    "explain.no_sample": "the batch has {count} samples: there is no sample {number}",
    "explain.about": "{about} in {scenario}",
    "explain.about_titled": "{about} in {scenario}: {title}",
    "explain.definition": "Definition:",
    "explain.loss_itself": "{loss} is the loss itself: ∂{loss}/∂{loss} = 1.",
    "explain.too_many_paths": (
        "Chain rule: {target} reaches {loss} along {count}+ paths; too many to write out, see the δ form below."
    ),
    "explain.chain_one_path": "Chain rule ({target} reaches {loss} along 1 path):",
    "explain.chain_paths": "Chain rule ({target} reaches {loss} along {count} paths):",
    "explain.each_factor": "Each factor:",
    "explain.numbers": "Numbers:",
    "explain.path_via": "path via {via}: {rest}",
    "explain.result": "Result:",
    "explain.delta_form": "In δ form ({delta} = ∂{loss}/∂{pre}; ∂{loss}/∂w = δ·input, ∂{loss}/∂b = δ):",
    "explain.error_form": "In error-term form ({delta} = −∂{loss}/∂{pre}; ∂{loss}/∂w = −Err·input):",
    "explain.rounding_differs": (
        "The rounding policy writes each value down as it goes (error terms included), so the hand "
        "calculation gives {value}: see the δ form below."
    ),
    "explain.why_fused.softmax": "Why {delta} = {out} − {target} (cross-entropy on a softmax output):",
    "explain.why_fused.sigmoid": "Why {delta} = {out} − {target} (binary cross-entropy on a sigmoid output):",
    "explain.fused_rule.softmax": "δ_j = Σ_i ∂{loss}/∂{a_i}·∂{a_i}/∂{z_j} = Σ_i (−{y_i}/{a_i})·{a_i}·(δ_ij − {a_j}) = {a_j}·Σ_i {y_i} − {y_j} = {a_j} − {y_j}: softmax's Jacobian {a_i}·(δ_ij − {a_j}) cancels the 1/{a_i}, and the targets sum to 1",
    "explain.fused_rule.sigmoid": "δ = ∂{loss}/∂{a}·σ′ = ({a} − {y})/({a}·(1 − {a}))·{a}·(1 − {a}) = {a} − {y}: σ′ cancels the denominator (over n outputs, divided by n)",
    "explain.jacobian": "Through softmax's Jacobian, entry by entry (∂{a_i}/∂{z_j} = {a_i}·(δ_ij − {a_j}), δ_j = Σ_i ∂{loss}/∂{a_i}·∂{a_i}/∂{z_j}):",
    "explain.update": "Update:",
    "explain.update_rate": "Update (η = {rate}):",
    "explain.frozen": "{target} is frozen: its gradient is shown, but it keeps its value {value}.",

    # ── words inside formulas (sympy's Piecewise, the ReLU family) ──────────────
    "formula.if": "if",
    "formula.otherwise": "otherwise",
    "formula.else": "else",
    "formula.since": "since",

    # ── notes and numeric errors (trace.py) ──────────────────────────────────────
    "note.saturated": (
        "{output} = {function}({argument}) is saturated: ∂{output}/∂{argument} = {slope}, so this neuron "
        "passes almost no gradient back (its output barely moves when {argument} changes)."
    ),
    "error.diverged": (
        "the numbers overflowed at step {step}: the loss left the range of floating point "
        "(try a smaller learning rate or fewer steps)"
    ),

    # ── explain: names it cannot answer about (UsageError) ──────────────────────
    "usage.not_a_quantity": "'{name}' is not a quantity of scenario '{scenario}'.{hint} Parameters: {parameters}.",
    "usage.did_you_mean": " Did you mean {names}?",
    "usage.one_example": " NAME[i] names sample i of a batch, and this scenario has one example: write {name}.",
    "usage.given": "'{name}' is given in the scenario ({kind}); bptutor does not differentiate with respect to it.",
    "kind.input": "input",
    "kind.target": "target",
    "kind.parameter": "parameter",
    "kind.pre_activation": "pre_activation",
    "kind.activation": "activation",
    "kind.loss": "loss",

    # ── the command line ─────────────────────────────────────────────────────────
    "cli.no_scenario": "{reference}: no such file, and no built-in scenario by that name (built-ins: {names})",
    "cli.no_builtins": "none",
    "cli.valid": "{file}: ok",
    "cli.interrupted": "interrupted",
    # ── hostile input: files, outputs, interrupts (issue 15) ─────────────────────
    "cli.terminated": "terminated",
    "usage.not_finite": "{option} must be a finite number, got {value}",
    "scenario.number_too_small": "expected 0 or a number of at least {least} in size, got {found}",
    "sensitivity.beyond_range": "{first} matters more than {last} here by a factor beyond the range of float64",
    "cli.cannot_write_output": "cannot write the output: {reason}",
    "cli.numbers_out_of_range": "the numbers left the range of float64 ({reason})",
    "cli.too_large": "the input is too large or too deeply nested to work with",
    "cli.internal_error": "internal error ({kind}: {reason}); please report it with the file that caused it",
    "exit.internal": "an internal error (a bug)",
    "exit.interrupted": "interrupted (Ctrl-C)",
    "exit.terminated": "terminated (SIGTERM)",
    "output.is_input": "{file} is an input of this run: it is never replaced by an output (choose another -o)",
    "output.is_directory": "{file} is a directory: give a file name to write to",
    "output.no_folder": "cannot write {file}: its folder does not exist",
    "output.cannot_write": "cannot write {file}: {reason}",
    "output.read_only": "the folder is not writable",
    "output.not_ours": "{file} exists and was not written by bptutor: it is not replaced (move it away, or choose another -o)",
    "output.companion": "wrote {file} (the figure the Markdown links to)",
    "plot.format": "--plot writes PNG only: give a file name ending in .png (got {file})",
    "expr.explain.reverse": "Check: {output} written as one expression in the leaves would have {size} nodes (forks copy their subtrees), too many for sympy; instead the graph's reverse pass, each gate's upstream × local summed:",
    "files.not_utf8_at": "not UTF-8 text (byte 0x{byte} at line {line}, column {column})",

    # ── help ─────────────────────────────────────────────────────────────────────
    "help.jacobian": "Derive the output error terms through the output activation's Jacobian, entry by entry (∂a_i/∂z_j for every i and j, then δ_j = Σ_i ∂E/∂a_i·∂a_i/∂z_j), instead of the fused δ = a − y of cross-entropy on softmax or bce on sigmoid.",
    "help.app": (
        "Backpropagation worked by hand: every quantity, every chain-rule factor, "
        "its symbolic form and its number.\n\n"
        "Examples:\n\n"
        "  bptutor run scenarios/two_two_two.yaml\n\n"
        "  bptutor explain w5\n\n"
        "{exit_codes}"
    ),
    "help.callback": "Backpropagation worked by hand.",
    # the exit codes of bptutor.errors.EXIT_CODES, listed in help.app
    "exit.list": "Exit codes: {codes}.",
    "exit.separator": ", ",
    "exit.ok": "success",
    "exit.wrong": "check found a wrong value",
    "exit.usage": "bad command-line use or unknown name",
    "exit.bad_scenario": "bad scenario file",
    "exit.diverged": "the numbers overflowed",
    "exit.external_program": "a program bptutor needs (Chromium, Graphviz, matplotlib) is missing or failed",
    "exit.broken_pipe": "the program reading the output stopped reading (a closed pipe, as in | head); nothing more is printed",
    "help.version": "Print the version and exit.",
    "help.lang": "Language of the output: {languages}. Default: from LC_ALL, LC_MESSAGES or LANG.",
    "help.install_completion": "Install completion of bptutor's commands and options for SHELL (bash, zsh, fish, powershell or pwsh; by default the shell you are in), then exit.",
    "help.show_completion": "Print the completion script for SHELL (by default the shell you are in), to install it by hand, then exit.",
    "completion.installed": "{shell} completion installed in {path}; it works in shells started from now on.",
    "completion.no_shell": "cannot tell which shell this is; name it after the option (one of: {shells})",
    "completion.unknown_shell": "no completion for the shell '{shell}'; one of: {shells}",
    "help.lang_or": " or ",
    "help.scenario": "A scenario file (YAML), or the name of a built-in scenario (see `bptutor list`).",
    "help.digits": "Significant digits shown for every number.",
    "help.ascii": "Print with ASCII only (d for ∂, * for ×, delta for δ) for consoles that cannot show them.",
    "help.steps": "Repeat forward, backward and update N times.",
    "help.format": "rich: tables for people; json: one object for tools.",
    "help.every": "JSON only: keep every K-th step (the first and last are always kept).",
    "help.run": (
        "Run the forward pass, the backward pass and the update, and show every step.\n\n"
        "Example: bptutor run scenarios/two_two_two.yaml --steps 3"
    ),
    "help.run.short": "Run the forward pass, the backward pass and the update, and show every step.",
    "help.name": "A parameter (w5, b1), or a quantity (out_h1, in_o2, E_total, δ_h1).",
    "help.explain_scenario": "Scenario file or built-in name.",
    "help.explain": (
        "Derive one gradient the way a textbook does: chain rule, each factor, numbers, update.\n\n"
        "Example: bptutor explain w1 --scenario scenarios/two_two_two.yaml"
    ),
    "help.explain.short": "Derive one gradient the way a textbook does.",
    "help.files": "Scenario files to check.",
    "help.validate": (
        "Check scenario files: print \"ok\" or the first problem of each; "
        "exit {exit_bad_scenario} if any file is bad.\n\n"
        "Example: bptutor validate scenarios/*.yaml"
    ),
    "help.validate.short": "Check scenario files: print \"ok\" or the first problem of each.",
    "help.list": (
        "List the built-in scenarios, usable by name anywhere a scenario is asked for.\n\n"
        "Example: bptutor list"
    ),
    "help.list.short": "List the built-in scenarios.",

    # ── help and usage errors around our text (the words click itself prints) ────
    "click.usage": "Usage: ",
    "click.heading": "{heading}:",
    "click.heading.Options": "Options",
    "click.heading.Arguments": "Arguments",
    "click.heading.Commands": "Commands",
    "click.options_metavar": "[OPTIONS]",
    "click.subcommand_metavar": "COMMAND [ARGS]...",
    "click.help_option": "Show this message and exit.",
    "click.default": "default: {value}",
    "click.required": "required",
    "click.try_help": "Try '{command} {option}' for help.",
    "click.error": "Error: {message}",
    "click.missing_argument": "Missing argument {name}.",
    "click.missing_option": "Missing option {name}.",
    "click.no_such_option": "No such option: {name}",
    "click.did_you_mean": " Did you mean {names}?",
    "click.needs_value": "Option {name} requires a value.",
    "click.invalid_value": "Invalid value for {name}: {detail}",
    "click.expected_range": "expected a whole number from {low} to {high}",
    "click.expected_at_least": "expected a whole number of at least {low}",
    "click.expected_choice": "expected one of {choices}",
    "click.no_such_command": "No such command {name}.",
    "click.missing_command": "Missing command.",
    "click.extra_arguments": "Got unexpected extra arguments ({arguments})",
    "click.other": "{message}",

    # ── scenario files: reading (loader.py) ──────────────────────────────────────
    "scenario.text_too_large": "this scenario is too large (a scenario may be at most 1 MiB)",
    "scenario.top_not_dict": "expected a mapping (dict) at the top level, got {type}",
    "scenario.no_such_file": "no such scenario file",
    "scenario.cannot_read": "cannot read this file: {reason}",
    "scenario.is_directory": "this is a directory, not a scenario file",
    "scenario.not_regular_file": "this is not a regular file",
    "scenario.file_too_large_bytes": "this file is too large ({size} bytes; at most 1 MiB)",
    "scenario.file_too_large": "this file is too large (at most 1 MiB)",
    "scenario.not_utf8": "this is not UTF-8 text (byte 0x{byte})",
    "scenario.anchors": "anchors and aliases (&name, *name) are not allowed: write each value out",
    "scenario.tags": "tags (such as !!str or !name) are not allowed; found {tag}",
    "scenario.too_deep": "nested too deeply (at most {depth} levels)",
    "scenario.invalid_yaml": "this is not valid YAML: {detail}",
    "scenario.bad_escape": "an escape in a quoted text names no character: the highest is \\U0010FFFF",
    "scenario.unknown_yaml_problem": "unknown problem",
    "scenario.bad_character": "this is not valid YAML: the character U+{code} is not allowed ({reason})",
    "scenario.key_not_plain": "a key must be a plain name, not a list or a mapping",
    "scenario.duplicate_key": "duplicate key {key} (first given on line {line})",
    "scenario.key_not_text": "keys must be text, got {key}",
    "scenario.unsupported_type": "unsupported value of type {type}",

    # ── scenario files: what was found, hints ────────────────────────────────────
    "found.nothing": "nothing",
    "found.mapping": "a mapping",
    "found.list": "a list",
    "scenario.did_you_mean": " (did you mean {suggestion}?)",
    "scenario.listing_more": "{names}, … ({count} more)",

    # ── scenario files: values ───────────────────────────────────────────────────
    "scenario.expected": "expected {what}, got {found}",
    "scenario.unknown_key": "unknown key {key}{hint}; expected one of: {keys}",
    "scenario.missing_key": "missing key {key}",
    "scenario.none_given": "expected at least one {one}, got none",
    "scenario.too_many": "too many {many}: {count} (at most {limit})",
    "scenario.bad_name": "expected a name made of letters, digits and _ (starting with a letter), got {found}",
    "scenario.name_too_long": "the name {name} is too long (at most {limit} characters)",
    "scenario.expected_number": "expected a number, got {found}",
    "scenario.number_too_large": "the number {found} is absurdly large (at most 1e6 in size)",
    "scenario.expected_choice": "expected {what}: one of {options}; got {found}{hint}",
    "scenario.expected_text": "expected text, got {found}",
    "scenario.text_too_long": "this text is too long ({length} characters; at most {limit})",
    "scenario.empty": "the scenario is empty; expected a mapping with the keys {keys}",
    "scenario.control_characters": "this text contains control characters (line breaks, tabs, escapes…)",

    # ── scenario files: what was expected where ─────────────────────────────────
    "what.mapping": "a mapping",
    "what.top_level": "a mapping (key: value lines) at the top level of the scenario",
    "what.input_numbers": "a mapping of input names to numbers",
    "what.parameter_numbers": "a mapping of parameter names to numbers",
    "what.layers": "a list of layers",
    "what.layer": "a layer (a mapping with name, activation and neurons)",
    "what.neurons": "a mapping of neuron names to neurons",
    "what.neuron": "a neuron (a mapping with weights and an optional bias)",
    "what.weights": "a mapping of weight sources to parameter names",
    "what.targets": "a mapping of output neuron names to numbers",
    "what.frozen": "a list of parameter names",
    "what.loss": "a loss",
    "what.convention": "a value for {key}",
    "what.true_or_false": "true or false",
    "what.rounding": "a mapping of kinds of value to decimals",
    "what.decimals": "a whole number of decimals from 0 to {most}",
    "what.rounding_method": "a rounding method",
    "what.activation": "an activation",
    "what.notation_preset": "a notation preset",
    "count.input": "input",
    "count.inputs": "inputs",
    "count.parameter": "parameter",
    "count.parameters": "parameters",
    "count.layer": "layer",
    "count.layers": "layers",
    "count.neuron": "neuron",
    "count.neurons_in_layer": "neurons in a layer",

    # ── scenario files: the network ──────────────────────────────────────────────
    "scenario.input_is_parameter": "{name} is the name of both an input and a parameter; rename one of them",
    "owner.input": "an input",
    "owner.parameter": "a parameter",
    "owner.neuron": "a neuron of layer {layer}",
    "scenario.not_an_input": (
        "{neuron} takes a weight from {source}, which is not an input{hint}; "
        "neurons of the first layer {layer} take weights from the inputs: {names}"
    ),
    "scenario.not_previous_layer": (
        "{neuron} takes a weight from {source}, which is not a neuron of the previous layer "
        "{previous}{hint}; neurons of layer {layer} take weights from: {names}"
    ),
    "scenario.layer_name_used": "layer name {name} is already used by {path}",
    "scenario.name_taken": "{name} is already the name of {owner}; names must be unique",
    "scenario.slope_not_leaky": "slope is only used by leaky_relu layers; this layer's activation is {activation}",
    "scenario.needs_weight": "neuron {neuron} needs at least one weight",
    "role.bias": "its bias",
    "role.weight": "the weight from {source}",
    "scenario.parameter_without_value": "parameter {name} used by neuron {neuron} has no value in `parameters`{hint}",
    "scenario.parameter_used_twice": (
        "parameter {name} is used twice by neuron {neuron} ({first} and {second}); "
        "each weight and bias of a neuron needs its own parameter"
    ),
    "scenario.parameter_unused": "parameter {name} is given a value but never used (by no weight or bias)",
    "scenario.targets_not_outputs": (
        "targets are given for exactly the neurons of the output layer {layer} ({outputs}); "
        "not output neurons: {extra}{hint}{missing}"
    ),
    "scenario.targets_also_missing": "; missing: {names}",
    "scenario.missing_targets": (
        "missing target for output neuron(s) {names}; "
        "targets are given for exactly the neurons of the output layer {layer}"
    ),

    # ── scenario files: learning rates, frozen, notation ─────────────────────────
    "scenario.missing_default_rate": "missing key 'default' (the learning rate of everything not listed)",
    "scenario.rate_key_ambiguous": (
        "{key} is both a layer name and a parameter name; rename one so this rate is unambiguous"
    ),
    "scenario.rate_key_unknown": (
        "{key} is neither a layer nor a parameter{hint}; expected 'default', "
        "a layer name ({layers}) or a parameter name"
    ),
    "scenario.expected_rate": "expected a learning rate (a number, or a mapping with 'default'), got {found}",
    "scenario.rate_not_positive": "a learning rate must be greater than 0, got {found}",
    "scenario.rate_too_large": "a learning rate must be at most 100, got {found}",
    "scenario.not_a_parameter": "{name} is not a parameter{hint}",
    "scenario.frozen_twice": "{name} is listed twice in frozen",
    "scenario.expected_notation": "expected a notation preset ({presets}) or a mapping of names, got {found}",
    "scenario.expected_template": "expected a name template such as 'z_{{n}}', got {found}",
    "scenario.name_has_spaces": "a name may not contain spaces or control characters, got {text}",
    "scenario.template_braces": "a template may contain {{n}} (the neuron's name) and no other braces, got {text}",
    "scenario.loss_name_braces": "the loss's name is not a template and may not contain braces, got {text}",
    "scenario.shown_name_too_long": "the name {name} ({meaning}) is too long (at most {limit} characters)",
    "scenario.name_clash": (
        "the name {name} would stand for both {first} and {second}; "
        "rename one, or choose other names with `notation`"
    ),
    "meaning.input": "input {name}",
    "meaning.parameter": "parameter {name}",
    "meaning.loss": "the loss",
    "meaning.pre_activation": "the pre-activation of {neuron}",
    "meaning.activation": "the activation of {neuron}",
    "meaning.delta": "the error term of {neuron}",
    "meaning.loss_term": "the loss term of {neuron}",
    "meaning.target": "the target of {neuron}",

    # ── scenario checks made when the graph is built (graph.py) ──────────────────
    "scenario.shared_rates_differ": (
        "parameter '{name}' is shared by layers with different learning rates ({layers}); "
        "give it its own entry under learning_rate"
    ),
    "scenario.name_two_kinds": (
        "the name '{name}' stands for two things here (a {first} and a {second}); "
        "rename one, or choose another notation"
    ),
    "scenario.name_used_twice": (
        "the name '{name}' is used twice under this notation; rename one, or choose another notation"
    ),
    # ── bptutor solve: worked-solution handouts ──────────────────────────────────
    "solve.variant.full": "Worked solution",
    "solve.variant.answers": "Answer key",
    "solve.variant.worksheet": "Worksheet: fill in the blanks",
    "solve.batch_problem_one": (
        "Training step {step} on one sample, with the optimizer {optimizer}: its forward and backward pass, then the "
        "update."
    ),
    "solve.batch_problem_mean": (
        "Training step {step} on a batch of {count} samples, with the optimizer {optimizer}: each sample's forward "
        "and backward pass as for one example, then the batch gradient, the mean of the samples' ∂{loss}/∂p "
        "(1/{count} times their sum), then the update."
    ),
    "solve.batch_problem_sum": (
        "Training step {step} on a batch of {count} samples, with the optimizer {optimizer}: each sample's forward "
        "and backward pass as for one example, then the batch gradient, the sum of the samples' ∂{loss}/∂p, then "
        "the update."
    ),
    "solve.column.sample": "sample",
    "solve.state_before": "its state before this step:",
    "solve.heading.problem": "The problem",
    "solve.problem": (
        "A {shape} network. Compute the forward pass, the loss {loss}, every gradient by the chain rule, "
        "and the parameters after one step of gradient descent."
    ),
    "solve.figure": "The network, every weight and bias with its name and value.",
    "solve.figure_left_out": "(The figure of the network is left out here: it is drawn with TikZ, which this document may not load. Solution.to_latex(), to_html() and to_markdown() include it.)",
    "solve.given.activation": "activation ({layer})",
    "solve.given.rate_for": " for {names}",
    "solve.given.textbook_update": ", and the update is p′ = p + η·Err·input",
    "solve.given.threshold": "thresholds θ, subtracted from the weighted sum",
    "solve.heading.loss": "The loss",
    "solve.heading.backward": "Backward pass",
    "solve.bp_intro": (
        "The four equations of backpropagation, with the error term {delta} of neuron {j}, "
        "{k} the neurons of the layer above and {i} those of the layer below:"
    ),
    "solve.bp_label": "(BP{number})",
    "solve.jacobian_delta": "the sum over the Jacobian's column:",
    "solve.softmax_rule": "A softmax output reads every z of its layer, so (BP1) becomes a sum over the outputs, with the Jacobian {jacobian} (δ_ij is 1 when i = j, else 0):",
    "solve.fused_rule.softmax": "With cross-entropy on the softmax output, (BP1) is a sum over the outputs with the Jacobian {jacobian}; as {gradient} and the targets sum to 1, softmax's derivative cancels:",
    "solve.fused_rule.sigmoid": "With binary cross-entropy on the sigmoid output, σ′ = a·(1 − a) cancels the denominator of {gradient} in (BP1) (over n outputs, the mean divides by n):",
    "solve.backward_intro": "From the output layer back: each chain-rule factor derived, then with the numbers in.",
    "solve.paths": "the sum over {count} paths:",
    "solve.heading.update": "Updates",
    "solve.heading.summary": "Summary",
    "solve.column.old": "old value",
    "solve.answers_intro": "The final number of every step of the worked solution.",
    "solve.wrote": "wrote {file}",
    "solve.bad_detail": "--detail must be one of {choices}, not '{detail}'",
    "solve.unknown_parameter": "--derive: '{name}' is not a parameter of this network{hint}",
    "solve.forward_rest": "The other neurons of layer {layer} in the same way:",
    "solve.forward_all": "The neurons of layer {layer}:",
    "solve.backward_rest": "The other derivatives of layer {layer} by the same formulas:",
    "solve.backward_all": "The derivatives of layer {layer}, by the BP equations:",
    "solve.update_rule": "Every parameter p is updated by the same rule:",
    "solve.column.formula": "formula",
    "solve.column.rule": "by",
    "help.solve": (
        "Write the whole worked solution as a handout: the problem with a figure of the network, "
        "the forward pass, the loss, every chain-rule factor, the updates and a summary.\n\n"
        "Example: bptutor solve two_two_two --format html -o solution.html"
    ),
    "help.solve.short": "Write the worked solution as a Markdown, LaTeX, HTML or PDF handout.",
    "help.solve_format": (
        "md: Markdown with $…$ math; tex: LaTeX; html: one page with MathML; pdf: printed from the HTML by Chromium."
    ),
    "help.output": "Write to FILE instead of standard output (a PDF goes to SCENARIO.pdf when not given).",
    "help.detail": (
        "standard: one parameter of each layer derived in full, the rest in tables; "
        "full: every parameter derived; brief: the answers and the essential equations."
    ),
    "help.derive": "The parameters to derive in full, comma-separated (e.g. w5,w1); the others go into tables.",
    "help.answers_only": "Only the final numbers of every step (the answer key).",
    "help.worksheet": "The same document with blanks where the computed numbers go.",
    "help.step": (
        "Work step K of the training (from 1): the parameters and the optimizer's state after K − 1 steps are the "
        "givens, and the batch is step K's."
    ),
    "help.solve_steps": "The full first step, then the loss after each of N steps.",
    "api.no_scenario": "no such file, and no built-in scenario of that name (built-ins: {names})",
    "api.bad_form": "form is 'scalar' (the default: neuron by neuron) or 'matrix' (the four equations for whole layers), not {form}",
    "usage.answers_and_worksheet": "--answers-only and --worksheet exclude each other",

    # ── handout figure and PDF ───────────────────────────────────────────────────
    "figure.title": "The network of {scenario}",
    "figure.inputs": "inputs",
    "figure.layer": "{layer} ({activation})",
    "figure.legend": "Each arrow carries its weight; grey boxes are biases; targets stand beside the outputs.",
    "figure.legend_unlabelled": (
        "Grey boxes are biases; targets stand beside the outputs; the weights, too many to label here, "
        "are listed under the givens."
    ),
    "pdf.no_chromium": (
        "PDF output needs Chromium: install the Debian package chromium "
        "(apt-get install chromium fonts-noto-cjk), or set BPTUTOR_CHROMIUM"
    ),
    "pdf.bad_chromium_variable": "BPTUTOR_CHROMIUM is {path}, which is not a program that can be run. {advice}",
    "pdf.chromium_failed": "Chromium could not print the page to PDF (exit status {status}): {stderr}",
    "pdf.chromium_timeout": "Chromium did not finish printing the page to PDF within {seconds} seconds",
    "pdf.not_written": "Chromium finished but wrote no PDF to {path}: {stderr}",

    # ── bptutor check and quiz ──────────────────────────────────────────────────
    "help.check": (
        "Check claimed values (a student's, or a textbook's) against the scenario: each judged at the precision "
        "it is written with, in computation order, with errors carried forward and the common mistakes "
        "diagnosed. Exit code {exit_ok} when every given value is right, {exit_wrong} when one is wrong.\n\n"
        "Several answers files, a folder of them, --format csv, --scheme or --points grade a class: one row per "
        "student with the marks, then the class's most common mistakes. Exit code {exit_ok} when every file was "
        "graded (right or wrong), {exit_bad_scenario} when one could not be read (its row says why).\n\n"
        "Example: bptutor check two_two_two scenarios/answers/two_two_two_published.yaml\n\n"
        "Example: bptutor check two_two_two scenarios/answers/class --format csv > grades.csv"
    ),
    "help.check.short": "Check claimed values against the scenario and diagnose the mistakes.",
    "help.tolerance": "Also accept a value this close to the correct one: absolute (1e-4) or relative (0.1%).",
    "help.template": "Print a blank answers file for SCENARIO (every name, in order) instead of checking one.",
    "help.no_diagnosis": "Judge only; do not look for the mistakes.",
    "cli.check_needs_answers": "check needs ANSWERS.yaml, or --template to print a blank one",
    "cli.bad_tolerance": "--tolerance: expected a number (1e-4) or a percentage (0.1%), got '{value}'",
    "help.quiz": (
        "Ask for every value of the worked solution, one at a time: the forward pass, each chain-rule factor, "
        "the updates. Answers are judged at the precision typed; a wrong one gets a hint and, when one fits, "
        "the diagnosis, and a right or revealed one a line on why its formula holds. Type ? for a hint, r to reveal, "
        "s to skip, g for the givens, q to quit. Works with piped input.\n\n"
        "Example: bptutor quiz two_two_two --section forward"
    ),
    "help.quiz.short": "Quiz: type each value of the worked solution, with hints and diagnoses.",
    "help.section": "Ask only this part: forward, backward or update.",
    "help.quiz_scenario": "A scenario file or built-in name (none with --fresh).",
    "help.fresh": (
        "Quiz on a newly generated 2-2-2 exercise instead, drawn from this seed "
        "(as bptutor generate --seed SEED draws exercise 1)."
    ),
    "help.order": (
        "keep: ask in the worked solution's order; shuffle: a seeded random order within each pass, "
        "each value after the values it reads."
    ),
    "help.quiz_seed": "The seed of --order shuffle (default: the --fresh seed, else a new one, shown).",
    "answers.no_such_file": "no such answers file",
    "answers.cannot_read": "cannot read this file: {reason}",
    "answers.not_a_file": "this is not a regular file",
    "answers.too_large": "the answers file is larger than {limit} bytes",
    "answers.empty": "the answers file is empty; expected a mapping of quantity names to values, e.g. out_h1: 0.6457",
    "answers.not_mapping": "expected a mapping of quantity names to values (out_h1: 0.6457), got {found}",
    "answers.too_many": "too many values (at most {limit})",
    "answers.given_twice": (
        "{name} is given twice (first as {first} on line {line}); write several values of one quantity as a list"
    ),
    "answers.not_a_number": (
        "expected a number written in decimals (0.6457, -0.02, 1e-3), or a list of them, got {found}"
    ),
    "answers.list_size": "a list of values needs 1 to {limit} numbers",
    "answers.given_quantity": (
        "{name} is given in the scenario, not computed; its new value after the update is written {updated}"
    ),
    "answers.at_line": "line {line}: {problem}",
    "answers.unknown_quantity": "unknown quantity {name}{hint}",
    "answers.joined": "{first}; {rest}",
    "answers.only_unknown": (
        "no name in this file names a quantity of the scenario ({count} tried): {problems}; "
        "the names are those of `bptutor run`: {names}"
    ),
    "template.title": "{title} ({scenario}): your answers",
    "template.how": "write each value with the decimals you worked to; leave blank what you did not compute",
    "template.check": "check it with: {command}",
    "template.forward": "Forward pass",
    "template.loss": "Loss",
    "template.backward": "Backward pass: for each neuron j ∂{loss}/∂{act}, ∂{act}/∂{pre} and δ_j, then the gradients",
    "template.sample": "Sample {number} of {count} in the batch (sample {index}: {givens}); its names end in [{number}]",
    "template.batch_one": "The batch: one sample, so its loss and gradient are that sample's",
    "template.batch_mean": "The batch: its loss and gradient, the mean over its {count} samples (1/{count} times their sum)",
    "template.batch_sum": "The batch: its loss and gradient, the sum over its {count} samples",
    "template.step": (
        "training step {step} (epoch {epoch}): the givens are the parameters and the optimizer's state before it"
    ),
    "template.update_state": "Update ({optimizer}): the optimizer's state after the step, then each parameter",
    "template.update": "Update: each parameter after one step",
    "check.title": "{title}  ({scenario})",
    "check.answers": "Values checked: {answers}",
    "check.header.quantity": "quantity",
    "check.header.claimed": "claimed",
    "check.header.correct": "correct",
    "check.header.verdict": "verdict",
    "check.verdict.right": "right",
    "check.verdict.consistent": "consistent with your {names}",
    "check.verdict.wrong": "WRONG",
    "check.verdict.missing": "not given",
    "check.name_separator": ", ",
    "check.summary": (
        "{right} right, {consistent} consistent with your earlier values, {wrong} wrong, {missing} not given."
    ),
    "check.all_right": "Every value given is right.",
    "check.first_wrong": "First wrong value: {name} = {claimed} (correct: {correct}).",
    "check.wrong_value": "{name} = {claimed} is wrong; the correct value is {correct}.",
    "check.wrong_from_yours": (
        "{name} = {claimed} is wrong, also from your own {names}: they give {value}; the correct value is {correct}."
    ),
    "check.explained_by": "Explained by: {diagnosis}",
    "check.explained_by_truncated": "Explained by: {diagnosis} (and the last digit cut off rather than rounded)",
    "check.unknown": "Not graded (these names name nothing here; the names are those of `bptutor run`):",
    "check.warnings": "Warnings:",
    "check.warning.zeroed": (
        "at {decimals} decimals {names} come out as 0, though none of them is: the gradient is lost and "
        "the update does nothing; carry more decimals"
    ),
    "check.warning.unchanged": (
        "at {decimals} decimals {names} are the starting values: the update is smaller than the last digit "
        "written; carry more decimals"
    ),
    "check.no_diagnosis": "None of the common mistakes explains this value.",
    "check.corrected": "Corrected working:",
    "check.corrected_from_yours": "Corrected working, from your own earlier values:",
    # ── bptutor check on a class: the gradebook ─────────────────────────────────
    "gradebook.heading": "{count} submissions, marked {scheme}",
    "gradebook.scheme": "{points}; carried forward {carried}%",
    "gradebook.points": "{kind} {points}",
    "gradebook.kind.forward": "forward",
    "gradebook.kind.loss": "loss",
    "gradebook.kind.deltas": "deltas",
    "gradebook.kind.gradients": "gradients",
    "gradebook.kind.updates": "updates",
    "gradebook.header.student": "student",
    "gradebook.header.right": "right",
    "gradebook.header.carried": "carried",
    "gradebook.header.wrong": "wrong",
    "gradebook.header.missing": "blank",
    "gradebook.header.marks": "marks",
    "gradebook.header.first_wrong": "first wrong value",
    "gradebook.progress": "grading",
    "gradebook.unread": "not read (below)",
    "gradebook.mistakes": "Most common mistakes (students):",
    "gradebook.mistake": "{count}  {diagnosis}: {students}",
    "gradebook.most_wrong": "Most often wrong (students):",
    "gradebook.quantity_count": "{name} ({count})",
    "gradebook.notes": "Notes (names not graded, warnings):",
    "gradebook.not_read": "Not read:",
    "gradebook.diagnosis": "{name}: {diagnosis}",
    "gradebook.diagnosis_separator": "; ",
    "gradebook.no_answers_files": "{folder}: no answers files (*.yaml, *.yml) in this folder",
    "gradebook.too_many": "{count} answers files; at most {limit} at once",
    "gradebook.bad_points": (
        "--points {value}: expected KIND=POINTS, comma-separated, KIND one of {kinds} (0 to 1000 points) "
        "or carried (0 to 1), e.g. forward=1,gradients=2,carried=0.5"
    ),
    "gradebook.one_file_only": "--template, not with answers files",
    "help.answers_many": (
        "Answers files (YAML, claimed values by name, e.g. {{out_h1: 0.6457}}), or folders of them: "
        "one file is checked in full; several, or a folder, make a gradebook of the class."
    ),
    "help.check_format": (
        "rich: tables for people; json: one object for tools; csv: the class's gradebook, "
        "one row per student (UTF-8 with a BOM, for spreadsheets)."
    ),
    "help.scheme": "A marking-scheme YAML file: points per kind of quantity and the credit for carried-forward values.",
    "help.points": (
        "Change the scheme's points, e.g. gradients=2,carried=0.5. Kinds: forward, loss, deltas, gradients, "
        "updates (1 point each by default) and carried, the share a carried-forward value earns (default 1)."
    ),
    "scheme.no_such_file": "no such marking-scheme file",
    "scheme.cannot_read": "cannot read the marking-scheme file: {reason}",
    "scheme.not_a_file": "the marking scheme is not a regular file",
    "scheme.not_mapping": "a marking scheme is a mapping with points: and carried:, found {found}",
    "scheme.points_not_mapping": "points: is a mapping from kinds of quantity to points, found {found}",
    "scheme.unknown_kind": "unknown kind of quantity {kind}{hint}; the kinds are {kinds}",
    "scheme.unknown_key": "unknown key {key}{hint}; a marking scheme has points: and carried:",
    "scheme.bad_amount": "expected a number from 0 to {most}, found {found}",
    "diagnosis.wrong_bias": "{used} used as the bias of {neuron}, whose own bias is {bias}",
    "diagnosis.shared_bias": (
        "one bias, {bias}, used for every neuron of the {layer} layer (each has its own: {biases})"
    ),
    "diagnosis.no_bias": "the bias {bias} of {neuron} left out",
    "diagnosis.half_dropped": "the ½ of the loss dropped: (t − o)² instead of ½(t − o)², so ∂E/∂out = −2(t − o)",
    "diagnosis.half_kept": "a ½ put into a loss that has none: ½(t − o)² instead of (t − o)²",
    "diagnosis.softmax_diagonal": "only the diagonal of softmax's Jacobian used: δ_j = ∂{loss}/∂a_j·a_j·(1 − a_j), as if each output depended on its own z alone; the terms ∂{loss}/∂a_i·(−a_i·a_j) of the other outputs are missing",
    "diagnosis.softmax_skipped": "softmax skipped: the raw scores {pre} taken as the probabilities {out}",
    "diagnosis.log10": "log10 used where the loss has the natural logarithm ln (every term is ln 10 ≈ 2.303 times too small)",
    "quiz.why.delta_fused.softmax": "Why: with cross-entropy on softmax, Σ_i ∂E/∂a_i·∂a_i/∂z_j = Σ_i (−y_i/a_i)·a_i·(δ_ij − a_j) = a_j − y_j: softmax's derivative cancels.",
    "quiz.why.delta_fused.sigmoid": "Why: with binary cross-entropy on σ, ∂E/∂a = (a − y)/(a·(1 − a)) and σ′ = a·(1 − a) cancel: δ = a − y.",
    "quiz.why.delta_jacobian.softmax": "Why: a softmax output reads every z of its layer, so δ_j = Σ_i ∂E/∂a_i·∂a_i/∂z_j over the Jacobian's column.",
    "quiz.why.jacobian": "Why: softmax's Jacobian is ∂a_i/∂z_j = a_i·(δ_ij − a_j): a_i·(1 − a_i) on the diagonal, −a_i·a_j off it.",
    "diagnosis.no_derivative": "{symbol} forgotten: ∂{out}/∂{pre} taken as 1",
    "diagnosis.no_derivative_everywhere": "{symbol} forgotten in every error term: each ∂out/∂in taken as 1",
    "diagnosis.derivative_as_activation": "{symbol} written as {function}: ∂{out}/∂{pre} taken as {out} itself",
    "diagnosis.derivative_as_activation_everywhere": (
        "{symbol} written as {function} in every error term: each ∂out/∂in taken as out"
    ),
    "diagnosis.error_sign": "the sign of (t − o) flipped: the output error written as (t − o) where −(t − o) belongs",
    "diagnosis.in_for_out": "{used} used where {instead} belongs, in {step}",
    "diagnosis.out_for_in": "{used} used where {instead} belongs, in {step}",
    "diagnosis.updated_weights": (
        "the already-updated weights (w′) used for the hidden error terms, instead of this step's weights"
    ),
    "diagnosis.original_weights": (
        "this step's weights used for the hidden error terms, where the scenario uses the already-updated ones"
    ),
    "diagnosis.learning_rate": (
        "η = {rate} used for {parameter}, the learning rate of another layer (its own is η = {own})"
    ),
    "diagnosis.no_mean": (
        "the 1/{count} forgotten: the sum of the {count} samples' gradients written where the batch gradient is their mean"
    ),
    "diagnosis.mean_for_sum": (
        "the mean of the {count} samples' gradients written where the batch gradient is their sum (reduction: sum)"
    ),
    "diagnosis.one_sample": "sample {number}'s gradient alone taken as the batch's, which combines all {count} samples",
    "diagnosis.update_sign": "the update made the wrong way: p + η·∂E/∂p instead of p − η·∂E/∂p",
    "diagnosis.slope_not_multiplied": "{slope} written down but not multiplied in: {delta} taken as {upstream} alone",
    "diagnosis.one_path": (
        "only part of the error reaching {neuron} summed: the path through {consumer} ({delta}·{weight}) "
        "left out of {step}"
    ),
    "diagnosis.exchanged": "{first} and {second} exchanged: each worked as the other",
    "diagnosis.swapped_weights": "{first} and {second} swapped (the wiring read the wrong way)",
    "diagnosis.early_rounding": "the values {step} is computed from rounded to {decimals} decimals first",
    "diagnosis.rounding_slip": "a rounding slip in the last digit: to {digits} decimals it is {value}",
    "diagnosis.rounding_truncated": "cut off instead of rounded: to {digits} decimals it is {value}",
    "diagnosis.typo_sign": "a slip of the pen: the sign is wrong; it is {value}",
    "diagnosis.typo_transposed": "a slip of the pen: the digits {pair} swapped; it is {value}",
    "diagnosis.typo_digit": "a slip of the pen: {wrote} written for {digit}; it is {value}",
    "diagnosis.typo_dropped": "a slip of the pen: a digit left out of {value}",
    "diagnosis.typo_extra": "a slip of the pen: a digit too many; it is {value}",
    "diagnosis.typo_point": "a slip of the pen: the decimal point moved; it is {value}",
    "quiz.title": "Quiz: {title}  ({scenario}; {count} values)",
    "quiz.instructions": (
        "Type each value to the precision you like (0.65, or 0.6456563062). "
        "? for a hint, r to reveal, s to skip, g for the givens, q to quit."
    ),
    "quiz.state_before": "The optimizer's state before step {step}: {values}",
    "quiz.section.forward": "Forward pass",
    "quiz.section.backward": "Backward pass",
    "quiz.section.update": "Update",
    "quiz.right": "right",
    "quiz.wrong": "not right at {decimals} decimals",
    "quiz.diagnosis": "It looks like: {diagnosis}",
    "quiz.hint": "Hint: {working}",
    "quiz.no_more_hints": "That is every hint; try again, or type r to reveal.",
    "quiz.revealed": "{working}",
    "quiz.skipped": "skipped",
    "quiz.not_understood": "Type a number (0.6457), ? for a hint, r to reveal, s to skip, g for the givens or q to quit.",
    "quiz.summary": "Summary",
    "quiz.score": "Score: {first} of {asked} right at the first try.",
    "quiz.counts": (
        "Right after a hint or another try: {later}; revealed: {revealed}; skipped: {skipped}; not asked: {left}."
    ),
    "quiz.review": "To review:",
    "quiz.review.revealed": "revealed",
    "quiz.review.skipped": "skipped",
    "quiz.review.retried": "right at try {tries} (hints: {hints})",
    "quiz.review.unanswered": "not answered right",
    "quiz.nothing_to_review": "Nothing to review: every value right at the first try.",
    "quiz.too_long": "That is longer than {limit} characters; type a number, or ? for a hint.",
    "quiz.ambiguous_comma": "Is {answer} a decimal comma or a thousands separator? Write it with a point.",
    "quiz.bad_fresh": "--fresh wants a seed, a whole number from 0 to 999999999999999999, not '{value}'",
    "quiz.bad_seed": "--seed wants a whole number from 0 to 999999999999999999, not '{value}'",
    "quiz.bad_order": "--order wants keep or shuffle, not '{value}'",
    "quiz.no_scenario": "give a SCENARIO, or --fresh SEED for a newly generated exercise",
    "quiz.fresh_and_scenario": "--fresh makes its own exercise: give either a SCENARIO or --fresh SEED, not both",
    "quiz.shuffled": "Order shuffled within each pass (seed {seed}).",
    # the words that name each command (any language's words are understood in every language)
    "quiz.words.hint": "? h hint",
    "quiz.words.reveal": "r reveal a answer",
    "quiz.words.skip": "s skip",
    "quiz.words.quit": "q quit exit",
    "quiz.words.givens": "g givens given",
    "quiz.words.help": "help",
    # why each kind of step's formula holds: one line after the value is answered or revealed
    "quiz.why.pre_activation": "Why: a neuron adds up what reaches it, each input times its weight, plus its bias.",
    "quiz.why.activation": "Why: a neuron's output is its activation function applied to that weighted sum.",
    "quiz.why.loss_term": "Why: each output has its own loss term, measuring how far it is from its target.",
    "quiz.why.loss": "Why: the total loss adds up the outputs' terms (mse averages them).",
    "quiz.why.output_gradient": (
        "Why: only {neuron}'s own loss term depends on its output, so this is that term's derivative."
    ),
    "quiz.why.hidden_gradient": (
        "Why: {neuron} feeds {consumers}; each path carries δ × weight back and the paths add, "
        "with the old weights, the ones the forward pass used (updates come after)."
    ),
    "quiz.why.hidden_gradient_updated": (
        "Why: {neuron} feeds {consumers}; each path carries δ × weight back and the paths add; "
        "this scenario's convention uses the already-updated weights."
    ),
    "quiz.why.slope": "Why: the slope of the activation function at the neuron's input, f′(in).",
    "quiz.why.slope.sigmoid": "Why: σ′(z) = σ(z)(1 − σ(z)), so the slope comes from the output alone: out·(1 − out).",
    "quiz.why.slope.tanh": "Why: tanh′(z) = 1 − tanh²(z), so the slope comes from the output alone: 1 − out².",
    "quiz.why.slope.relu": "Why: ReLU is z above 0 and 0 below, so its slope is 1 where z > 0 and 0 elsewhere.",
    "quiz.why.slope.leaky_relu": "Why: leaky ReLU is z above 0 and α·z below, so its slope is 1 or α.",
    "quiz.why.slope.linear": "Why: a linear neuron's output is its input, so the slope is 1.",
    "quiz.why.delta": "Why: chain rule: the loss reaches {neuron}'s input only through its output, so δ = ∂E/∂out · ∂out/∂in.",
    "quiz.why.delta_textbook": (
        "Why: chain rule, ∂E/∂in = ∂E/∂out · ∂out/∂in; this scenario writes the error term with the opposite sign."
    ),
    "quiz.why.gradient": (
        "Why: {parameter} reaches the loss only through the sums it is in: δ × what it multiplies (1 for a bias), "
        "one term per use."
    ),
    "quiz.why.new_parameter": "Why: gradient descent steps against the gradient, p′ = p − η·∂E/∂p, so the loss goes down.",
    "quiz.why.batch_loss": "Why: the batch's loss is the mean of its samples' losses (or their sum, as the scenario says).",
    "quiz.why.batch_gradient": (
        "Why: the batch's loss is the mean (or the sum) of the samples' losses, so its gradient is the mean (or the "
        "sum) of their gradients: for the mean, add them up and multiply by 1/m."
    ),
    "quiz.why.decayed": "Why: weight decay adds λ·p to the gradient (the gradient of ½λ·p²), so g = ∂E/∂p + λ·p.",
    "quiz.why.velocity": "Why: momentum keeps a velocity, v′ = β·v + g, and the parameter moves by η·v′.",
    "quiz.why.first_moment": "Why: Adam's first moment is a running mean of the gradients: m′ = β1·m + (1 − β1)·g.",
    "quiz.why.second_moment": (
        "Why: Adam's second moment is a running mean of the squared gradients: s′ = β2·s + (1 − β2)·g²."
    ),
    "quiz.why.corrected": (
        "Why: the moments start at 0, so Adam divides by 1 − β^t (t the step) to undo that bias of its first steps."
    ),
    "quiz.why.new_parameter_momentum": "Why: with momentum the parameter moves by η times the velocity: p′ = p − η·v′.",
    "quiz.why.new_parameter_adam": "Why: Adam moves the parameter by η·m̂/(√ŝ + ε), the mean gradient over its typical size.",
    "quiz.why.frozen": "Why: {parameter} is frozen here: its gradient is computed, but it keeps its value.",

    # ── bptutor generate ─────────────────────────────────────────────────────────
    "generate.loss_needs_output": "the {loss} loss needs --output-activation {activation}",
    "generate.loss_exact": "{loss} exercises are worked at full precision (the loss is computed from the logits, which a hand-rounded calculation does not do): add --exact",
    "generate.softmax_outputs": "a softmax output layer needs at least 2 neurons, and the shape {shape} has 1 (with one output, use sigmoid and bce)",
    "generate.title": "Exercise {number}: {shape} {activation} network (seed {seed})",
    "generate.yaml_made": "Exercise {number}, made by bptutor generate --shape {shape} --seed {seed}.",
    "generate.yaml_check": "Check it with bptutor validate {name}.yaml; work it with bptutor solve {name}.yaml",
    "generate.yaml_rounding": (
        "As by hand: every value is written down to {decimals} decimals (half up) and used as written."
    ),
    "generate.bad_shape": "--shape takes 2 to 4 numbers from 1 to 6 joined by '-', such as 2-2-2 (got '{shape}')",
    "generate.bad_choice": "{option}: unknown value '{value}'; expected one of: {choices}",
    "generate.no_nice_numbers": (
        "no nice numbers found for a {shape} network in {attempts} draws "
        "(a neuron saturates or a gradient vanishes); try fewer layers, another activation or more decimals"
    ),
    "generate.category": "bptutor {shape} exercises, seed {seed}",
    "generate.wiring": "The network: ",
    "generate.description_name": "{exercise}: the problem",
    "generate.ask.output": "Compute {name}, the output of neuron {neuron}.",
    "generate.ask.loss": "Compute the loss {name}.",
    "generate.ask.gradient": "Compute the gradient {name}.",
    "generate.ask.update": "Compute {name}, the value of {parameter} after one update.",
    "generate.ask.rounded": (
        "Write every value down to {decimals} decimals (half up) and go on with the value as written; "
        "give the answer to {decimals} decimals."
    ),
    "generate.ask.exact": "Compute at full precision and give the answer to {decimals} decimals.",
    "generate.wrote": "{count} exercises written to {directory}",
    "generate.wrote_bank": "{file}: {questions} questions",
    "generate.bank_comment": (
        "{questions} questions on {count} exercises (bptutor generate, shape {shape}, seed {seed})"
    ),
    "help.generate": (
        "Write exercises to hand out: small networks with nice numbers drawn from a seed, "
        "each as a scenario file with its worked solution and answer key, "
        "and a Moodle XML or GIFT question bank of every asked quantity.\n\n"
        "Example: bptutor generate --shape 2-2-2 --count 20 --seed 1 --format md,moodle -o exercises"
    ),
    "help.generate.short": "Write exercises with worked solutions, answer keys and a Moodle question bank.",
    "help.shape": (
        "Neurons per layer from the inputs to the outputs: 2 to 4 numbers from 1 to 6, such as 2-2-2 or 3-2-2-1."
    ),
    "help.count": "How many exercises (1 to 200).",
    "help.seed": "Seed of the random numbers: the same seed gives the same exercises.",
    "help.activation": "Activation of the hidden layers.",
    "help.output_activation": "Activation of the output layer.",
    "help.loss": "The loss: half_sse, sse or mse.",
    "help.decimals": "Decimals every value is written down to, as by hand; answers are asked to this precision.",
    "help.exact": "Compute at full precision instead of rounding each value (answers still to --decimals).",
    "help.generate_format": (
        "What to write, repeatable or comma-separated: md, tex, html (solution and answer key per exercise), "
        "moodle (bank.moodle.xml), gift (bank.gift.txt)."
    ),
    "help.generate_output": "Folder to write into; created when missing.",
    "help.rate": "The learning rate η.",
    "help.ask": "What the question bank asks, comma-separated: outputs, loss, gradients, updates.",

    # ── bptutor graph: the computational graph as a picture ──────────────────────
    "graphpic.title": "Graph of {scenario}: {title}",
    "graphpic.legend": (
        "Each node: name = value | ∂{output}/∂name, then the edges to the nodes it feeds.\n"
        "Each edge: the local derivative ∂target/∂name, and upstream × local = ∂{output}/∂target × ∂target/∂name;\n"
        "the shares of a node's edges add up to its ∂{output}/∂name."
    ),
    "graphpic.dot_legend": (
        "Each node: name = value | ∂{output}/∂name; each edge source → target: the local derivative ∂target/∂source."
    ),
    "graphpic.column": "Column {number}: {contents}",
    "graphpic.separator": "; ",
    "graphpic.column.inputs": "inputs",
    "graphpic.column.parameters": "parameters of layer {layer}",
    "graphpic.column.pre_activations": "pre-activations of layer {layer}",
    "graphpic.column.activations": "activations of layer {layer} ({activation})",
    "graphpic.column.loss": "loss ({loss})",
    "graphpic.column.gates": "gates at depth {depth}",
    "graphpic.share": "upstream × local = {product}",
    "graphpic.no_dot": (
        "SVG and PNG pictures are drawn by Graphviz: install the Debian package graphviz "
        "(apt-get install graphviz), which provides the dot program; --format dot writes the DOT text without it"
    ),
    "graphpic.dot_failed": "Graphviz dot could not draw the picture (exit status {status}): {stderr}",
    "graphpic.dot_timeout": "Graphviz dot did not finish the picture within {seconds} seconds",
    "help.graph": (
        "Draw the computational graph: every quantity as a node with its value and its gradient, "
        "every edge with its local derivative, laid out by layer. text: in the terminal, each node with "
        "the edges it feeds and their upstream × local; dot: Graphviz DOT; mermaid: a Mermaid flowchart; "
        "svg, png: a picture drawn by Graphviz (needs the dot program).\n\n"
        "Example: bptutor graph two_two_two --format png -o two_two_two.png"
    ),
    "help.graph.short": "Draw the computational graph with values, gradients and local derivatives.",
    "help.graph_format": (
        "text: in the terminal; dot: Graphviz DOT; mermaid: Mermaid flowchart; svg, png: drawn by Graphviz."
    ),
    "help.graph_output": (
        "Write to FILE instead of standard output (svg and png go to SCENARIO.svg or SCENARIO.png when not given)."
    ),
    "help.graph_digits": "Significant digits of the numbers in the picture (default 4, as in a hand drawing).",

    # ── expression scenarios: circuits of gates (expression.py, circuit.py, render_circuit.py) ──
    "expression.too_many_lines": "an expression program has at most {limit} lines",
    "expression.too_long": "the expression program is longer than {limit} characters",
    "expression.line_too_long": "a line of an expression has at most {limit} characters",
    "expression.empty": "the expression is empty; write a line such as f = (x + y) * z",
    "expression.no_assignment": "write each line as name = expression, e.g. f = (x + y) * z",
    "expression.bad_target": (
        "'{found}' cannot be defined: before = write one name (letters, digits and _, starting with a letter)"
    ),
    "expression.function_as_name": "{name} is a function and cannot be the name of a value",
    "expression.nothing": "nothing after =: write the expression that defines this value",
    "expression.syntax": "this is not an expression bptutor can read (check the brackets and the operators + - * / **)",
    "expression.too_deep": "the expression is nested more than {limit} operations deep",
    "expression.too_many_nodes": "the expression program has more than {limit} operations, names and numbers",
    "expression.function_not_called": "{name} is a function: write {name}(…) with its argument",
    "expression.unknown_function": "unknown function '{name}'; the functions are: {functions}",
    "expression.keyword_argument": "functions take plain arguments only, not name=value",
    "expression.arity": "{name} takes {count} argument(s), {given} given",
    "expression.caret": "^ is not a power here: write x**2 for x squared",
    "expression.second_equals": "only one = per line (comparisons are not allowed)",
    "expression.bad_character": (
        "the character '{character}' is not allowed in an expression "
        "(use names, numbers, + - * / ** and parentheses)"
    ),
    "expression.name_too_long": "a name has at most {limit} characters",
    "expression.bad_name": "'{name}' is not a name bptutor accepts (letters, digits and _, starting with a letter)",
    "expression.not_a_number": "only numbers, names and operations are allowed here (no text, True, False or None)",
    "expression.bad_number": "'{found}' is not a decimal number such as 2, 0.5 or 1e-3",
    "expression.number_out_of_range": (
        "the number {found} is out of range: at most 1e6 and at least 1e-20 in size (or 0), at most 30 digits"
    ),
    "expression.exponent_not_number": (
        "the exponent of ** must be a number written out, at most {limit} in size, e.g. x**2"
    ),
    "expression.exponent_too_large": "the exponent of ** is at most {limit} in size",
    "expression.syntax.attribute": "attribute access (a dot after a name) is not allowed",
    "expression.syntax.subscript": "indexing with [ ] is not allowed",
    "expression.syntax.lambda": "lambda is not allowed",
    "expression.syntax.comparison": "comparisons (is, in, <, ==) are not allowed; use max or min",
    "expression.syntax.logic": "logic (and, or, not) is not allowed",
    "expression.syntax.condition": "if … else is not allowed; use max, min or relu",
    "expression.syntax.starred": "* before an argument is not allowed",
    "expression.syntax.comprehension": "for … in is not allowed",
    "expression.syntax.tuple": "a list or a pair of values is not allowed here; one line computes one value",
    "expression.syntax.text": "text is not allowed in an expression",
    "expression.syntax.assignment": ":= is not allowed",
    "expression.syntax.operator": "this operator is not allowed; the operators are + - * / and **",
    "expression.syntax.other": "this is not allowed in an expression",
    "expression.defined_twice": "{name} is already defined on line {line} of the expression",
    "expression.used_before_defined": "{name} is used before the line that defines it",
    "expression.unused_line": "{name} is computed but never used on the way to {output}",
    "expression.unknown_variable": "unknown name '{name}'; the expression may use: {variables}",
    "expression.missing": "this scenario gives layers, not an expression",
    "expression.expected_line": "expected one line of the expression program, got {found}",
    "expression.expected_program": (
        "expected an expression such as f = (x + y) * z, or a block of such lines, got {found}"
    ),
    "expression.what.values": "a mapping of the expression's names to numbers, e.g. {{x: -2, y: 5}}",
    "expression.what.gates": "how gates are shown",
    "expression.value_not_read": "{name} is given a value but the expression does not read it; it reads: {leaves}",
    "expression.value_missing": "the expression reads {name}: give it a value under values",
    "expression.domain": "{gate} cannot be computed: {reason}",
    "expression.domain.division": "division by 0",
    "expression.domain.log": "the logarithm of a number ≤ 0",
    "expression.domain.zero_power": "0 raised to a negative power",
    "expression.domain.negative_power": "a negative number raised to a power that is not a whole number",
    "expression.overflow": "{gate} (at {where}) is too large for float64: the numbers overflowed",
    "expression.note.tie": (
        "{gate} = {op}(…) has a tie: the whole gradient goes to the first argument (one valid subgradient)"
    ),
    "expression.note.kink": (
        "{gate} = {op}(0) has no derivative at 0: the local derivative 0 is used (one valid subgradient)"
    ),
    "expression.unknown_name": "{name} is not a value of this circuit; the values are: {names}",
    "expression.layered_only": (
        "{scenario} is an expression scenario: run, explain and validate work on it; "
        "solve, check and quiz need a layered network"
    ),
    "expression.no_steps": "an expression scenario is not trained: --steps and --every do not apply",
    "expr.run.title": "{title}  ({scenario}, a circuit of {count} gates)",
    "expr.given.expression": "expression",
    "expr.given.values": "values",
    "expr.given.gates": "gates",
    "expr.gates.grouped": "grouped (a sigmoid is one gate)",
    "expr.gates.fine": "fine (a sigmoid is its −z, exp, +1 and 1/x gates)",
    "expr.heading.forward": "Forward pass: the value of every gate",
    "expr.heading.backward": "Backward pass: on every edge, upstream × local = downstream (from {output} back)",
    "expr.heading.gradients": "Gradients: the sum of the edges into each value (a fork adds them up)",
    "expr.column.gate": "gate",
    "expr.column.edge": "edge",
    "expr.column.upstream": "upstream",
    "expr.column.local": "local",
    "expr.column.downstream": "downstream = upstream × local",
    "expr.column.gradient": "gradient",
    "expr.column.sum": "sum of the edges",
    "expr.row.output": "the output itself",
    "expr.row.fork": "{name} (fork)",
    "expr.row.unreached": "reaches no gate",
    "expr.explain.title": "∂{output}/∂{name}: the chain rule along every path from {output} back to {name}",
    "expr.explain.gates": "The circuit, at {values}:",
    "expr.explain.path": "Path {number}: {path}",
    "expr.explain.sum": "Sum over the {count} paths (a value that forks adds its paths):",
    "expr.explain.one_path": "One path, so that is the gradient:",
    "expr.explain.no_path": "{name} does not lead to {output}, so ∂{output}/∂{name} = 0",
    "expr.explain.itself": "{name} is the output: ∂{name}/∂{name} = 1",
    "expr.explain.too_many_paths": "There are {count} paths; the first {shown} are written out.",
    "expr.explain.whole": "Check: {output} as one expression in the leaves, differentiated by sympy:",
    # ── larger networks: the compact form, summary views, sensitivity ───────────
    "what.shape": "a list of 2 to {most} layer sizes, from the inputs to the outputs (shape: [784, 16, 16, 10])",
    "what.width": "a whole number of neurons from 1 to {most}",
    "what.init": "a mapping {{scheme: uniform, xavier or he, seed: a whole number}}",
    "what.init_scheme": "an initialisation scheme",
    "what.seed": "a whole number from 0 up as the seed",
    "what.positive_number": "a number greater than 0",
    "what.compact_inputs": "a list of {count} numbers, or {{generate: uniform, seed: S}}",
    "what.generator": "a way to generate the inputs",
    "what.range_pair": "a list [low, high] with low < high",
    "what.target_values": "targets",
    "what.compact_targets": "a list of {count} numbers, or {{one_hot: k}}",
    "what.one_hot": "the number of an output, from 1 to {count}",
    "compact.too_many_parameters": "this shape has {count} parameters; at most {limit} are allowed",
    "compact.activation_count": (
        "expected one activation, or a list of {count} (one per layer after the inputs); got a list of {found}"
    ),
    "compact.range_uniform_only": (
        "range is for the uniform scheme only; {scheme} sets its own range from the layer sizes"
    ),
    "compact.not_a_parameter": "{name} is not a parameter of this shape (names like {examples})",
    "compact.no_init": (
        "no init, and no value for {name} ({count} parameters without a value): "
        "give init: {{scheme: xavier, seed: 1}}, or every parameter under parameters"
    ),
    "compact.count": "expected {count} {what}, got {found}",
    "what.compact_samples": "the name of a .csv or .npz file of training samples",
    "compact.csv_columns": (
        "the CSV file {file} has {found} columns; this shape needs {inputs} input columns, then {outputs} target columns"
    ),
    "npz.file_too_large": "the NumPy file {file} is too large (at most 256 MiB)",
    "npz.unreadable": "cannot read the NumPy file {file}: {reason}",
    "npz.not_archive": "{file} is not a NumPy .npz archive (numpy.savez writes one)",
    "npz.keys": "the NumPy file {file} must hold exactly the arrays inputs and targets; it holds: {found}",
    "npz.problem": "the NumPy file {file}, array {key}: {reason}",
    "npz.short": "its header declares the shape {shape}, more numbers than the file holds",
    "npz.too_large": "too large when unpacked (at most {most} MiB)",
    "npz.dtype": "expected whole or floating-point numbers, got the type {dtype}",
    "npz.empty": "expected one row per sample, got the shape {shape}",
    "npz.inputs_shape": "expected one row of {count} numbers per sample, got the shape {shape}",
    "npz.targets_shape": (
        "expected {count} rows of {outputs} numbers (or, for several outputs, {count} class labels), got the shape {shape}"
    ),
    "npz.too_many_values": "too many numbers in all (at most {most})",
    "npz.bad_number": "sample {sample}, number {column}: expected a finite number of at most 1e6 in size, got {found}",
    "npz.bad_label": "sample {sample}: expected a class label, a whole number from 0 to {most}, got {found}",
    "summary.note": (
        "A summary of {count} parameters: --full prints every table; bptutor explain NAME derives one gradient."
    ),
    "summary.network": "network",
    "summary.network_value": "{shape}, {count} parameters",
    "summary.inputs": "inputs",
    "summary.targets": "targets",
    "summary.many_values": "{count} {what} {first} … {last}, from {low} to {high}",
    "summary.parameter_count": "{count} parameters",
    "summary.heading.outputs": "Outputs",
    "summary.heading.layers": "Per layer (Frobenius norms: ‖W‖ = √(Σ w²))",
    "summary.heading.top": "The {top} parameters with the largest |∂{loss}/∂p| (of {count})",
    "summary.more_notes": "({count} more like it)",
    "column.output": "output",
    "column.target": "target",
    "column.layer": "layer",
    "column.weights": "weights",
    "column.activation": "activation",
    "column.rank": "rank",
    "sensitivity.heading": (
        "Sensitivity of {loss} to each parameter in {scenario}: |∂{loss}/∂p|, largest first ({shown} of {count})"
    ),
    "sensitivity.column.next": "× next",
    "sensitivity.column.last": "× last",
    "sensitivity.sentence": (
        "Here {first} matters {ratio}× more than {last}: "
        "a small change in {first} changes {loss} {ratio} times as much as the same change in {last}."
    ),
    "sensitivity.last_zero": (
        "Here {loss} does not change at all with {last} (its gradient is 0), but does with {first}."
    ),
    "sensitivity.all_zero": "Every gradient listed is 0: {loss} does not change with these parameters here.",
    "help.sensitivity": (
        "Rank the parameters by |∂E/∂p|: which ones the loss is most sensitive to, and how many times more "
        "than the others.\n\nExample: bptutor sensitivity two_two_two --top 5"
    ),
    "help.sensitivity.short": "Rank the parameters by how much the loss depends on them.",
    "help.top": "How many parameters to list (default 10; 0 for all).",
    "help.full": (
        "Print every table, however large the network (by default a network of more than 60 parameters gets a summary)."
    ),
    "help.summary": (
        "Print the summary (per-layer norms, the parameters with the largest gradients) even for a small network."
    ),
    "explain.large_network": (
        "Chain rule: {target} reaches {loss} along {count} paths; in a network of {parameters} parameters "
        "they are not written out one by one, see the δ form below."
    ),
    "usage.full_and_summary": "--full and --summary cannot be used together",
    # ── training (issue #6): samples, optimizers, new losses, bptutor train ──────
    "loss.mae": "{loss} = (1/n) Σ |target − out|, the mean absolute error over the n output neurons",
    "loss.rmse": "{loss} = √((1/n) Σ (target − out)²), the root of the mean squared error",
    "loss.bce": "{loss} = −(1/n) Σ [target·ln(out) + (1 − target)·ln(1 − out)], binary cross-entropy",
    "loss.cross_entropy": "{loss} = −Σ target·ln(out), cross-entropy on a softmax output layer",
    "what.samples": (
        "samples: a list of (inputs, targets) mappings, a .csv file name, or a mapping (generate: "
        "xor|circle|gaussians|spiral, count, noise, seed)"
    ),
    "what.sample": "a sample: a mapping with inputs and targets",
    "count.sample": "sample",
    "count.samples": "samples",
    "what.dataset": "a data set",
    "what.whole_number": "a whole number from {least} to {most}",
    "what.training": "a mapping with steps or epochs, batch_size, shuffle, seed, reduction",
    "what.reduction": "how the batch gradient is formed",
    "what.optimizer": "an optimizer",
    "scenario.samples_and_inputs": (
        "give either samples or {key}, not both (with samples, the samples name the inputs and give the targets)"
    ),
    "scenario.sample_inputs_differ": "every sample must give the same inputs as the first: {names}",
    "scenario.sample_targets": "a sample's targets are named by the output neurons: {names}",
    "scenario.noise_range": "noise must be between 0 and 10, got {found}",
    "scenario.generator_outputs": (
        "a generated data set has two classes: give the output layer 1 neuron (sigmoid) or 2 (softmax), not {count}"
    ),
    "scenario.csv_too_large": "the CSV file {file} is too large (at most 256 MiB)",
    "scenario.csv_unreadable": "cannot read the CSV file {file}: {reason}",
    "scenario.csv_no_header": "the CSV file {file} has no header row naming its columns",
    "scenario.csv_row_length": "{file} line {line}: {count} values, but the header names {expected} columns",
    "scenario.csv_not_number": (
        "{file} line {line}, column {column}: expected a number (at most 1e6 in size), got {found}"
    ),
    "scenario.csv_missing_targets": (
        "the CSV file has no column for the output neuron(s) {names}, which hold the targets"
    ),
    "scenario.steps_and_epochs": "give steps or epochs, not both",
    "scenario.not_negative": "expected a number ≥ 0, got {found}",
    "scenario.optimizer_constant": "{key} must be at least 0 and below 1 (epsilon: above 0), got {found}",
    "scenario.softmax_not_output": (
        "softmax is an output layer's activation (with cross_entropy, or a loss worked through its Jacobian), "
        "not a hidden layer's"
    ),
    "scenario.softmax_needs_cross_entropy": (
        "a softmax output layer takes cross_entropy, or a loss without an activation of its own (half_sse, sse, mse, "
        "mae, rmse or a custom loss, worked through softmax's Jacobian); bce needs a sigmoid output"
    ),
    "scenario.loss_needs_output": "the {loss} loss needs a {activation} output layer",
    "scenario.softmax_one_neuron": "a softmax output layer needs at least 2 neurons (with one, use sigmoid and bce)",
    "scenario.targets_probabilities": "{loss} targets must lie between 0 and 1 (sample {sample})",
    "scenario.targets_sum": "cross_entropy targets must sum to 1 (sample {sample} sums to {total})",
    "scenario.rounding_training": (
        "rounding is for a hand calculation: one example, plain gradient descent, and the loss half_sse, sse or mse"
    ),
    "note.cancels.sigmoid": (
        "With binary cross-entropy on a sigmoid output, ∂{loss}/∂out = (out − target)/(out·(1 − out)) and "
        "σ′ = out·(1 − out) cancel: δ = ∂{loss}/∂in = out − target (over n outputs, divided by n). σ′ never "
        "appears, so a saturated output still learns, and the loss is computed from in (no log(0))."
    ),
    "note.cancels.softmax": (
        "With cross-entropy on a softmax output, δ_i = Σ_j ∂{loss}/∂out_j·∂out_j/∂in_i "
        "= Σ_j (−target_j/out_j)·out_j·(δ_ij − out_i) = out_i·Σ_j target_j − target_i = out_i − target_i, "
        "since the targets sum to 1: softmax's derivative never appears, and the loss is computed from the "
        "in values (no log(0), no overflow)."
    ),
    "graph.batch_title": (
        "{title}, step {step}: sample {index}, the first of the {count} in its batch (bptutor run traces them all)"
    ),
    "cli.batch_too_large": (
        "{source}: the batch of step {step} has {count} samples; bptutor {command} works a batch of at most {most} "
        "samples by hand: bptutor run traces every sample, or give the training section a batch_size of {most} or fewer"
    ),
    "cli.trace_too_large": (
        "{source}: a trace follows each sample of a batch by hand; with samples, a network of more than {most} "
        "parameters (this one has {count}) is trained by bptutor train"
    ),
    "train.sample_heading": "Sample {number} of {count} in the batch (sample {index}: {givens})",
    "train.more_samples": (
        "The other samples of the batch ({shown} of {count} are shown) are traced the same way; their gradients are in "
        "the mean below."
    ),
    "train.heading.gradient_mean": "Batch gradient: the mean of the {count} samples' ∂{loss}/∂p",
    "train.heading.gradient_sum": "Batch gradient: the sum of the {count} samples' ∂{loss}/∂p",
    "train.heading.update": "Update ({optimizer}: {rule})",
    "train.heading.losses": "Loss over {steps} steps (each the mean over its batch; the last line over all samples)",
    "train.column.sample": "sample {index}",
    "train.column.sum": "sum",
    "train.given.samples": "samples",
    "train.samples_value": "{count}: inputs {inputs}; targets {targets}",
    "train.given.batch": "batches",
    "train.batch_all": "all {count} samples in each step (full batch)",
    "train.batch_size": "{size} of the {count} samples in each step",
    "train.reduction_mean": "gradient = the mean over the batch",
    "train.reduction_sum": "gradient = the sum over the batch",
    "train.shuffle": "shuffled each epoch (seed {seed})",
    "train.no_shuffle": "in order",
    "train.given.optimizer": "optimizer",
    "scenario.updated_weights_training": (
        "hidden_error_weights: updated is a hand-calculation convention, not a gradient: bptutor run shows it "
        "for one example with gradient descent; training (train, samples, optimizers, training losses) needs the "
        "exact gradient"
    ),
    "train.title": "Training {title}  ({scenario})",
    "train.summary": "{count} samples, {steps} steps ({epochs} epochs), optimizer {optimizer}, loss {loss}",
    "train.heading.curve": "Loss per epoch ({loss}, the mean over all samples; epoch 0 is before training)",
    "train.epoch_axis": "epoch →",
    "train.loss_change": "{loss}: {first} before training, {last} after {epochs} epochs",
    "train.accuracy": "accuracy: {percent}% ({right} of {count} samples classified right)",
    "train.heading.parameters": "Parameters",
    "train.heading.layers": "Parameters by layer (weights and biases)",
    "train.column.initial": "initial",
    "train.column.final": "after training",
    "train.column.layer": "layer",
    "train.column.shape": "inputs→neurons",
    "train.column.count": "parameters",
    "train.column.mean": "mean",
    "train.column.std": "std",
    "train.column.min": "min",
    "train.column.max": "max",
    "train.progress": "training",
    "train.no_matplotlib": "--plot needs matplotlib: pip install \"bptutor[plot]\" (or pip install matplotlib)",
    "usage.steps_and_epochs": "give --steps or --epochs, not both",
    "help.train": (
        "Train the network on the scenario's samples (vectorised, with NumPy): a progress bar while it runs, "
        "then the loss per epoch as a plot, the accuracy for classification data, and the parameters.\n\n"
        "Example: bptutor train spiral --plot spiral.png"
    ),
    "help.train.short": "Train on many samples: loss curve, accuracy, parameters.",
    "help.train_steps": "Number of updates (overrides the file's training section).",
    "help.train_epochs": "Number of passes over the samples (overrides the file's training section).",
    "help.train_format": "rich (default): plot and tables; json: one object for tools.",
    "help.train_plot": (
        "Also save the loss curve (and, for two inputs, the decision boundary) as a PNG image; needs matplotlib."
    ),
    # ── custom activations and losses in layered scenarios (bptutor.core.custom) ──
    "custom.loss_name": "custom",
    "custom.loss_sum": "{loss} = Σ {term}, with {target} the target and {output} the output",
    "custom.loss_mean": (
        "{loss} = (1/n) Σ {term}, the mean over the n output neurons, with {target} the target and {output} the output"
    ),
    "custom.domain": "{function} cannot be computed at {at}: {reason}",
    "custom.bad_variable": (
        "expected a variable's name (a letter, then letters, digits or _; not a function's name), found {found}"
    ),
    "custom.same_variable": "the target and the output need two different names; both are '{name}'",
    "custom.expected_expression": "expected an expression on one line, such as \"t / 10\", found {found}",
    "custom.expression_scenario": (
        "'expression' makes this an expression scenario (a program of gates, not layers): "
        "read it with bptutor.load or the bptutor commands"
    ),
    "custom.no_handout": (
        "{scenario} is an expression scenario: its result has values and gradients, "
        "but worked solutions (handouts) need a layered network"
    ),
    "custom.not_for_training": (
        "custom activations and losses work for one example (run, explain, solve, check); "
        "training (samples, training, optimizer, weight_decay) needs built-in functions"
    ),
    "solve.too_large": (
        "a worked solution of {count} parameters would run to hundreds of pages; solve writes full solutions and "
        "worksheets for networks of at most {most} parameters. For this one: solve --answers-only, "
        "run (its summary view), sensitivity, or explain NAME for one parameter"
    ),

    # ── the interactive worksheet (solve --format html --interactive) ────────────
    "help.interactive": "With --format html: a worksheet that checks itself in the browser, as check judges (one offline file).",
    "usage.interactive_html": "--interactive makes an HTML page: use it with --format html (not {format})",
    "usage.interactive_variant": "--interactive makes its own worksheet, value by value: leave out --answers-only, --worksheet, --steps, --derive and --form matrix",
    "sheet.unsupported": "the interactive worksheet cannot compute {step} in the page ({what})",
    "sheet.title": "Worksheet",
    "sheet.intro": "Work one training step by hand. Type each value with the decimals you worked to; it is judged at that precision, and a value worked correctly from your own earlier numbers gets credit too.",
    "sheet.keyboard": "Enter checks a value and moves to the next one. Nothing leaves this page: your answers stay in this browser.",
    "sheet.givens": "Given",
    "sheet.figure": "The network: the quantity being worked and the arrows that feed it are highlighted.",
    "sheet.part.forward": "Forward pass",
    "sheet.part.loss": "Loss",
    "sheet.part.backward": "Backward pass",
    "sheet.part.update": "Update",
    "sheet.check": "Check",
    "sheet.hint": "Hint",
    "sheet.check_all": "Check all",
    "sheet.export": "Download answers (.yaml)",
    "sheet.export_text": "Answers file for bptutor check",
    "sheet.print": "Print",
    "sheet.reset": "Start again",
    "sheet.reset_confirm": "Clear every answer on this sheet?",
    "sheet.score": "{right} of {total} right · hints {hints} · answers shown {answers}",
    "sheet.verdict.right": "Right.",
    "sheet.verdict.carried": "Worked correctly from your earlier value(s) {names}.",
    "sheet.verdict.wrong": "Not right.",
    "sheet.verdict.empty": "Not given.",
    "sheet.verdict.unreadable": "Not a number: write it like 0.5744 or -1.2e-3.",
    "sheet.carried_from": "{names}",
    "sheet.mistake": "Looks like: {mistake}.",
    "sheet.correction": "Correct: {formula}",
    "sheet.hint.symbols": "Formula: {formula}",
    "sheet.hint.numbers": "With your numbers: {formula}",
    "sheet.hint.answer": "Answer: {value}",
    "sheet.storage_off": "This browser does not let the page keep your answers: they are lost on reload. Download them before you leave.",
    "sheet.exported": "Answers file made: give it to bptutor check.",
    "sheet.given.inputs": "inputs",
    "sheet.given.targets": "targets",
    "sheet.given.sample": "sample {number}",
    "sheet.given.state": "{optimizer}: state before the step",
    "sheet.given.parameters": "weights and biases",
    "sheet.given.rate": "learning rate",
})

LANGUAGE = Language(
    tag="en",
    latex_class="\\documentclass[11pt]{article}",
    latex_engine="pdflatex or xelatex.",
    thousands_separator=",",
    language_names=MappingProxyType({}),
    messages=MESSAGES,
)
