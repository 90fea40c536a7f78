"""Every sentence bptutor prints, in English and Chinese, in one table.

A message is looked up by key and filled in with `{field}` placeholders:
`message("run.heading.forward", "zh")`. Errors and notes are made before the
language is known, so they carry a `Message` (a key and its fields) and are put
into words only at the command-line edge, with `Message.render(lang)`.
Fields may themselves be Messages; they are rendered in the same language.

The Chinese follows the words Chinese courses use: 正向传播, 反向传播, 链式法则,
损失函数, 误差项 δ, 学习率 η, 梯度, 权重, 偏置, 参数更新, 隐含层, 输出层.
Names (in_h1, w5, E_total), symbols and numbers are never translated.
This module imports nothing heavy: the command line reads it at every start.

May import: nothing of bptutor (the lowest stage).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def detect_language(environ: Mapping[str, str]) -> str:
    """The language the environment asks for: the first non-empty of LC_ALL, LC_MESSAGES, LANG.

    A locale starting with "zh" (zh_CN.UTF-8, zh_TW, zh) means Chinese; anything else English.
    """
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return DEFAULT_LANGUAGE


def _both(en: str, zh: str) -> Mapping[str, str]:
    return MappingProxyType({"en": en, "zh": zh})


# fmt: off
CATALOG: Mapping[str, Mapping[str, str]] = MappingProxyType({
    # ── bptutor run: headings and the table of givens ────────────────────────────
    "run.title": _both(
        "{title}  ({scenario}, step 1 of {steps})",
        "{title}  （{scenario}，第 1 步，共 {steps} 步）"),
    "run.heading.given": _both("Given", "已知条件"),
    "run.heading.forward": _both("Forward pass", "正向传播"),
    "run.heading.backward": _both(
        "Backward pass (error term {delta} = {signal}, from the output layer back)",
        "反向传播（误差项 {delta} = {signal}，从输出层往回算）"),
    "run.heading.update": _both("Update (p′ = {rule})", "参数更新（p′ = {rule}）"),
    "run.heading.losses": _both("Loss over {steps} steps", "{steps} 步中每一步的损失"),
    "run.note": _both("Note: {note}", "注意：{note}"),
    "given.inputs": _both("inputs", "输入"),
    "given.targets": _both("targets", "目标"),
    "given.parameters": _both("parameters ({layer})", "参数（{layer} 层）"),
    "given.activations": _both("activations", "激活函数"),
    "given.activation": _both("{layer}: {activation}", "{layer} 层：{activation}"),
    "given.activation_separator": _both(", ", "，"),
    "given.loss": _both("loss", "损失函数"),
    "given.loss_value": _both("{name}: {description}", "{name}：{description}"),
    "given.learning_rate": _both("learning rate", "学习率"),
    "given.rate": _both("η = {rate} for {names}", "η = {rate}：{names}"),
    "given.rate_separator": _both("; ", "；"),
    "given.frozen": _both("frozen", "冻结参数"),
    "given.frozen_names": _both("{names} (gradient shown, not updated)", "{names}（计算并显示梯度，但不更新）"),
    "given.rounding": _both("rounding", "舍入"),
    "given.rounding_kind": _both("{kind} to {decimals}", "{kind}保留 {decimals} 位"),
    "given.rounding_nothing": _both("nothing", "无"),
    "given.rounding_value": _both(
        "{kinds} decimals ({method}), each value used as written; the rest exact",
        "{kinds}小数（{method}），每个值按写下的数继续计算；其余精确计算"),
    "given.rounding_half_up": _both("half up", "四舍五入"),
    "given.rounding_half_even": _both("half to even", "四舍六入五成双"),
    "kind.pre_activations": _both("pre-activations", "加权输入"),
    "kind.activations": _both("activations", "神经元输出"),
    "kind.losses": _both("losses", "损失"),
    "kind.deltas": _both("error terms", "误差项"),
    "kind.gradients": _both("gradients", "梯度"),
    "kind.parameters": _both("parameters", "更新后的参数"),
    "given.error_term": _both("error term", "误差项"),
    "given.error_term_value": _both("{error}, update p + η·Err·input", "{error}，更新 p + η·Err·输入"),
    "given.hidden_errors": _both("hidden errors", "隐含层误差"),
    "given.hidden_errors_value": _both(
        "use the already-updated weights of the layer above (not the exact gradient)",
        "使用上一层已经更新过的权重（不是精确梯度）"),
    "given.biases": _both("biases", "偏置"),
    "given.biases_threshold": _both("thresholds, subtracted: {pre} = Σ w·x − θ", "阈值，做减法：{pre} = Σ w·x − θ"),
    "note.updated_weights": _both(
        "The hidden error terms use the already-updated weights of the layer above (updated weights are "
        "marked ′), as some classic texts do: this is not the exact gradient of the loss.",
        "隐含层误差项使用了上一层已经更新过的权重（更新后的权重标有 ′），这是一些经典教材的做法："
        "这样算出的不是损失函数的精确梯度。"),
    "loss.half_sse": _both("{loss} = Σ ½(target − out)²", "{loss} = Σ ½(目标 − 输出)²"),
    "loss.sse": _both("{loss} = Σ (target − out)²", "{loss} = Σ (目标 − 输出)²"),
    "loss.mse": _both(
        "{loss} = (1/n) Σ (target − out)², the mean over the n output neurons",
        "{loss} = (1/n) Σ (目标 − 输出)²，对 n 个输出神经元取平均"),

    # ── bptutor run: the tables ──────────────────────────────────────────────────
    "column.quantity": _both("quantity", "量"),
    "column.formula": _both("formula", "公式"),
    "column.with_numbers": _both("with numbers", "代入数值"),
    "column.value": _both("value", "数值"),
    "column.derivative": _both("derivative", "偏导数"),
    "column.chain_rule": _both("chain rule", "链式法则"),
    "column.parameter": _both("parameter", "参数"),
    "column.new_value": _both("new value", "新值"),
    "column.step": _both("step", "步"),
    "column.loss_before_update": _both("{loss} before the update", "更新前的 {loss}"),
    "row.path_via": _both("  path via {via}", "  经 {via} 的路径"),
    "row.feeds_nothing": _both("0 (it feeds nothing)", "0（它不影响任何量）"),
    "row.frozen": _both("frozen: not updated", "冻结：不更新"),
    "row.after_last_step": _both("after the last step", "最后一步之后"),

    # ── bptutor explain ──────────────────────────────────────────────────────────
    "explain.about": _both("{about} in {scenario}", "{about}（例题 {scenario}）"),
    "explain.about_titled": _both("{about} in {scenario}: {title}", "{about}（例题 {scenario}：{title}）"),
    "explain.definition": _both("Definition:", "定义："),
    "explain.loss_itself": _both(
        "{loss} is the loss itself: ∂{loss}/∂{loss} = 1.",
        "{loss} 就是损失函数本身：∂{loss}/∂{loss} = 1。"),
    "explain.too_many_paths": _both(
        "Chain rule: {target} reaches {loss} along {count}+ paths; too many to write out, see the δ form below.",
        "链式法则：{target} 经 {count} 条以上的路径影响 {loss}，太多，不逐条写出；请看下面的误差项 δ 形式。"),
    "explain.chain_one_path": _both(
        "Chain rule ({target} reaches {loss} along 1 path):",
        "链式法则（{target} 经 1 条路径影响 {loss}）："),
    "explain.chain_paths": _both(
        "Chain rule ({target} reaches {loss} along {count} paths):",
        "链式法则（{target} 经 {count} 条路径影响 {loss}）："),
    "explain.each_factor": _both("Each factor:", "逐个求各因子："),
    "explain.numbers": _both("Numbers:", "代入数值："),
    "explain.path_via": _both("path via {via}: {rest}", "经 {via} 的路径：{rest}"),
    "explain.result": _both("Result:", "结果："),
    "explain.delta_form": _both(
        "In δ form ({delta} = ∂{loss}/∂{pre}; ∂{loss}/∂w = δ·input, ∂{loss}/∂b = δ):",
        "用误差项 δ 表示（{delta} = ∂{loss}/∂{pre}；∂{loss}/∂w = δ·输入，∂{loss}/∂b = δ）："),
    "explain.error_form": _both(
        "In error-term form ({delta} = −∂{loss}/∂{pre}; ∂{loss}/∂w = −Err·input):",
        "用误差项 Err 表示（{delta} = −∂{loss}/∂{pre}；∂{loss}/∂w = −Err·输入）："),
    "explain.rounding_differs": _both(
        "The rounding policy writes each value down as it goes (error terms included), so the hand "
        "calculation gives {value}: see the δ form below.",
        "舍入规则要求每个值写下时就舍入（误差项也一样），所以手算结果是 {value}：见下面的误差项形式。"),
    "explain.update": _both("Update:", "参数更新："),
    "explain.update_rate": _both("Update (η = {rate}):", "参数更新（η = {rate}）："),
    "explain.frozen": _both(
        "{target} is frozen: its gradient is shown, but it keeps its value {value}.",
        "{target} 是冻结参数：显示它的梯度，但它保持原值 {value}。"),

    # ── words inside formulas (sympy's Piecewise, the ReLU family) ──────────────
    "formula.if": _both("if", "当"),
    "formula.otherwise": _both("otherwise", "其他情况"),
    "formula.else": _both("else", "否则"),
    "formula.since": _both("since", "因为"),

    # ── notes and numeric errors (trace.py) ──────────────────────────────────────
    "note.saturated": _both(
        "{output} = {function}({argument}) is saturated: ∂{output}/∂{argument} = {slope}, so this neuron "
        "passes almost no gradient back (its output barely moves when {argument} changes).",
        "{output} = {function}({argument}) 已饱和：∂{output}/∂{argument} = {slope}，所以这个神经元"
        "几乎不再向后传递梯度（{argument} 变化时输出几乎不变）。"),
    "error.diverged": _both(
        "the numbers overflowed at step {step}: the loss left the range of floating point "
        "(try a smaller learning rate or fewer steps)",
        "第 {step} 步数值溢出：损失超出了浮点数能表示的范围（请减小学习率或减少步数）"),

    # ── explain: names it cannot answer about (UsageError) ──────────────────────
    "usage.not_a_quantity": _both(
        "'{name}' is not a quantity of scenario '{scenario}'.{hint} Parameters: {parameters}.",
        "'{name}' 不是场景 '{scenario}' 中的量。{hint}场景的参数有：{parameters}。"),
    "usage.did_you_mean": _both(" Did you mean {names}?", "是不是想写 {names}？"),
    "usage.given": _both(
        "'{name}' is given in the scenario ({kind}); bptutor does not differentiate with respect to it.",
        "'{name}' 是场景中给定的量（{kind}），bptutor 不对它求导。"),
    "kind.input": _both("input", "输入"),
    "kind.target": _both("target", "目标"),
    "kind.parameter": _both("parameter", "参数"),
    "kind.pre_activation": _both("pre_activation", "加权输入"),
    "kind.activation": _both("activation", "激活值"),
    "kind.loss": _both("loss", "损失"),

    # ── the command line ─────────────────────────────────────────────────────────
    "cli.no_scenario": _both(
        "{reference}: no such file, and no built-in scenario by that name (built-ins: {names})",
        "{reference}：没有这个文件，也没有叫这个名字的内置场景（内置场景：{names}）"),
    "cli.no_builtins": _both("none", "无"),
    "cli.valid": _both("{file}: ok", "{file}: 通过检查"),
    "cli.interrupted": _both("interrupted", "已中断"),

    # ── help ─────────────────────────────────────────────────────────────────────
    "help.app": _both(
        "Backpropagation worked by hand: every quantity, every chain-rule factor, "
        "its symbolic form and its number.\n\n"
        "Examples:\n\n"
        "  bptutor run scenarios/two_two_two.yaml\n\n"
        "  bptutor explain w5\n\n"
        "Exit codes: 0 success, 1 check found a wrong value, 2 bad command-line use or unknown name, "
        "3 bad scenario file, 4 the numbers overflowed, 5 a program bptutor needs (Chromium, Graphviz, "
        "matplotlib) is missing or failed.",
        "手工演算反向传播：列出每一个量、每一个链式法则因子，既有符号形式，也有数值。\n\n"
        "示例：\n\n"
        "  bptutor run scenarios/two_two_two.yaml --lang zh\n\n"
        "  bptutor explain w5 --lang zh\n\n"
        "退出码：0 成功；1 check 发现了错误的数值；2 命令行用法有误或名字不存在；3 场景文件有误；4 数值溢出；"
        "5 需要的外部程序（Chromium、Graphviz、matplotlib）缺失或运行失败。\n\n"
        "输出语言默认取自环境变量 LC_ALL、LC_MESSAGES 或 LANG（以 zh 开头即为中文），可用 --lang 指定。"),
    "help.callback": _both("Backpropagation worked by hand.", "手工演算反向传播。"),
    "help.version": _both("Print the version and exit.", "显示版本号并退出。"),
    "help.lang": _both(
        "Language of the output: en or zh. Default: from LC_ALL, LC_MESSAGES or LANG.",
        "输出语言：en（英文）或 zh（中文）。默认取自环境变量 LC_ALL、LC_MESSAGES 或 LANG。"),
    "help.scenario": _both(
        "A scenario file (YAML), or the name of a built-in scenario (see `bptutor list`).",
        "场景文件（YAML），或内置场景的名字（见 `bptutor list`）。"),
    "help.digits": _both("Significant digits shown for every number.", "每个数显示的有效数字位数。"),
    "help.ascii": _both(
        "Print with ASCII only (d for ∂, * for ×, delta for δ) for consoles that cannot show them.",
        "数学符号只用 ASCII 字符（d 代替 ∂，* 代替 ×，delta 代替 δ），供显示不了这些符号的终端使用；"
        "中文照常输出。"),
    "help.steps": _both(
        "Repeat forward, backward and update N times.",
        "把正向传播、反向传播和参数更新重复 N 次。"),
    "help.format": _both(
        "rich: tables for people; json: one object for tools.",
        "rich：给人看的表格；json：给程序读的一个 JSON 对象。"),
    "help.every": _both(
        "JSON only: keep every K-th step (the first and last are always kept).",
        "仅用于 JSON：每 K 步保留一步（第一步和最后一步总是保留）。"),
    "help.run": _both(
        "Run the forward pass, the backward pass and the update, and show every step.\n\n"
        "Example: bptutor run scenarios/two_two_two.yaml --steps 3",
        "执行正向传播、反向传播和参数更新，并列出每一步。\n\n"
        "示例：bptutor run scenarios/two_two_two.yaml --steps 3 --lang zh"),
    "help.run.short": _both(
        "Run the forward pass, the backward pass and the update, and show every step.",
        "执行正向传播、反向传播和参数更新，并列出每一步。"),
    "help.name": _both(
        "A parameter (w5, b1), or a quantity (out_h1, in_o2, E_total, δ_h1).",
        "一个参数（w5、b1），或一个中间量（out_h1、in_o2、E_total、δ_h1）。"),
    "help.explain_scenario": _both("Scenario file or built-in name.", "场景文件或内置场景的名字。"),
    "help.explain": _both(
        "Derive one gradient the way a textbook does: chain rule, each factor, numbers, update.\n\n"
        "Example: bptutor explain w1 --scenario scenarios/two_two_two.yaml",
        "像教科书一样推导一个梯度：链式法则、每个因子、代入数值、参数更新。\n\n"
        "示例：bptutor explain w1 --scenario scenarios/two_two_two.yaml --lang zh"),
    "help.explain.short": _both(
        "Derive one gradient the way a textbook does.",
        "像教科书一样推导一个梯度。"),
    "help.files": _both("Scenario files to check.", "要检查的场景文件。"),
    "help.validate": _both(
        "Check scenario files: print \"ok\" or the first problem of each; exit 3 if any file is bad.\n\n"
        "Example: bptutor validate scenarios/*.yaml",
        "检查场景文件：对每个文件显示“通过检查”或它的第一个问题；有文件出错时退出码为 3。\n\n"
        "示例：bptutor validate scenarios/*.yaml --lang zh"),
    "help.validate.short": _both(
        "Check scenario files: print \"ok\" or the first problem of each.",
        "检查场景文件：显示“通过检查”或第一个问题。"),
    "help.list": _both(
        "List the built-in scenarios, usable by name anywhere a scenario is asked for.\n\n"
        "Example: bptutor list",
        "列出内置场景；凡是要求场景的地方都可以直接写它们的名字。\n\n"
        "示例：bptutor list --lang zh"),
    "help.list.short": _both("List the built-in scenarios.", "列出内置场景。"),

    # ── help and usage errors around our text (the words click itself prints) ────
    "click.usage": _both("Usage: ", "用法："),
    "click.heading": _both("{heading}:", "{heading}："),
    "click.heading.Options": _both("Options", "选项"),
    "click.heading.Arguments": _both("Arguments", "位置参数"),
    "click.heading.Commands": _both("Commands", "命令"),
    "click.options_metavar": _both("[OPTIONS]", "[选项]"),
    "click.subcommand_metavar": _both("COMMAND [ARGS]...", "命令 [参数]..."),
    "click.help_option": _both("Show this message and exit.", "显示本帮助并退出。"),
    "click.default": _both("default: {value}", "默认：{value}"),
    "click.required": _both("required", "必填"),
    "click.try_help": _both("Try '{command} {option}' for help.", "用 '{command} {option}' 查看帮助。"),
    "click.error": _both("Error: {message}", "错误：{message}"),
    "click.missing_argument": _both("Missing argument {name}.", "缺少位置参数 {name}。"),
    "click.missing_option": _both("Missing option {name}.", "缺少选项 {name}。"),
    "click.no_such_option": _both("No such option: {name}", "没有选项 {name}"),
    "click.did_you_mean": _both(" Did you mean {names}?", "（是不是想用 {names}？）"),
    "click.needs_value": _both("Option {name} requires a value.", "选项 {name} 需要一个值。"),
    "click.invalid_value": _both("Invalid value for {name}: {detail}", "{name} 的值无效：{detail}"),
    "click.expected_range": _both("expected a whole number from {low} to {high}", "应为 {low} 到 {high} 之间的整数"),
    "click.expected_at_least": _both("expected a whole number of at least {low}", "应为不小于 {low} 的整数"),
    "click.expected_choice": _both("expected one of {choices}", "应为 {choices} 之一"),
    "click.no_such_command": _both("No such command {name}.", "没有命令 {name}。"),
    "click.missing_command": _both("Missing command.", "缺少命令。"),
    "click.extra_arguments": _both("Got unexpected extra arguments ({arguments})", "多余的参数（{arguments}）"),
    "click.other": _both("{message}", "命令行用法有误：{message}"),

    # ── scenario files: reading (loader.py) ──────────────────────────────────────
    "scenario.text_too_large": _both(
        "this scenario is too large (a scenario may be at most 1 MiB)",
        "这个场景太大（一个场景最多 1 MiB）"),
    "scenario.top_not_dict": _both(
        "expected a mapping (dict) at the top level, got {type}",
        "顶层应为映射（dict），实际是 {type}"),
    "scenario.no_such_file": _both("no such scenario file", "场景文件不存在"),
    "scenario.cannot_read": _both("cannot read this file: {reason}", "无法读取这个文件：{reason}"),
    "scenario.is_directory": _both("this is a directory, not a scenario file", "这是一个目录，不是场景文件"),
    "scenario.not_regular_file": _both("this is not a regular file", "这不是普通文件"),
    "scenario.file_too_large_bytes": _both(
        "this file is too large ({size} bytes; at most 1 MiB)",
        "文件太大（{size} 字节；最多 1 MiB）"),
    "scenario.file_too_large": _both("this file is too large (at most 1 MiB)", "文件太大（最多 1 MiB）"),
    "scenario.not_utf8": _both(
        "this is not UTF-8 text (byte 0x{byte} at offset {offset})",
        "这不是 UTF-8 文本（偏移 {offset} 处的字节 0x{byte}）"),
    "scenario.anchors": _both(
        "anchors and aliases (&name, *name) are not allowed in scenarios",
        "场景中不允许使用锚点和别名（&name、*name）"),
    "scenario.tags": _both(
        "tags (such as !!str or !name) are not allowed in scenarios; found {tag}",
        "场景中不允许使用标签（如 !!str 或 !name）；这里有 {tag}"),
    "scenario.too_deep": _both(
        "the scenario is nested too deeply (at most {depth} levels)",
        "场景嵌套太深（最多 {depth} 层）"),
    "scenario.invalid_yaml": _both("this is not valid YAML: {detail}", "这不是有效的 YAML：{detail}"),
    "scenario.unknown_yaml_problem": _both("unknown problem", "未知问题"),
    "scenario.bad_character": _both(
        "this is not valid YAML: the character U+{code} is not allowed ({reason})",
        "这不是有效的 YAML：不允许出现字符 U+{code}（{reason}）"),
    "scenario.key_not_plain": _both(
        "a key must be a plain name, not a list or a mapping",
        "键必须是简单的名字，不能是列表或映射"),
    "scenario.duplicate_key": _both(
        "duplicate key {key} (first given on line {line})",
        "重复的键 {key}（第一次出现在第 {line} 行）"),
    "scenario.key_not_text": _both("keys must be text, got {key}", "键必须是文本，实际是 {key}"),
    "scenario.unsupported_type": _both("unsupported value of type {type}", "不支持 {type} 类型的值"),

    # ── scenario files: what was found, hints ────────────────────────────────────
    "found.nothing": _both("nothing", "空值"),
    "found.mapping": _both("a mapping", "一个映射"),
    "found.list": _both("a list", "一个列表"),
    "scenario.did_you_mean": _both(" (did you mean {suggestion}?)", "（是不是想写 {suggestion}？）"),
    "scenario.listing_more": _both("{names}, … ({count} more)", "{names}, …（另有 {count} 个）"),

    # ── scenario files: values ───────────────────────────────────────────────────
    "scenario.expected": _both("expected {what}, got {found}", "应为{what}，实际是 {found}"),
    "scenario.unknown_key": _both(
        "unknown key {key}{hint}; expected one of: {keys}",
        "未知的键 {key}{hint}；可用的键：{keys}"),
    "scenario.missing_key": _both("missing key {key}", "缺少键 {key}"),
    "scenario.none_given": _both("expected at least one {one}, got none", "至少需要一个{one}，实际一个也没有"),
    "scenario.too_many": _both("too many {many}: {count} (at most {limit})", "{many}太多：{count} 个（最多 {limit} 个）"),
    "scenario.bad_name": _both(
        "expected a name made of letters, digits and _ (starting with a letter), got {found}",
        "应为由字母、数字和 _ 组成且以字母开头的名字，实际是 {found}"),
    "scenario.name_too_long": _both(
        "the name {name} is too long (at most {limit} characters)",
        "名字 {name} 太长（最多 {limit} 个字符）"),
    "scenario.expected_number": _both("expected a number, got {found}", "应为数字，实际是 {found}"),
    "scenario.number_too_large": _both(
        "the number {found} is absurdly large (at most 1e6 in size)",
        "数字 {found} 大得离谱（绝对值最多 1e6）"),
    "scenario.expected_choice": _both(
        "expected {what}: one of {options}; got {found}{hint}",
        "应为{what}：{options} 之一；实际是 {found}{hint}"),
    "scenario.expected_text": _both("expected text, got {found}", "应为文本，实际是 {found}"),
    "scenario.text_too_long": _both(
        "this text is too long ({length} characters; at most {limit})",
        "文本太长（{length} 个字符；最多 {limit} 个）"),
    "scenario.empty": _both(
        "the scenario is empty; expected a mapping with the keys {keys}",
        "场景是空的；应为含有这些键的映射：{keys}"),
    "scenario.control_characters": _both(
        "this text contains control characters (line breaks, tabs, escapes…)",
        "文本中含有控制字符（换行、制表符、转义序列等）"),

    # ── scenario files: what was expected where ─────────────────────────────────
    "what.mapping": _both("a mapping", "一个映射"),
    "what.top_level": _both(
        "a mapping (key: value lines) at the top level of the scenario",
        "场景顶层的一个映射（“键: 值”形式的各行）"),
    "what.input_numbers": _both("a mapping of input names to numbers", "从输入名到数值的映射"),
    "what.parameter_numbers": _both("a mapping of parameter names to numbers", "从参数名到数值的映射"),
    "what.layers": _both("a list of layers", "由各层组成的列表"),
    "what.layer": _both(
        "a layer (a mapping with name, activation and neurons)",
        "一层（含 name、activation 和 neurons 的映射）"),
    "what.neurons": _both("a mapping of neuron names to neurons", "从神经元名到神经元的映射"),
    "what.neuron": _both(
        "a neuron (a mapping with weights and an optional bias)",
        "一个神经元（含 weights 和可选的 bias 的映射）"),
    "what.weights": _both("a mapping of weight sources to parameter names", "从权重来源到参数名的映射"),
    "what.targets": _both("a mapping of output neuron names to numbers", "从输出神经元名到数值的映射"),
    "what.frozen": _both("a list of parameter names", "由参数名组成的列表"),
    "what.loss": _both("a loss", "损失函数"),
    "what.convention": _both("a value for {key}", "{key} 的取值"),
    "what.true_or_false": _both("true or false", "true 或 false"),
    "what.rounding": _both("a mapping of kinds of value to decimals", "从数值种类到小数位数的映射"),
    "what.decimals": _both("a whole number of decimals from 0 to {most}", "0 到 {most} 之间的整数位小数"),
    "what.rounding_method": _both("a rounding method", "舍入方法"),
    "what.activation": _both("an activation", "激活函数"),
    "what.notation_preset": _both("a notation preset", "记号预设"),
    "count.input": _both("input", "输入"),
    "count.inputs": _both("inputs", "输入"),
    "count.parameter": _both("parameter", "参数"),
    "count.parameters": _both("parameters", "参数"),
    "count.layer": _both("layer", "层"),
    "count.layers": _both("layers", "层"),
    "count.neuron": _both("neuron", "神经元"),
    "count.neurons_in_layer": _both("neurons in a layer", "一层中的神经元"),

    # ── scenario files: the network ──────────────────────────────────────────────
    "scenario.input_is_parameter": _both(
        "{name} is the name of both an input and a parameter; rename one of them",
        "{name} 既是输入名又是参数名；请改掉其中一个"),
    "owner.input": _both("an input", "一个输入"),
    "owner.parameter": _both("a parameter", "一个参数"),
    "owner.neuron": _both("a neuron of layer {layer}", "层 {layer} 的一个神经元"),
    "scenario.not_an_input": _both(
        "{neuron} takes a weight from {source}, which is not an input{hint}; "
        "neurons of the first layer {layer} take weights from the inputs: {names}",
        "{neuron} 从 {source} 取权重，但 {source} 不是输入{hint}；"
        "第一层 {layer} 的神经元只能从输入取权重：{names}"),
    "scenario.not_previous_layer": _both(
        "{neuron} takes a weight from {source}, which is not a neuron of the previous layer "
        "{previous}{hint}; neurons of layer {layer} take weights from: {names}",
        "{neuron} 从 {source} 取权重，但 {source} 不是上一层 {previous} 的神经元{hint}；"
        "层 {layer} 的神经元只能从这些神经元取权重：{names}"),
    "scenario.layer_name_used": _both(
        "layer name {name} is already used by {path}",
        "层名 {name} 已被 {path} 使用"),
    "scenario.name_taken": _both(
        "{name} is already the name of {owner}; names must be unique",
        "{name} 已经是{owner}的名字；名字必须唯一"),
    "scenario.slope_not_leaky": _both(
        "slope is only used by leaky_relu layers; this layer's activation is {activation}",
        "只有 leaky_relu 层才用 slope；这一层的激活函数是 {activation}"),
    "scenario.needs_weight": _both(
        "neuron {neuron} needs at least one weight",
        "神经元 {neuron} 至少需要一个权重"),
    "role.bias": _both("its bias", "它的偏置"),
    "role.weight": _both("the weight from {source}", "来自 {source} 的权重"),
    "scenario.parameter_without_value": _both(
        "parameter {name} used by neuron {neuron} has no value in `parameters`{hint}",
        "神经元 {neuron} 用到的参数 {name} 在 `parameters` 中没有取值{hint}"),
    "scenario.parameter_used_twice": _both(
        "parameter {name} is used twice by neuron {neuron} ({first} and {second}); "
        "each weight and bias of a neuron needs its own parameter",
        "参数 {name} 被神经元 {neuron} 用了两次（{first}和{second}）；"
        "一个神经元的每个权重和偏置都要有各自的参数"),
    "scenario.parameter_unused": _both(
        "parameter {name} is given a value but never used (by no weight or bias)",
        "参数 {name} 给了值，但没有任何权重或偏置用到它"),
    "scenario.targets_not_outputs": _both(
        "targets are given for exactly the neurons of the output layer {layer} ({outputs}); "
        "not output neurons: {extra}{hint}{missing}",
        "目标必须恰好对应输出层 {layer} 的神经元（{outputs}）；"
        "这些不是输出神经元：{extra}{hint}{missing}"),
    "scenario.targets_also_missing": _both("; missing: {names}", "；缺少：{names}"),
    "scenario.missing_targets": _both(
        "missing target for output neuron(s) {names}; "
        "targets are given for exactly the neurons of the output layer {layer}",
        "缺少输出神经元 {names} 的目标；目标必须恰好对应输出层 {layer} 的神经元"),

    # ── scenario files: learning rates, frozen, notation ─────────────────────────
    "scenario.missing_default_rate": _both(
        "missing key 'default' (the learning rate of everything not listed)",
        "缺少键 'default'（没有单独列出的参数所用的学习率）"),
    "scenario.rate_key_ambiguous": _both(
        "{key} is both a layer name and a parameter name; rename one so this rate is unambiguous",
        "{key} 既是层名又是参数名；请改掉其中一个，免得这个学习率有歧义"),
    "scenario.rate_key_unknown": _both(
        "{key} is neither a layer nor a parameter{hint}; expected 'default', "
        "a layer name ({layers}) or a parameter name",
        "{key} 既不是层也不是参数{hint}；应为 'default'、层名（{layers}）或参数名"),
    "scenario.expected_rate": _both(
        "expected a learning rate (a number, or a mapping with 'default'), got {found}",
        "应为学习率（一个数，或含 'default' 的映射），实际是 {found}"),
    "scenario.rate_not_positive": _both(
        "a learning rate must be greater than 0, got {found}",
        "学习率必须大于 0，实际是 {found}"),
    "scenario.rate_too_large": _both(
        "a learning rate must be at most 100, got {found}",
        "学习率最多为 100，实际是 {found}"),
    "scenario.not_a_parameter": _both("{name} is not a parameter{hint}", "{name} 不是参数{hint}"),
    "scenario.frozen_twice": _both("{name} is listed twice in frozen", "{name} 在 frozen 中列出了两次"),
    "scenario.expected_notation": _both(
        "expected a notation preset ({presets}) or a mapping of names, got {found}",
        "应为记号预设（{presets}）或名字的映射，实际是 {found}"),
    "scenario.expected_template": _both(
        "expected a name template such as 'z_{{n}}', got {found}",
        "应为名字模板（如 'z_{{n}}'），实际是 {found}"),
    "scenario.name_has_spaces": _both(
        "a name may not contain spaces or control characters, got {text}",
        "名字中不能有空格或控制字符，实际是 {text}"),
    "scenario.template_braces": _both(
        "a template may contain {{n}} (the neuron's name) and no other braces, got {text}",
        "模板中只能出现 {{n}}（神经元的名字），不能有其他花括号，实际是 {text}"),
    "scenario.loss_name_braces": _both(
        "the loss's name is not a template and may not contain braces, got {text}",
        "损失函数的名字不是模板，不能含花括号，实际是 {text}"),
    "scenario.shown_name_too_long": _both(
        "the name {name} ({meaning}) is too long (at most {limit} characters)",
        "名字 {name}（{meaning}）太长（最多 {limit} 个字符）"),
    "scenario.name_clash": _both(
        "the name {name} would stand for both {first} and {second}; "
        "rename one, or choose other names with `notation`",
        "名字 {name} 会同时表示{first}和{second}；请改掉其中一个，或用 `notation` 换一套名字"),
    "meaning.input": _both("input {name}", "输入 {name}"),
    "meaning.parameter": _both("parameter {name}", "参数 {name}"),
    "meaning.loss": _both("the loss", "损失函数"),
    "meaning.pre_activation": _both("the pre-activation of {neuron}", "{neuron} 的加权输入"),
    "meaning.activation": _both("the activation of {neuron}", "{neuron} 的激活值"),
    "meaning.delta": _both("the error term of {neuron}", "{neuron} 的误差项"),
    "meaning.loss_term": _both("the loss term of {neuron}", "{neuron} 的损失项"),
    "meaning.target": _both("the target of {neuron}", "{neuron} 的目标"),

    # ── scenario checks made when the graph is built (graph.py) ──────────────────
    "scenario.shared_rates_differ": _both(
        "parameter '{name}' is shared by layers with different learning rates ({layers}); "
        "give it its own entry under learning_rate",
        "参数 '{name}' 被学习率不同的几层共用（{layers}）；请在 learning_rate 下单独给它一项"),
    "scenario.name_two_kinds": _both(
        "the name '{name}' stands for two things here (a {first} and a {second}); "
        "rename one, or choose another notation",
        "名字 '{name}' 在这里同时表示两样东西（{first}和{second}）；请改掉其中一个，或换一种记号"),
    "scenario.name_used_twice": _both(
        "the name '{name}' is used twice under this notation; rename one, or choose another notation",
        "在这种记号下名字 '{name}' 用了两次；请改掉其中一个，或换一种记号"),
    # ── bptutor solve: worked-solution handouts ──────────────────────────────────
    "solve.variant.full": _both("Worked solution", "详细解答"),
    "solve.variant.answers": _both("Answer key", "答案"),
    "solve.variant.worksheet": _both(
        "Worksheet: fill in the blanks", "练习：请在空白处填上数值"),
    "solve.heading.problem": _both("The problem", "题目"),
    "solve.problem": _both(
        "A {shape} network. Compute the forward pass, the loss {loss}, every gradient by the chain rule, "
        "and the parameters after one step of gradient descent.",
        "一个 {shape} 的网络。计算正向传播、损失 {loss}、用链式法则求出每个梯度，"
        "以及梯度下降一步之后的参数。"),
    "solve.figure": _both(
        "The network, every weight and bias with its name and value.",
        "网络结构，每个权重和偏置都标出了名字和数值。"),
    "solve.given.activation": _both("activation ({layer})", "激活函数（{layer} 层）"),
    "solve.given.rate_for": _both(" for {names}", "：{names}"),
    "solve.given.textbook_update": _both(
        ", and the update is p′ = p + η·Err·input",
        "，参数更新为 p′ = p + η·Err·输入"),
    "solve.given.threshold": _both(
        "thresholds θ, subtracted from the weighted sum", "阈值 θ，从加权和中减去"),
    "solve.heading.loss": _both("The loss", "损失"),
    "solve.heading.backward": _both("Backward pass", "反向传播"),
    "solve.bp_intro": _both(
        "The four equations of backpropagation, with the error term {delta} of neuron {j}, "
        "{k} the neurons of the layer above and {i} those of the layer below:",
        "反向传播的四个公式，{delta} 是神经元 {j} 的误差项，{k} 是上一层的神经元，{i} 是下一层的神经元："),
    "solve.bp_label": _both("(BP{number})", "（BP{number}）"),
    "solve.backward_intro": _both(
        "From the output layer back: each chain-rule factor derived, then with the numbers in.",
        "从输出层往回算：先推导每个链式法则因子，再代入数值。"),
    "solve.paths": _both("the sum over {count} paths:", "对 {count} 条路径求和："),
    "solve.heading.update": _both("Updates", "参数更新"),
    "solve.heading.summary": _both("Summary", "汇总"),
    "solve.column.old": _both("old value", "原值"),
    "solve.answers_intro": _both(
        "The final number of every step of the worked solution.",
        "详细解答中每一步的最终数值。"),
    "solve.wrote": _both("wrote {file}", "已写入 {file}"),
    "help.solve": _both(
        "Write the whole worked solution as a handout: the problem with a figure of the network, "
        "the forward pass, the loss, every chain-rule factor, the updates and a summary.\n\n"
        "Example: bptutor solve two_two_two --format html -o solution.html",
        "把完整的解答写成讲义：带网络图的题目、正向传播、损失、每个链式法则因子、参数更新和汇总表。\n\n"
        "示例：bptutor solve two_two_two --format html -o solution.html --lang zh"),
    "help.solve.short": _both(
        "Write the worked solution as a Markdown, LaTeX, HTML or PDF handout.",
        "把解答写成 Markdown、LaTeX、HTML 或 PDF 讲义。"),
    "help.solve_format": _both(
        "md: Markdown with $…$ math; tex: LaTeX; html: one page with MathML; pdf: printed from the HTML by Chromium.",
        "md：带 $…$ 公式的 Markdown；tex：LaTeX；html：带 MathML 公式的单个网页；pdf：用 Chromium 把 HTML 打印成 PDF。"),
    "help.output": _both(
        "Write to FILE instead of standard output (a PDF goes to SCENARIO.pdf when not given).",
        "写入文件 FILE，而不是标准输出（PDF 不指定时写入 场景名.pdf）。"),
    "help.answers_only": _both(
        "Only the final numbers of every step (the answer key).", "只列出每一步的最终数值（答案）。"),
    "help.worksheet": _both(
        "The same document with blanks where the computed numbers go.", "同样的文档，但计算出的数值处留空，供学生填写。"),
    "help.solve_steps": _both(
        "The full first step, then the loss after each of N steps.",
        "完整写出第一步，再列出 N 步中每一步的损失。"),
    "api.no_scenario": _both(
        "no such file, and no built-in scenario of that name (built-ins: {names})",
        "没有这个文件，也没有叫这个名字的内置场景（内置场景：{names}）"),
    "usage.answers_and_worksheet": _both(
        "--answers-only and --worksheet exclude each other", "--answers-only 和 --worksheet 不能同时使用"),

    # ── handout figure and PDF ───────────────────────────────────────────────────
    "figure.title": _both("The network of {scenario}", "{scenario} 的网络结构"),
    "figure.inputs": _both("inputs", "输入"),
    "figure.layer": _both("{layer} ({activation})", "{layer} 层（{activation}）"),
    "figure.legend": _both(
        "Each arrow carries its weight; grey boxes are biases; targets stand beside the outputs.",
        "箭头上标出权重；灰色方框是偏置；输出旁边是目标值。"),
    "pdf.no_chromium": _both(
        "PDF output needs Chromium: install the Debian package chromium "
        "(apt-get install chromium fonts-noto-cjk), or set BPTUTOR_CHROMIUM",
        "输出 PDF 需要 Chromium：请安装 Debian 软件包 chromium"
        "（apt-get install chromium fonts-noto-cjk），或设置 BPTUTOR_CHROMIUM"),
    "pdf.bad_chromium_variable": _both(
        "BPTUTOR_CHROMIUM is {path}, which is not a program that can be run. {advice}",
        "BPTUTOR_CHROMIUM 的值是 {path}，它不是可以运行的程序。{advice}"),
    "pdf.chromium_failed": _both(
        "Chromium could not print the page to PDF (exit status {status}): {stderr}",
        "Chromium 没能把页面打印成 PDF（退出状态 {status}）：{stderr}"),
    "pdf.chromium_timeout": _both(
        "Chromium did not finish printing the page to PDF within {seconds} seconds",
        "Chromium 在 {seconds} 秒内没有把页面打印成 PDF"),
    "pdf.not_written": _both(
        "Chromium finished but wrote no PDF to {path}: {stderr}",
        "Chromium 已结束，但没有把 PDF 写到 {path}：{stderr}"),

    # ── bptutor check and quiz ──────────────────────────────────────────────────
    "help.check": _both(
        "Check claimed values (a student's, or a textbook's) against the scenario: each judged at the precision "
        "it is written with, in computation order, with errors carried forward and the common mistakes "
        "diagnosed. Exit code 0 when every given value is right, 1 when one is wrong.\n\n"
        "Example: bptutor check two_two_two scenarios/answers/two_two_two_published.yaml",
        "对照场景检查给出的数值（学生的或教科书的）：按书写的精度逐个判断，按计算顺序列出，前面算错时沿用学生自己的数"
        "（错误传递），并诊断常见错误。所有给出的数都对时退出码为 0，有错时为 1。\n\n"
        "示例：bptutor check two_two_two scenarios/answers/two_two_two_published.yaml --lang zh"),
    "help.check.short": _both(
        "Check claimed values against the scenario and diagnose the mistakes.",
        "对照场景检查给出的数值，并诊断错误。"),
    "help.answers": _both(
        "A YAML file of claimed values by quantity name, e.g. {{out_h1: 0.6457, dE_total/dw5: 0.0818}}.",
        "按量的名字给出数值的 YAML 文件，例如 {{out_h1: 0.6457, dE_total/dw5: 0.0818}}。"),
    "help.tolerance": _both(
        "Also accept a value this close to the correct one: absolute (1e-4) or relative (0.1%).",
        "与正确值相差不超过此值时也算对：绝对误差（1e-4）或相对误差（0.1%）。"),
    "help.no_diagnosis": _both("Judge only; do not look for the mistakes.", "只判断对错，不诊断错误。"),
    "cli.bad_tolerance": _both(
        "--tolerance: expected a number (1e-4) or a percentage (0.1%), got '{value}'",
        "--tolerance：应为数字（1e-4）或百分数（0.1%），实际是 '{value}'"),
    "help.quiz": _both(
        "Ask for every value of the worked solution, one at a time: the forward pass, each chain-rule factor, "
        "the updates. Answers are judged at the precision typed; a wrong one gets a hint and, when one fits, "
        "the diagnosis. Type ? for a hint, r to reveal, s to skip, q to quit. Works with piped input.\n\n"
        "Example: bptutor quiz two_two_two --section forward",
        "逐个询问例题解答中的每一个数：正向传播、链式法则的每个因子、参数更新。按输入的精度判断；答错时给出提示，"
        "能诊断时说明错在哪里。输入 ? 看提示，r 看答案，s 跳过，q 退出。也可以从管道输入答案。\n\n"
        "示例：bptutor quiz two_two_two --section forward --lang zh"),
    "help.quiz.short": _both(
        "Quiz: type each value of the worked solution, with hints and diagnoses.",
        "测验：逐个填写例题解答中的数，附提示和错误诊断。"),
    "help.section": _both("Ask only this part: forward, backward or update.", "只问这一部分：forward（正向传播）、backward（反向传播）或 update（参数更新）。"),
    "answers.no_such_file": _both("no such answers file", "答案文件不存在"),
    "answers.cannot_read": _both("cannot read this file: {reason}", "无法读取这个文件：{reason}"),
    "answers.not_a_file": _both("this is not a regular file", "这不是普通文件"),
    "answers.too_large": _both("the answers file is larger than {limit} bytes", "答案文件超过 {limit} 字节"),
    "answers.empty": _both(
        "the answers file is empty; expected a mapping of quantity names to values, e.g. out_h1: 0.6457",
        "答案文件是空的；应为从量的名字到数值的映射，例如 out_h1: 0.6457"),
    "answers.not_mapping": _both(
        "expected a mapping of quantity names to values (out_h1: 0.6457), got {found}",
        "应为从量的名字到数值的映射（out_h1: 0.6457），实际是 {found}"),
    "answers.too_many": _both("too many values (at most {limit})", "数值太多（最多 {limit} 个）"),
    "answers.given_twice": _both(
        "{name} is given twice (first as {first} on line {line}); write several values of one quantity as a list",
        "{name} 给了两次（第一次写作 {first}，在第 {line} 行）；同一个量的几个数值请写成列表"),
    "answers.not_a_number": _both(
        "expected a number written in decimals (0.6457, -0.02, 1e-3), or a list of them, got {found}",
        "应为十进制数（0.6457、-0.02、1e-3）或由它们组成的列表，实际是 {found}"),
    "answers.list_size": _both(
        "a list of values needs 1 to {limit} numbers", "数值列表应有 1 到 {limit} 个数"),
    "answers.given_quantity": _both(
        "{name} is given in the scenario, not computed; its new value after the update is written {updated}",
        "{name} 是场景中给定的量，不是算出来的；更新后的新值写作 {updated}"),
    "answers.unknown_name": _both(
        "unknown quantity {name}{hint}; the names are those of `bptutor run`: {names}",
        "未知的量 {name}{hint}；可用的名字与 `bptutor run` 中的相同：{names}"),
    "check.title": _both("{title}  ({scenario})", "{title}（{scenario}）"),
    "check.answers": _both("Values checked: {answers}", "检查的数值：{answers}"),
    "check.header.quantity": _both("quantity", "量"),
    "check.header.claimed": _both("claimed", "给出的值"),
    "check.header.correct": _both("correct", "正确值"),
    "check.header.verdict": _both("verdict", "判断"),
    "check.verdict.right": _both("right", "对"),
    "check.verdict.consistent": _both(
        "consistent with your {names}", "与你的 {names} 一致"),
    "check.verdict.wrong": _both("WRONG", "错"),
    "check.verdict.missing": _both("not given", "未给出"),
    "check.name_separator": _both(", ", "、"),
    "check.summary": _both(
        "{right} right, {consistent} consistent with your earlier values, {wrong} wrong, {missing} not given.",
        "对 {right} 个，与你前面的数一致 {consistent} 个，错 {wrong} 个，未给出 {missing} 个。"),
    "check.all_right": _both("Every value given is right.", "给出的数全部正确。"),
    "check.first_wrong": _both(
        "First wrong value: {name} = {claimed} (correct: {correct}).",
        "第一个错误：{name} = {claimed}（正确值：{correct}）。"),
    "check.wrong_value": _both("{name} = {claimed} is wrong; the correct value is {correct}.", "{name} = {claimed} 是错的；正确值是 {correct}。"),
    "check.wrong_from_yours": _both(
        "{name} = {claimed} is wrong, also from your own {names}: they give {value}; the correct value is {correct}.",
        "{name} = {claimed} 是错的，用你自己的 {names} 算也不对：应得 {value}；正确值是 {correct}。"),
    "check.explained_by": _both("Explained by: {diagnosis}", "原因：{diagnosis}"),
    "check.explained_by_truncated": _both(
        "Explained by: {diagnosis} (and the last digit cut off rather than rounded)",
        "原因：{diagnosis}（并且最后一位是截断的，不是四舍五入）"),
    "check.no_diagnosis": _both(
        "None of the common mistakes explains this value.", "常见错误都解释不了这个数。"),
    "check.corrected": _both("Corrected working:", "正确的算法："),
    "check.corrected_from_yours": _both(
        "Corrected working, from your own earlier values:", "正确的算法（用你自己前面的数）："),
    "diagnosis.wrong_bias": _both(
        "{used} used as the bias of {neuron}, whose own bias is {bias}",
        "把 {used} 当成了 {neuron} 的偏置（{neuron} 自己的偏置是 {bias}）"),
    "diagnosis.shared_bias": _both(
        "one bias, {bias}, used for every neuron of the {layer} layer (each has its own: {biases})",
        "{layer} 层所有神经元都用了同一个偏置 {bias}（其实每个神经元各有自己的偏置：{biases}）"),
    "diagnosis.no_bias": _both("the bias {bias} of {neuron} left out", "漏掉了 {neuron} 的偏置 {bias}"),
    "diagnosis.half_dropped": _both(
        "the ½ of the loss dropped: (t − o)² instead of ½(t − o)², so ∂E/∂out = −2(t − o)",
        "损失函数漏掉了 ½：用了 (t − o)² 而不是 ½(t − o)²，于是 ∂E/∂out = −2(t − o)"),
    "diagnosis.half_kept": _both(
        "a ½ put into a loss that has none: ½(t − o)² instead of (t − o)²",
        "给本来没有 ½ 的损失函数加了 ½：用了 ½(t − o)² 而不是 (t − o)²"),
    "diagnosis.no_derivative": _both(
        "{symbol} forgotten: ∂{out}/∂{pre} taken as 1",
        "漏掉了 {symbol}：把 ∂{out}/∂{pre} 当成了 1"),
    "diagnosis.no_derivative_everywhere": _both(
        "{symbol} forgotten in every error term: each ∂out/∂in taken as 1",
        "每个误差项都漏掉了 {symbol}：每个 ∂out/∂in 都当成了 1"),
    "diagnosis.derivative_as_activation": _both(
        "{symbol} written as {function}: ∂{out}/∂{pre} taken as {out} itself",
        "把 {symbol} 写成了 {function}：把 ∂{out}/∂{pre} 当成了 {out} 本身"),
    "diagnosis.derivative_as_activation_everywhere": _both(
        "{symbol} written as {function} in every error term: each ∂out/∂in taken as out",
        "每个误差项都把 {symbol} 写成了 {function}：每个 ∂out/∂in 都当成了 out"),
    "diagnosis.error_sign": _both(
        "the sign of (t − o) flipped: the output error written as (t − o) where −(t − o) belongs",
        "(t − o) 的符号反了：输出误差写成了 (t − o)，应为 −(t − o)"),
    "diagnosis.in_for_out": _both(
        "{used} used where {instead} belongs, in {step}", "在 {step} 中用了 {used}，应该用 {instead}"),
    "diagnosis.out_for_in": _both(
        "{used} used where {instead} belongs, in {step}", "在 {step} 中用了 {used}，应该用 {instead}"),
    "diagnosis.updated_weights": _both(
        "the already-updated weights (w′) used for the hidden error terms, instead of this step's weights",
        "计算隐含层误差项时用了已经更新过的权重（w′），应该用这一步更新前的权重"),
    "diagnosis.original_weights": _both(
        "this step's weights used for the hidden error terms, where the scenario uses the already-updated ones",
        "计算隐含层误差项时用了更新前的权重，而本场景规定用已经更新过的权重"),
    "diagnosis.learning_rate": _both(
        "η = {rate} used for {parameter}, the learning rate of another layer (its own is η = {own})",
        "{parameter} 用了另一层的学习率 η = {rate}（它自己的是 η = {own}）"),
    "diagnosis.update_sign": _both(
        "the update made the wrong way: p + η·∂E/∂p instead of p − η·∂E/∂p",
        "更新方向反了：用了 p + η·∂E/∂p，应为 p − η·∂E/∂p"),
    "diagnosis.swapped_weights": _both(
        "{first} and {second} swapped (the wiring read the wrong way)",
        "{first} 和 {second} 用反了（连线看错了）"),
    "diagnosis.early_rounding": _both(
        "the values {step} is computed from rounded to {decimals} decimals first",
        "计算 {step} 之前先把用到的数舍入到了 {decimals} 位小数"),
    "diagnosis.rounding_slip": _both(
        "a rounding slip in the last digit: to {digits} decimals it is {value}",
        "最后一位舍入错了：保留 {digits} 位小数应为 {value}"),
    "diagnosis.rounding_truncated": _both(
        "cut off instead of rounded: to {digits} decimals it is {value}",
        "截断了而没有四舍五入：保留 {digits} 位小数应为 {value}"),
    "diagnosis.typo_sign": _both("a slip of the pen: the sign is wrong; it is {value}", "笔误：符号写错了；应为 {value}"),
    "diagnosis.typo_transposed": _both(
        "a slip of the pen: the digits {pair} swapped; it is {value}", "笔误：数字 {pair} 写颠倒了；应为 {value}"),
    "diagnosis.typo_digit": _both(
        "a slip of the pen: {wrote} written for {digit}; it is {value}", "笔误：把 {digit} 写成了 {wrote}；应为 {value}"),
    "diagnosis.typo_dropped": _both(
        "a slip of the pen: a digit left out of {value}", "笔误：{value} 漏写了一位数字"),
    "diagnosis.typo_extra": _both(
        "a slip of the pen: a digit too many; it is {value}", "笔误：多写了一位数字；应为 {value}"),
    "diagnosis.typo_point": _both(
        "a slip of the pen: the decimal point moved; it is {value}", "笔误：小数点位置错了；应为 {value}"),
    "quiz.title": _both("Quiz: {title}  ({scenario}; {count} values)", "测验：{title}（{scenario}；共 {count} 个数）"),
    "quiz.instructions": _both(
        "Type each value to the precision you like (0.65, or 0.6456563062). "
        "? for a hint, r to reveal, s to skip, q to quit.",
        "按你想要的精度输入每个数（0.65 或 0.6456563062）。输入 ? 看提示，r 看答案，s 跳过，q 退出。"),
    "quiz.section.forward": _both("Forward pass", "正向传播"),
    "quiz.section.backward": _both("Backward pass", "反向传播"),
    "quiz.section.update": _both("Update", "参数更新"),
    "quiz.right": _both("right", "对"),
    "quiz.wrong": _both("not right at {decimals} decimals", "保留 {decimals} 位小数时不对"),
    "quiz.diagnosis": _both("It looks like: {diagnosis}", "看起来是：{diagnosis}"),
    "quiz.hint": _both("Hint: {working}", "提示：{working}"),
    "quiz.no_more_hints": _both(
        "That is every hint; try again, or type r to reveal.", "提示已经全部给出；再试一次，或输入 r 看答案。"),
    "quiz.revealed": _both("{working}", "{working}"),
    "quiz.skipped": _both("skipped", "已跳过"),
    "quiz.not_understood": _both(
        "Type a number (0.6457), ? for a hint, r to reveal, s to skip or q to quit.",
        "请输入一个数（0.6457），或 ? 看提示、r 看答案、s 跳过、q 退出。"),
    "quiz.summary": _both("Summary", "小结"),
    "quiz.score": _both(
        "Score: {first} of {asked} right at the first try.", "得分：{asked} 个中第一次就答对 {first} 个。"),
    "quiz.counts": _both(
        "Right after a hint or another try: {later}; revealed: {revealed}; skipped: {skipped}; not asked: {left}.",
        "提示或重试后答对：{later}；看了答案：{revealed}；跳过：{skipped}；未问到：{left}。"),
    "quiz.review": _both("To review:", "需要复习："),
    "quiz.review.revealed": _both("revealed", "看了答案"),
    "quiz.review.skipped": _both("skipped", "跳过"),
    "quiz.review.retried": _both("right at try {tries} (hints: {hints})", "第 {tries} 次答对（看了 {hints} 次提示）"),
    "quiz.review.unanswered": _both("not answered right", "没有答对"),
    "quiz.nothing_to_review": _both("Nothing to review: every value right at the first try.", "没有需要复习的：每个数都是第一次就答对。"),

    # ── bptutor generate ─────────────────────────────────────────────────────────
    "generate.title": _both(
        "Exercise {number}: {shape} {activation} network (seed {seed})",
        "练习 {number}：{shape} {activation} 网络（种子 {seed}）"),
    "generate.yaml_made": _both(
        "Exercise {number}, made by bptutor generate --shape {shape} --seed {seed}.",
        "第 {number} 题，由 bptutor generate --shape {shape} --seed {seed} 生成。"),
    "generate.yaml_check": _both(
        "Check it with bptutor validate {name}.yaml; work it with bptutor solve {name}.yaml",
        "用 bptutor validate {name}.yaml 检查，用 bptutor solve {name}.yaml 求解"),
    "generate.yaml_rounding": _both(
        "As by hand: every value is written down to {decimals} decimals (half up) and used as written.",
        "像手算一样：每个值都四舍五入到 {decimals} 位小数写下，并按写下的数继续计算。"),
    "generate.bad_shape": _both(
        "--shape takes 2 to 4 numbers from 1 to 6 joined by '-', such as 2-2-2 (got '{shape}')",
        "--shape 应为 2 到 4 个 1 到 6 之间的数，用 '-' 连接，例如 2-2-2（收到的是 '{shape}'）"),
    "generate.bad_choice": _both(
        "{option}: unknown value '{value}'; expected one of: {choices}",
        "{option}：无法识别的值 '{value}'；应为以下之一：{choices}"),
    "generate.no_nice_numbers": _both(
        "no nice numbers found for a {shape} network in {attempts} draws "
        "(a neuron saturates or a gradient vanishes); try fewer layers, another activation or more decimals",
        "抽取 {attempts} 次仍未给 {shape} 网络找到合适的数值（有神经元饱和或梯度趋于零）；"
        "请减少层数、换一种激活函数或增加小数位数"),
    "generate.category": _both(
        "bptutor {shape} exercises, seed {seed}", "bptutor {shape} 练习，种子 {seed}"),
    "generate.ask.output": _both(
        "Compute {name}, the output of neuron {neuron}.", "求 {name}，即神经元 {neuron} 的输出。"),
    "generate.ask.loss": _both("Compute the loss {name}.", "求损失 {name}。"),
    "generate.ask.gradient": _both("Compute the gradient {name}.", "求梯度 {name}。"),
    "generate.ask.update": _both(
        "Compute {name}, the value of {parameter} after one update.", "求 {name}，即一次参数更新后 {parameter} 的值。"),
    "generate.ask.rounded": _both(
        "Write every value down to {decimals} decimals (half up) and go on with the value as written; "
        "give the answer to {decimals} decimals.",
        "每个值都四舍五入到 {decimals} 位小数写下，并按写下的数继续计算；答案保留 {decimals} 位小数。"),
    "generate.ask.exact": _both(
        "Compute at full precision and give the answer to {decimals} decimals.",
        "按完整精度计算，答案保留 {decimals} 位小数。"),
    "generate.wrote": _both(
        "{count} exercises written to {directory}", "已把 {count} 道练习写入 {directory}"),
    "generate.wrote_bank": _both("{file}: {questions} questions", "{file}：{questions} 道题"),
    "generate.bank_comment": _both(
        "{questions} questions on {count} exercises (bptutor generate, shape {shape}, seed {seed})",
        "{count} 道练习共 {questions} 道题（bptutor generate，结构 {shape}，种子 {seed}）"),
    "help.generate": _both(
        "Write exercises to hand out: small networks with nice numbers drawn from a seed, "
        "each as a scenario file with its worked solution and answer key, "
        "and a Moodle XML or GIFT question bank of every asked quantity.\n\n"
        "Example: bptutor generate --shape 2-2-2 --count 20 --seed 1 --format md,moodle -o exercises",
        "生成可以发给学生的练习：按种子随机抽取数值合适的小网络，每道题写成场景文件，附详细解答和答案，"
        "并可把每个要求计算的量写成 Moodle XML 或 GIFT 题库。\n\n"
        "示例：bptutor generate --shape 2-2-2 --count 20 --seed 1 --format md,moodle -o exercises --lang zh"),
    "help.generate.short": _both(
        "Write exercises with worked solutions, answer keys and a Moodle question bank.",
        "生成练习题，附详细解答、答案和 Moodle 题库。"),
    "help.shape": _both(
        "Neurons per layer from the inputs to the outputs: 2 to 4 numbers from 1 to 6, such as 2-2-2 or 3-2-2-1.",
        "从输入到输出每层的神经元个数：2 到 4 个 1 到 6 之间的数，例如 2-2-2 或 3-2-2-1。"),
    "help.count": _both("How many exercises (1 to 200).", "练习的数量（1 到 200）。"),
    "help.seed": _both(
        "Seed of the random numbers: the same seed gives the same exercises.",
        "随机数种子：相同的种子生成相同的练习。"),
    "help.activation": _both("Activation of the hidden layers.", "隐含层的激活函数。"),
    "help.output_activation": _both("Activation of the output layer.", "输出层的激活函数。"),
    "help.loss": _both("The loss: half_sse, sse or mse.", "损失函数：half_sse、sse 或 mse。"),
    "help.decimals": _both(
        "Decimals every value is written down to, as by hand; answers are asked to this precision.",
        "像手算一样，每个值写下时保留的小数位数；答案也按这个精度要求。"),
    "help.exact": _both(
        "Compute at full precision instead of rounding each value (answers still to --decimals).",
        "按完整精度计算，不逐步舍入（答案仍保留 --decimals 位小数）。"),
    "help.generate_format": _both(
        "What to write, repeatable or comma-separated: md, tex, html (solution and answer key per exercise), "
        "moodle (bank.moodle.xml), gift (bank.gift.txt).",
        "要写出的内容，可重复或用逗号分隔：md、tex、html（每道题的详细解答和答案），"
        "moodle（bank.moodle.xml），gift（bank.gift.txt）。"),
    "help.generate_output": _both(
        "Folder to write into; created when missing.", "写入的文件夹；不存在时自动创建。"),
    "help.rate": _both("The learning rate η.", "学习率 η。"),
    "help.ask": _both(
        "What the question bank asks, comma-separated: outputs, loss, gradients, updates.",
        "题库要求计算的量，用逗号分隔：outputs（输出）、loss（损失）、gradients（梯度）、updates（更新后的参数）。"),

    # ── bptutor graph: the computational graph as a picture ──────────────────────
    "graphpic.title": _both("Graph of {scenario}: {title}", "{scenario} 的计算图：{title}"),
    "graphpic.legend": _both(
        "Each node: name = value | ∂{output}/∂name, then the edges to the nodes it feeds.\n"
        "Each edge: the local derivative ∂target/∂name, and upstream × local = ∂{output}/∂target × ∂target/∂name;\n"
        "the shares of a node's edges add up to its ∂{output}/∂name.",
        "每个节点：名字 = 数值 | ∂{output}/∂名字，其下是它指向的边。\n"
        "每条边：局部导数 ∂目标/∂名字，以及 上游 × 局部 = ∂{output}/∂目标 × ∂目标/∂名字；\n"
        "一个节点各条边的这一份相加，就是它的 ∂{output}/∂名字。"),
    "graphpic.dot_legend": _both(
        "Each node: name = value | ∂{output}/∂name; each edge source → target: the local derivative ∂target/∂source.",
        "每个节点：名字 = 数值 | ∂{output}/∂名字；每条边 源 → 目标：局部导数 ∂目标/∂源。"),
    "graphpic.column": _both("Column {number}: {contents}", "第 {number} 列：{contents}"),
    "graphpic.separator": _both("; ", "；"),
    "graphpic.column.inputs": _both("inputs", "输入"),
    "graphpic.column.parameters": _both("parameters of layer {layer}", "{layer} 层的参数"),
    "graphpic.column.pre_activations": _both("pre-activations of layer {layer}", "{layer} 层的加权输入"),
    "graphpic.column.activations": _both(
        "activations of layer {layer} ({activation})", "{layer} 层的神经元输出（{activation}）"),
    "graphpic.column.loss": _both("loss ({loss})", "损失（{loss}）"),
    "graphpic.column.gates": _both("gates at depth {depth}", "第 {depth} 层的门"),
    "graphpic.share": _both("upstream × local = {product}", "上游 × 局部 = {product}"),
    "graphpic.no_dot": _both(
        "SVG and PNG pictures are drawn by Graphviz: install the Debian package graphviz "
        "(apt-get install graphviz), which provides the dot program; --format dot writes the DOT text without it",
        "SVG 和 PNG 图由 Graphviz 绘制：请安装 Debian 软件包 graphviz（apt-get install graphviz），"
        "它提供 dot 程序；不安装时可用 --format dot 输出 DOT 文本"),
    "graphpic.dot_failed": _both(
        "Graphviz dot could not draw the picture (exit status {status}): {stderr}",
        "Graphviz 的 dot 没能画出这张图（退出状态 {status}）：{stderr}"),
    "graphpic.dot_timeout": _both(
        "Graphviz dot did not finish the picture within {seconds} seconds",
        "Graphviz 的 dot 在 {seconds} 秒内没有画完这张图"),
    "help.graph": _both(
        "Draw the computational graph: every quantity as a node with its value and its gradient, "
        "every edge with its local derivative, laid out by layer. text: in the terminal, each node with "
        "the edges it feeds and their upstream × local; dot: Graphviz DOT; mermaid: a Mermaid flowchart; "
        "svg, png: a picture drawn by Graphviz (needs the dot program).\n\n"
        "Example: bptutor graph two_two_two --format png -o two_two_two.png",
        "画出计算图：每个量是一个节点，标出数值和梯度；每条边标出局部导数；按层排列。text：在终端中列出每个节点及其"
        "指向的边和 上游 × 局部；dot：Graphviz DOT；mermaid：Mermaid 流程图；svg、png：由 Graphviz 画出的图"
        "（需要 dot 程序）。\n\n"
        "示例：bptutor graph two_two_two --format png -o two_two_two.png --lang zh"),
    "help.graph.short": _both(
        "Draw the computational graph with values, gradients and local derivatives.",
        "画出计算图，标出数值、梯度和局部导数。"),
    "help.graph_format": _both(
        "text: in the terminal; dot: Graphviz DOT; mermaid: Mermaid flowchart; svg, png: drawn by Graphviz.",
        "text：终端文本；dot：Graphviz DOT；mermaid：Mermaid 流程图；svg、png：由 Graphviz 绘制。"),
    "help.graph_output": _both(
        "Write to FILE instead of standard output (svg and png go to SCENARIO.svg or SCENARIO.png when not given).",
        "写入文件 FILE，而不是标准输出（svg 和 png 不指定时写入 场景名.svg 或 场景名.png）。"),
    "help.graph_digits": _both(
        "Significant digits of the numbers in the picture (default 4, as in a hand drawing).",
        "图中数值的有效数字位数（默认 4 位，和手绘图一样）。"),

    # ── expression scenarios: circuits of gates (expression.py, circuit.py, render_circuit.py) ──
    "expression.too_many_lines": _both(
        "an expression program has at most {limit} lines", "表达式程序最多 {limit} 行"),
    "expression.too_long": _both(
        "the expression program is longer than {limit} characters", "表达式程序超过 {limit} 个字符"),
    "expression.line_too_long": _both(
        "a line of an expression has at most {limit} characters", "表达式的一行最多 {limit} 个字符"),
    "expression.empty": _both(
        "the expression is empty; write a line such as f = (x + y) * z",
        "表达式为空；请写成 f = (x + y) * z 这样的一行"),
    "expression.no_assignment": _both(
        "write each line as name = expression, e.g. f = (x + y) * z",
        "每一行都应写成 名称 = 表达式，例如 f = (x + y) * z"),
    "expression.bad_target": _both(
        "'{found}' cannot be defined: before = write one name (letters, digits and _, starting with a letter)",
        "无法定义 '{found}'：= 左边应是一个名称（字母、数字和 _，以字母开头）"),
    "expression.function_as_name": _both(
        "{name} is a function and cannot be the name of a value", "{name} 是函数名，不能用作值的名称"),
    "expression.nothing": _both(
        "nothing after =: write the expression that defines this value", "= 后面是空的：请写出定义该值的表达式"),
    "expression.syntax": _both(
        "this is not an expression bptutor can read (check the brackets and the operators + - * / **)",
        "bptutor 无法读取这个表达式（请检查括号和运算符 + - * / **）"),
    "expression.too_deep": _both(
        "the expression is nested more than {limit} operations deep", "表达式的运算嵌套超过 {limit} 层"),
    "expression.too_many_nodes": _both(
        "the expression program has more than {limit} operations, names and numbers",
        "表达式程序中的运算、名称和数字超过 {limit} 个"),
    "expression.function_not_called": _both(
        "{name} is a function: write {name}(…) with its argument", "{name} 是函数：请写成 {name}(…) 并给出参数"),
    "expression.unknown_function": _both(
        "unknown function '{name}'; the functions are: {functions}", "未知函数 '{name}'；可用的函数有：{functions}"),
    "expression.keyword_argument": _both(
        "functions take plain arguments only, not name=value", "函数只接受普通参数，不接受 名称=值 的形式"),
    "expression.arity": _both(
        "{name} takes {count} argument(s), {given} given", "{name} 需要 {count} 个参数，实际给了 {given} 个"),
    "expression.caret": _both(
        "^ is not a power here: write x**2 for x squared", "这里 ^ 不表示乘方：x 的平方请写成 x**2"),
    "expression.second_equals": _both(
        "only one = per line (comparisons are not allowed)", "每行只能有一个 =（不允许比较运算）"),
    "expression.bad_character": _both(
        "the character '{character}' is not allowed in an expression "
        "(use names, numbers, + - * / ** and parentheses)",
        "表达式中不允许字符 '{character}'（请只用名称、数字、+ - * / ** 和括号）"),
    "expression.name_too_long": _both("a name has at most {limit} characters", "名称最多 {limit} 个字符"),
    "expression.bad_name": _both(
        "'{name}' is not a name bptutor accepts (letters, digits and _, starting with a letter)",
        "'{name}' 不是可用的名称（字母、数字和 _，以字母开头）"),
    "expression.not_a_number": _both(
        "only numbers, names and operations are allowed here (no text, True, False or None)",
        "这里只允许数字、名称和运算（不允许文本、True、False 或 None）"),
    "expression.bad_number": _both(
        "'{found}' is not a decimal number such as 2, 0.5 or 1e-3", "'{found}' 不是 2、0.5 或 1e-3 这样的十进制数"),
    "expression.number_out_of_range": _both(
        "the number {found} is out of range: at most 1e6 and at least 1e-20 in size (or 0), at most 30 digits",
        "数字 {found} 超出范围：绝对值应在 1e-20 到 1e6 之间（或为 0），最多 30 位有效数字"),
    "expression.exponent_not_number": _both(
        "the exponent of ** must be a number written out, at most {limit} in size, e.g. x**2",
        "** 的指数必须是直接写出的数字，绝对值不超过 {limit}，例如 x**2"),
    "expression.exponent_too_large": _both(
        "the exponent of ** is at most {limit} in size", "** 的指数绝对值不超过 {limit}"),
    "expression.syntax.attribute": _both(
        "attribute access (a dot after a name) is not allowed", "不允许访问属性（名称后面跟点号）"),
    "expression.syntax.subscript": _both("indexing with [ ] is not allowed", "不允许用 [ ] 取下标"),
    "expression.syntax.lambda": _both("lambda is not allowed", "不允许使用 lambda"),
    "expression.syntax.comparison": _both(
        "comparisons (is, in, <, ==) are not allowed; use max or min", "不允许比较运算（is、in、<、==）；请用 max 或 min"),
    "expression.syntax.logic": _both(
        "logic (and, or, not) is not allowed", "不允许逻辑运算（and、or、not）"),
    "expression.syntax.condition": _both(
        "if … else is not allowed; use max, min or relu", "不允许 if … else；请用 max、min 或 relu"),
    "expression.syntax.starred": _both("* before an argument is not allowed", "参数前不允许加 *"),
    "expression.syntax.comprehension": _both(
        "for … in is not allowed", "不允许使用 for … in"),
    "expression.syntax.tuple": _both(
        "a list or a pair of values is not allowed here; one line computes one value",
        "这里不允许列表或多个值；每一行只计算一个值"),
    "expression.syntax.text": _both("text is not allowed in an expression", "表达式中不允许文本"),
    "expression.syntax.assignment": _both(":= is not allowed", "不允许使用 :="),
    "expression.syntax.operator": _both(
        "this operator is not allowed; the operators are + - * / and **", "不允许这个运算符；可用的运算符是 + - * / 和 **"),
    "expression.syntax.other": _both(
        "this is not allowed in an expression", "表达式中不允许这样写"),
    "expression.defined_twice": _both(
        "{name} is already defined on line {line} of the expression", "{name} 已在表达式第 {line} 行定义过"),
    "expression.used_before_defined": _both(
        "{name} is used before the line that defines it", "{name} 在定义它的那一行之前就被使用了"),
    "expression.unused_line": _both(
        "{name} is computed but never used on the way to {output}", "{name} 被计算出来，但在计算 {output} 时没有用到"),
    "expression.unknown_variable": _both(
        "unknown name '{name}'; the expression may use: {variables}", "未知名称 '{name}'；表达式只能使用：{variables}"),
    "expression.missing": _both(
        "this scenario gives layers, not an expression", "该场景给出的是网络层，而不是表达式"),
    "expression.expected_line": _both(
        "expected one line of the expression program, got {found}", "应为表达式程序的一行，实际是 {found}"),
    "expression.expected_program": _both(
        "expected an expression such as f = (x + y) * z, or a block of such lines, got {found}",
        "应为 f = (x + y) * z 这样的表达式，或由这样的行组成的块，实际是 {found}"),
    "expression.what.values": _both(
        "a mapping of the expression's names to numbers, e.g. {{x: -2, y: 5}}",
        "表达式中名称到数值的映射，例如 {{x: -2, y: 5}}"),
    "expression.what.gates": _both("how gates are shown", "门的显示方式"),
    "expression.value_not_read": _both(
        "{name} is given a value but the expression does not read it; it reads: {leaves}",
        "给了 {name} 的值，但表达式没有用到它；表达式用到的是：{leaves}"),
    "expression.value_missing": _both(
        "the expression reads {name}: give it a value under values", "表达式用到了 {name}：请在 values 中给出它的值"),
    "expression.domain": _both("{gate} cannot be computed: {reason}", "无法计算 {gate}：{reason}"),
    "expression.domain.division": _both("division by 0", "除以 0"),
    "expression.domain.log": _both("the logarithm of a number ≤ 0", "对 ≤ 0 的数取对数"),
    "expression.domain.zero_power": _both("0 raised to a negative power", "0 的负数次幂"),
    "expression.domain.negative_power": _both(
        "a negative number raised to a power that is not a whole number", "负数的非整数次幂"),
    "expression.overflow": _both(
        "{gate} (at {where}) is too large for float64: the numbers overflowed",
        "{gate}（位于 {where}）超出了 float64 的范围：数值溢出"),
    "expression.note.tie": _both(
        "{gate} = {op}(…) has a tie: the whole gradient goes to the first argument (one valid subgradient)",
        "{gate} = {op}(…) 的两个参数相等：整个梯度传给第一个参数（这是一个合法的次梯度）"),
    "expression.note.kink": _both(
        "{gate} = {op}(0) has no derivative at 0: the local derivative 0 is used (one valid subgradient)",
        "{gate} = {op}(0) 在 0 处不可导：局部导数取 0（这是一个合法的次梯度）"),
    "expression.unknown_name": _both(
        "{name} is not a value of this circuit; the values are: {names}", "{name} 不是该计算图中的值；可用的值有：{names}"),
    "expression.layered_only": _both(
        "{scenario} is an expression scenario: run, explain and validate work on it; "
        "solve, check and quiz need a layered network",
        "{scenario} 是表达式场景：可以用 run、explain 和 validate；solve、check 和 quiz 需要分层网络"),
    "expression.no_steps": _both(
        "an expression scenario is not trained: --steps and --every do not apply",
        "表达式场景没有训练步骤：--steps 和 --every 不适用"),
    "expr.run.title": _both("{title}  ({scenario}, a circuit of {count} gates)", "{title}  （{scenario}，由 {count} 个门组成的计算图）"),
    "expr.given.expression": _both("expression", "表达式"),
    "expr.given.values": _both("values", "取值"),
    "expr.given.gates": _both("gates", "门"),
    "expr.gates.grouped": _both("grouped (a sigmoid is one gate)", "合并（sigmoid 是一个门）"),
    "expr.gates.fine": _both(
        "fine (a sigmoid is its −z, exp, +1 and 1/x gates)", "拆分（sigmoid 拆成 −z、exp、+1 和 1/x 四个门）"),
    "expr.heading.forward": _both("Forward pass: the value of every gate", "正向传播：每个门的值"),
    "expr.heading.backward": _both(
        "Backward pass: on every edge, upstream × local = downstream (from {output} back)",
        "反向传播：每条边上 上游 × 局部 = 下游（从 {output} 往回算）"),
    "expr.heading.gradients": _both(
        "Gradients: the sum of the edges into each value (a fork adds them up)",
        "梯度：流入每个值的各条边之和（分叉处相加）"),
    "expr.column.gate": _both("gate", "门"),
    "expr.column.edge": _both("edge", "边"),
    "expr.column.upstream": _both("upstream", "上游"),
    "expr.column.local": _both("local", "局部导数"),
    "expr.column.downstream": _both("downstream = upstream × local", "下游 = 上游 × 局部"),
    "expr.column.gradient": _both("gradient", "梯度"),
    "expr.column.sum": _both("sum of the edges", "各条边之和"),
    "expr.row.output": _both("the output itself", "输出本身"),
    "expr.row.fork": _both("{name} (fork)", "{name}（分叉）"),
    "expr.row.unreached": _both("reaches no gate", "没有流向任何门"),
    "expr.explain.title": _both(
        "∂{output}/∂{name}: the chain rule along every path from {output} back to {name}",
        "∂{output}/∂{name}：沿从 {output} 回到 {name} 的每一条路径应用链式法则"),
    "expr.explain.gates": _both("The circuit, at {values}:", "计算图，取 {values}："),
    "expr.explain.path": _both("Path {number}: {path}", "路径 {number}：{path}"),
    "expr.explain.sum": _both(
        "Sum over the {count} paths (a value that forks adds its paths):",
        "对 {count} 条路径求和（值分叉时各路径相加）："),
    "expr.explain.one_path": _both("One path, so that is the gradient:", "只有一条路径，所以这就是梯度："),
    "expr.explain.no_path": _both(
        "{name} does not lead to {output}, so ∂{output}/∂{name} = 0", "{name} 不通向 {output}，所以 ∂{output}/∂{name} = 0"),
    "expr.explain.itself": _both("{name} is the output: ∂{name}/∂{name} = 1", "{name} 就是输出：∂{name}/∂{name} = 1"),
    "expr.explain.too_many_paths": _both(
        "There are {count} paths; the first {shown} are written out.", "共有 {count} 条路径；下面写出前 {shown} 条。"),
    "expr.explain.whole": _both(
        "Check: {output} as one expression in the leaves, differentiated by sympy:",
        "验算：把 {output} 写成只含叶子变量的一个表达式，由 sympy 求导："),
    # ── larger networks: the compact form, summary views, sensitivity ───────────
    "what.shape": _both(
        "a list of 2 to {most} layer sizes, from the inputs to the outputs (shape: [784, 16, 16, 10])",
        "由 2 到 {most} 个层大小组成的列表，从输入层到输出层（shape: [784, 16, 16, 10]）"),
    "what.width": _both("a whole number of neurons from 1 to {most}", "1 到 {most} 之间的整数个神经元"),
    "what.init": _both(
        "a mapping {{scheme: uniform, xavier or he, seed: a whole number}}",
        "一个映射 {{scheme: uniform、xavier 或 he, seed: 整数}}"),
    "what.init_scheme": _both("an initialisation scheme", "初始化方法"),
    "what.seed": _both("a whole number from 0 up as the seed", "作为种子的非负整数"),
    "what.positive_number": _both("a number greater than 0", "大于 0 的数"),
    "what.compact_inputs": _both(
        "a list of {count} numbers, or {{generate: uniform, seed: S}}",
        "由 {count} 个数组成的列表，或 {{generate: uniform, seed: S}}"),
    "what.generator": _both("a way to generate the inputs", "生成输入的方式"),
    "what.range_pair": _both("a list [low, high] with low < high", "列表 [low, high]，且 low < high"),
    "what.target_values": _both("targets", "目标值"),
    "what.compact_targets": _both(
        "a list of {count} numbers, or {{one_hot: k}}",
        "由 {count} 个数组成的列表，或 {{one_hot: k}}"),
    "what.one_hot": _both("the number of an output, from 1 to {count}", "输出的序号，1 到 {count}"),
    "compact.too_many_parameters": _both(
        "this shape has {count} parameters; at most {limit} are allowed",
        "这个形状有 {count} 个参数；最多允许 {limit} 个"),
    "compact.activation_count": _both(
        "expected one activation, or a list of {count} (one per layer after the inputs); got a list of {found}",
        "应为一个激活函数，或由 {count} 个组成的列表（输入层之后每层一个）；实际列表有 {found} 个"),
    "compact.range_uniform_only": _both(
        "range is for the uniform scheme only; {scheme} sets its own range from the layer sizes",
        "range 只用于 uniform 方法；{scheme} 按各层大小自行确定范围"),
    "compact.not_a_parameter": _both(
        "{name} is not a parameter of this shape (names like {examples})",
        "{name} 不是这个形状的参数（参数名形如 {examples}）"),
    "compact.no_init": _both(
        "no init, and no value for {name} ({count} parameters without a value): "
        "give init: {{scheme: xavier, seed: 1}}, or every parameter under parameters",
        "没有 init，且 {name} 没有取值（共 {count} 个参数没有取值）："
        "请给出 init: {{scheme: xavier, seed: 1}}，或在 parameters 中给出每个参数"),
    "compact.count": _both("expected {count} {what}, got {found}", "应有 {count} 个{what}，实际 {found} 个"),
    "summary.note": _both(
        "A summary of {count} parameters: --full prints every table; bptutor explain NAME derives one gradient.",
        "共 {count} 个参数，这里只给出摘要：--full 显示全部表格；bptutor explain 名称 推导单个梯度。"),
    "summary.network": _both("network", "网络"),
    "summary.network_value": _both("{shape}, {count} parameters", "{shape}，共 {count} 个参数"),
    "summary.inputs": _both("inputs", "输入"),
    "summary.targets": _both("targets", "目标"),
    "summary.many_values": _both(
        "{count} {what} {first} … {last}, from {low} to {high}",
        "{count} 个{what} {first} … {last}，取值从 {low} 到 {high}"),
    "summary.parameter_count": _both("{count} parameters", "{count} 个参数"),
    "summary.heading.outputs": _both("Outputs", "输出层"),
    "summary.heading.layers": _both(
        "Per layer (Frobenius norms: ‖W‖ = √(Σ w²))", "各层（Frobenius 范数：‖W‖ = √(Σ w²)）"),
    "summary.heading.top": _both(
        "The {top} parameters with the largest |∂{loss}/∂p| (of {count})",
        "|∂{loss}/∂p| 最大的 {top} 个参数（共 {count} 个）"),
    "summary.more_notes": _both("({count} more like it)", "（另有 {count} 条类似的提示）"),
    "column.output": _both("output", "输出"),
    "column.target": _both("target", "目标"),
    "column.layer": _both("layer", "层"),
    "column.weights": _both("weights", "权重"),
    "column.activation": _both("activation", "激活函数"),
    "column.rank": _both("rank", "名次"),
    "sensitivity.heading": _both(
        "Sensitivity of {loss} to each parameter in {scenario}: |∂{loss}/∂p|, largest first ({shown} of {count})",
        "{scenario} 中 {loss} 对各参数的敏感度：|∂{loss}/∂p| 从大到小（列出 {shown} 个，共 {count} 个）"),
    "sensitivity.column.next": _both("× next", "× 下一个"),
    "sensitivity.column.last": _both("× last", "× 最后一个"),
    "sensitivity.sentence": _both(
        "Here {first} matters {ratio}× more than {last}: "
        "a small change in {first} changes {loss} {ratio} times as much as the same change in {last}.",
        "在这里 {first} 的影响是 {last} 的 {ratio} 倍：{first} 的微小变化引起的 {loss} 变化，"
        "是 {last} 同样变化的 {ratio} 倍。"),
    "sensitivity.last_zero": _both(
        "Here {loss} does not change at all with {last} (its gradient is 0), but does with {first}.",
        "在这里 {loss} 完全不随 {last} 变化（梯度为 0），但随 {first} 变化。"),
    "sensitivity.all_zero": _both(
        "Every gradient listed is 0: {loss} does not change with these parameters here.",
        "列出的梯度都是 0：在这里 {loss} 不随这些参数变化。"),
    "help.sensitivity": _both(
        "Rank the parameters by |∂E/∂p|: which ones the loss is most sensitive to, and how many times more "
        "than the others.\n\nExample: bptutor sensitivity two_two_two --top 5",
        "按 |∂E/∂p| 给参数排序：损失对哪些参数最敏感，是其他参数的多少倍。\n\n"
        "示例：bptutor sensitivity two_two_two --top 5 --lang zh"),
    "help.sensitivity.short": _both(
        "Rank the parameters by how much the loss depends on them.", "按损失对参数的敏感度给参数排序。"),
    "help.top": _both("How many parameters to list (default 10; 0 for all).", "列出多少个参数（默认 10；0 表示全部）。"),
    "help.full": _both(
        "Print every table, however large the network (by default a network of more than 60 parameters gets a summary).",
        "无论网络多大都显示全部表格（默认超过 60 个参数的网络只显示摘要）。"),
    "help.summary": _both(
        "Print the summary (per-layer norms, the parameters with the largest gradients) even for a small network.",
        "即使网络很小也只显示摘要（各层范数、梯度最大的参数）。"),
    "explain.large_network": _both(
        "Chain rule: {target} reaches {loss} along {count} paths; in a network of {parameters} parameters "
        "they are not written out one by one, see the δ form below.",
        "链式法则：{target} 经 {count} 条路径影响 {loss}；网络共有 {parameters} 个参数，不逐条写出，"
        "请看下面的误差项 δ 形式。"),
    "usage.full_and_summary": _both("--full and --summary cannot be used together", "--full 和 --summary 不能同时使用"),
    # ── training (issue #6): samples, optimizers, new losses, bptutor train ──────
    "loss.mae": _both(
        "{loss} = (1/n) Σ |target − out|, the mean absolute error over the n output neurons",
        "{loss} = (1/n) Σ |目标 − 输出|，对 n 个输出神经元取平均的绝对误差"),
    "loss.rmse": _both(
        "{loss} = √((1/n) Σ (target − out)²), the root of the mean squared error",
        "{loss} = √((1/n) Σ (目标 − 输出)²)，均方误差的平方根"),
    "loss.bce": _both(
        "{loss} = −(1/n) Σ [target·ln(out) + (1 − target)·ln(1 − out)], binary cross-entropy",
        "{loss} = −(1/n) Σ [目标·ln(输出) + (1 − 目标)·ln(1 − 输出)]，二元交叉熵"),
    "loss.cross_entropy": _both(
        "{loss} = −Σ target·ln(out), cross-entropy on a softmax output layer",
        "{loss} = −Σ 目标·ln(输出)，softmax 输出层上的交叉熵"),
    "what.samples": _both(
        "samples: a list of (inputs, targets) mappings, a .csv file name, or a mapping (generate: xor|circle|gaussians|spiral, count, noise, seed)",
        "样本：由 (inputs, targets) 映射组成的列表、一个 .csv 文件名，或映射 (generate: xor|circle|gaussians|spiral, count, noise, seed)"),
    "what.sample": _both("a sample: a mapping with inputs and targets", "一个样本：含 inputs 与 targets 的映射"),
    "count.sample": _both("sample", "样本"),
    "count.samples": _both("samples", "样本"),
    "what.dataset": _both("a data set", "数据集"),
    "what.whole_number": _both("a whole number from {least} to {most}", "{least} 到 {most} 之间的整数"),
    "what.training": _both(
        "a mapping with steps or epochs, batch_size, shuffle, seed, reduction",
        "含 steps 或 epochs、batch_size、shuffle、seed、reduction 的映射"),
    "what.reduction": _both("how the batch gradient is formed", "批量梯度的合成方式"),
    "what.optimizer": _both("an optimizer", "优化器"),
    "scenario.samples_and_inputs": _both(
        "give either samples or {key}, not both (with samples, the samples name the inputs and give the targets)",
        "samples 与 {key} 只能给出一个（给出 samples 时，输入的名字和目标都来自样本）"),
    "scenario.sample_inputs_differ": _both(
        "every sample must give the same inputs as the first: {names}",
        "每个样本给出的输入必须与第一个样本相同：{names}"),
    "scenario.sample_targets": _both(
        "a sample's targets are named by the output neurons: {names}",
        "样本的目标必须以输出神经元命名：{names}"),
    "scenario.noise_range": _both("noise must be between 0 and 10, got {found}", "noise 必须在 0 到 10 之间，实际是 {found}"),
    "scenario.generator_outputs": _both(
        "a generated data set has two classes: give the output layer 1 neuron (sigmoid) or 2 (softmax), not {count}",
        "生成的数据集只有两类：输出层应有 1 个神经元（sigmoid）或 2 个（softmax），而不是 {count} 个"),
    "scenario.csv_too_large": _both("the CSV file {file} is too large (at most 256 MiB)", "CSV 文件 {file} 太大（最多 256 MiB）"),
    "scenario.csv_unreadable": _both("cannot read the CSV file {file}: {reason}", "无法读取 CSV 文件 {file}：{reason}"),
    "scenario.csv_no_header": _both(
        "the CSV file {file} has no header row naming its columns",
        "CSV 文件 {file} 没有给出列名的表头行"),
    "scenario.csv_row_length": _both(
        "{file} line {line}: {count} values, but the header names {expected} columns",
        "{file} 第 {line} 行：有 {count} 个值，但表头有 {expected} 列"),
    "scenario.csv_not_number": _both(
        "{file} line {line}, column {column}: expected a number (at most 1e6 in size), got {found}",
        "{file} 第 {line} 行 {column} 列：应为数字（绝对值最多 1e6），实际是 {found}"),
    "scenario.csv_missing_targets": _both(
        "the CSV file has no column for the output neuron(s) {names}, which hold the targets",
        "CSV 文件中没有输出神经元 {names} 的列（目标值放在这些列中）"),
    "scenario.steps_and_epochs": _both("give steps or epochs, not both", "steps 与 epochs 只能给出一个"),
    "scenario.not_negative": _both("expected a number ≥ 0, got {found}", "应为 ≥ 0 的数，实际是 {found}"),
    "scenario.optimizer_constant": _both(
        "{key} must be at least 0 and below 1 (epsilon: above 0), got {found}",
        "{key} 必须不小于 0 且小于 1（epsilon 必须大于 0），实际是 {found}"),
    "scenario.softmax_not_output": _both(
        "softmax is an output layer's activation (with the cross_entropy loss), not a hidden layer's",
        "softmax 只能用作输出层的激活函数（配合 cross_entropy 损失），不能用于隐含层"),
    "scenario.softmax_needs_cross_entropy": _both(
        "a softmax output layer needs the cross_entropy loss",
        "softmax 输出层需要配合 cross_entropy 损失"),
    "scenario.loss_needs_output": _both(
        "the {loss} loss needs a {activation} output layer",
        "{loss} 损失需要 {activation} 输出层"),
    "scenario.softmax_one_neuron": _both(
        "a softmax output layer needs at least 2 neurons (with one, use sigmoid and bce)",
        "softmax 输出层至少需要 2 个神经元（只有一个时请用 sigmoid 和 bce）"),
    "scenario.targets_probabilities": _both(
        "{loss} targets must lie between 0 and 1 (sample {sample})",
        "{loss} 的目标值必须在 0 到 1 之间（第 {sample} 个样本）"),
    "scenario.targets_sum": _both(
        "cross_entropy targets must sum to 1 (sample {sample} sums to {total})",
        "cross_entropy 的目标值之和必须为 1（第 {sample} 个样本之和为 {total}）"),
    "scenario.rounding_training": _both(
        "rounding is for a hand calculation: one example, plain gradient descent, and the loss half_sse, sse or mse",
        "舍入用于手算：只能有一个样本、普通梯度下降，损失为 half_sse、sse 或 mse"),
    "note.cancels.sigmoid": _both(
        "With binary cross-entropy on a sigmoid output, ∂{loss}/∂out = (out − target)/(out·(1 − out)) and "
        "σ′ = out·(1 − out) cancel: δ = ∂{loss}/∂in = out − target (over n outputs, divided by n). σ′ never "
        "appears, so a saturated output still learns, and the loss is computed from in (no log(0)).",
        "二元交叉熵配合 sigmoid 输出时，∂{loss}/∂out = (out − target)/(out·(1 − out)) 与 "
        "σ′ = out·(1 − out) 相消：δ = ∂{loss}/∂in = out − target（有 n 个输出时再除以 n）。σ′ 不再出现，"
        "所以饱和的输出仍能学习；损失由 in 直接计算（不会出现 log(0)）。"),
    "note.cancels.softmax": _both(
        "With cross-entropy on a softmax output, δ_i = Σ_j ∂{loss}/∂out_j·∂out_j/∂in_i "
        "= Σ_j (−target_j/out_j)·out_j·(δ_ij − out_i) = out_i·Σ_j target_j − target_i = out_i − target_i, "
        "since the targets sum to 1: softmax's derivative never appears, and the loss is computed from the "
        "in values (no log(0), no overflow).",
        "交叉熵配合 softmax 输出时，δ_i = Σ_j ∂{loss}/∂out_j·∂out_j/∂in_i "
        "= Σ_j (−target_j/out_j)·out_j·(δ_ij − out_i) = out_i·Σ_j target_j − target_i = out_i − target_i"
        "（目标之和为 1）：softmax 的导数不再出现；损失由 in 直接计算（不会出现 log(0) 或溢出）。"),
    "cli.not_by_hand": _both(
        "{source}: bptutor {command} works one example by hand, by gradient descent, with the loss half_sse, sse "
        "or mse; this scenario trains (samples, an optimizer, weight decay, a training section, another loss or "
        "softmax): bptutor run shows its trace and bptutor train trains it",
        "{source}：bptutor {command} 只能手算一个样本、普通梯度下降、损失为 half_sse、sse 或 mse 的例题；"
        "这个场景用于训练（有 samples、优化器、权重衰减、training 设置、其他损失或 softmax）："
        "请用 bptutor run 查看计算过程，用 bptutor train 训练"),
    "train.sample_heading": _both(
        "Sample {number} of {count} in the batch (sample {index}: {givens})",
        "批次中的第 {number} 个样本，共 {count} 个（第 {index} 个样本：{givens}）"),
    "train.more_samples": _both(
        "The other samples of the batch ({shown} of {count} are shown) are traced the same way; their gradients are in the mean below.",
        "批次中的其余样本（共 {count} 个，上面显示了 {shown} 个）按同样的方法计算；它们的梯度计入下面的平均值。"),
    "train.heading.gradient_mean": _both(
        "Batch gradient: the mean of the {count} samples' ∂{loss}/∂p",
        "批量梯度：{count} 个样本的 ∂{loss}/∂p 的平均值"),
    "train.heading.gradient_sum": _both(
        "Batch gradient: the sum of the {count} samples' ∂{loss}/∂p",
        "批量梯度：{count} 个样本的 ∂{loss}/∂p 之和"),
    "train.heading.update": _both("Update ({optimizer}: {rule})", "参数更新（{optimizer}：{rule}）"),
    "train.heading.losses": _both(
        "Loss over {steps} steps (each the mean over its batch; the last line over all samples)",
        "{steps} 步中每一步的损失（每步为该批次的平均；最后一行为全部样本的平均）"),
    "train.column.sample": _both("sample {index}", "样本 {index}"),
    "train.column.sum": _both("sum", "总和"),
    "train.given.samples": _both("samples", "样本"),
    "train.samples_value": _both("{count}: inputs {inputs}; targets {targets}", "{count} 个：输入 {inputs}；目标 {targets}"),
    "train.given.batch": _both("batches", "批次"),
    "train.batch_all": _both("all {count} samples in each step (full batch)", "每步使用全部 {count} 个样本（全批量）"),
    "train.batch_size": _both("{size} of the {count} samples in each step", "每步使用 {count} 个样本中的 {size} 个"),
    "train.reduction_mean": _both("gradient = the mean over the batch", "梯度取批次的平均"),
    "train.reduction_sum": _both("gradient = the sum over the batch", "梯度取批次之和"),
    "train.shuffle": _both("shuffled each epoch (seed {seed})", "每轮打乱顺序（种子 {seed}）"),
    "train.no_shuffle": _both("in order", "按顺序"),
    "train.given.optimizer": _both("optimizer", "优化器"),
    "scenario.updated_weights_training": _both(
        "hidden_error_weights: updated is a hand-calculation convention, not a gradient: bptutor run shows it "
        "for one example with gradient descent; training (train, samples, optimizers, training losses) needs the "
        "exact gradient",
        "hidden_error_weights: updated 是手算的约定，不是梯度：bptutor run 可以对一个样本、普通梯度下降显示它；"
        "训练（train、samples、优化器、训练用的损失）需要精确梯度"),
    "train.title": _both("Training {title}  ({scenario})", "训练 {title}（{scenario}）"),
    "train.summary": _both(
        "{count} samples, {steps} steps ({epochs} epochs), optimizer {optimizer}, loss {loss}",
        "{count} 个样本，{steps} 步（{epochs} 轮），优化器 {optimizer}，损失 {loss}"),
    "train.heading.curve": _both(
        "Loss per epoch ({loss}, the mean over all samples; epoch 0 is before training)",
        "每轮的损失（{loss}，全部样本的平均；第 0 轮为训练前）"),
    "train.epoch_axis": _both("epoch →", "轮次 →"),
    "train.loss_change": _both("{loss}: {first} before training, {last} after {epochs} epochs", "{loss}：训练前 {first}，{epochs} 轮后 {last}"),
    "train.accuracy": _both("accuracy: {percent}% ({right} of {count} samples classified right)", "准确率：{percent}%（{count} 个样本中 {right} 个分类正确）"),
    "train.heading.parameters": _both("Parameters", "参数"),
    "train.heading.layers": _both("Parameters by layer (weights and biases)", "各层参数（权重和偏置）"),
    "train.column.initial": _both("initial", "初始值"),
    "train.column.final": _both("after training", "训练后"),
    "train.column.layer": _both("layer", "层"),
    "train.column.shape": _both("inputs→neurons", "输入→神经元"),
    "train.column.count": _both("parameters", "参数个数"),
    "train.column.mean": _both("mean", "平均值"),
    "train.column.std": _both("std", "标准差"),
    "train.column.min": _both("min", "最小值"),
    "train.column.max": _both("max", "最大值"),
    "train.progress": _both("training", "训练中"),
    "train.no_matplotlib": _both(
        "--plot needs matplotlib: pip install \"bptutor[plot]\" (or pip install matplotlib)",
        "--plot 需要 matplotlib：pip install \"bptutor[plot]\"（或 pip install matplotlib）"),
    "usage.steps_and_epochs": _both("give --steps or --epochs, not both", "--steps 与 --epochs 只能给出一个"),
    "help.train": _both(
        "Train the network on the scenario's samples (vectorised, with NumPy): a progress bar while it runs, "
        "then the loss per epoch as a plot, the accuracy for classification data, and the parameters.\n\n"
        "Example: bptutor train spiral --plot spiral.png",
        "用场景中的样本训练网络（NumPy 向量化计算）：运行时显示进度条，之后画出每轮的损失曲线，"
        "分类数据给出准确率，并列出参数。\n\n示例：bptutor train spiral --plot spiral.png"),
    "help.train.short": _both("Train on many samples: loss curve, accuracy, parameters.", "用多个样本训练：损失曲线、准确率、参数。"),
    "help.train_steps": _both("Number of updates (overrides the file's training section).", "更新的步数（覆盖文件中的 training 设置）。"),
    "help.train_epochs": _both("Number of passes over the samples (overrides the file's training section).", "遍历全部样本的轮数（覆盖文件中的 training 设置）。"),
    "help.train_format": _both("rich (default): plot and tables; json: one object for tools.", "rich（默认）：曲线和表格；json：供程序读取的一个对象。"),
    "help.train_plot": _both(
        "Also save the loss curve (and, for two inputs, the decision boundary) as a PNG image; needs matplotlib.",
        "同时把损失曲线（两个输入时还有决策边界）保存为 PNG 图片；需要 matplotlib。"),
    # ── custom activations and losses in layered scenarios (bptutor.core.custom) ──
    "custom.loss_name": _both("custom", "自定义"),
    "custom.loss_sum": _both(
        "{loss} = Σ {term}, with {target} the target and {output} the output",
        "{loss} = Σ {term}，其中 {target} 为目标值，{output} 为输出"),
    "custom.loss_mean": _both(
        "{loss} = (1/n) Σ {term}, the mean over the n output neurons, with {target} the target and {output} the output",
        "{loss} = (1/n) Σ {term}，对 n 个输出神经元取平均，其中 {target} 为目标值，{output} 为输出"),
    "custom.domain": _both(
        "{function} cannot be computed at {at}: {reason}", "{function} 在 {at} 处无法计算：{reason}"),
    "custom.bad_variable": _both(
        "expected a variable's name (a letter, then letters, digits or _; not a function's name), found {found}",
        "应为变量名（以字母开头，后接字母、数字或 _；不能是函数名），实际为 {found}"),
    "custom.same_variable": _both(
        "the target and the output need two different names; both are '{name}'",
        "目标值和输出需要两个不同的名称；现在都是 '{name}'"),
    "custom.expected_expression": _both(
        "expected an expression on one line, such as \"t / 10\", found {found}",
        "应为写在一行里的表达式，例如 \"t / 10\"，实际为 {found}"),
    "custom.expression_scenario": _both(
        "'expression' makes this an expression scenario (a program of gates, not layers): "
        "read it with bptutor.load or the bptutor commands",
        "'expression' 表明这是表达式场景（由门组成的程序，而不是分层网络）：请用 bptutor.load 或 bptutor 命令读取"),
    "custom.no_handout": _both(
        "{scenario} is an expression scenario: its result has values and gradients, "
        "but worked solutions (handouts) need a layered network",
        "{scenario} 是表达式场景：结果中有数值和梯度，但解答讲义需要分层网络"),
    "custom.not_for_training": _both(
        "custom activations and losses work for one example (run, explain, solve, check); "
        "training (samples, training, optimizer, weight_decay) needs built-in functions",
        "自定义的激活函数和损失函数只用于单个样本（run、explain、solve、check）；"
        "训练（samples、training、optimizer、weight_decay）需要使用内置函数"),
    "solve.too_large": _both(
        "a worked solution of {count} parameters would run to hundreds of pages; solve writes full solutions and "
        "worksheets for networks of at most {most} parameters. For this one: solve --answers-only, "
        "run (its summary view), sensitivity, or explain NAME for one parameter",
        "{count} 个参数的详细解答会有几百页；solve 只为最多 {most} 个参数的网络写详细解答和练习。"
        "对这个网络可以用：solve --answers-only、run（汇总视图）、sensitivity，或 explain 参数名 查看单个参数"),
})
# fmt: on


def _in_language(value: object, lang: str) -> object:
    return value.render(lang) if isinstance(value, Message) else value


def message(key: str, lang: str, /, **fields: object) -> str:
    """The message `key` in language `lang`, with its `{field}` placeholders filled in."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    template = CATALOG[key][lang]
    return template.format(**{name: _in_language(value, lang) for name, value in fields.items()})


@dataclass(frozen=True)
class Message:
    """A message not yet put into words: its catalog key and its fields (which may be Messages)."""

    key: str
    fields: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, /, **fields: object) -> Message:
        if key not in CATALOG:
            raise KeyError(f"no message {key!r} in the catalog")
        return cls(key, tuple(fields.items()))

    def render(self, lang: str) -> str:
        return message(self.key, lang, **dict(self.fields))

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)


def in_language(text: str | Message, lang: str) -> str:
    """Plain text as it is; a Message rendered in `lang`."""
    return text.render(lang) if isinstance(text, Message) else text


def is_wide(character: str) -> bool:
    """True for a character that takes two columns on a terminal (Chinese, full-width punctuation)."""
    return unicodedata.east_asian_width(character) in ("W", "F")


def has_wide_characters(text: str) -> bool:
    return any(is_wide(character) for character in text)


__all__ = [
    "CATALOG",
    "LANGUAGES",
    "Message",
    "detect_language",
    "has_wide_characters",
    "in_language",
    "is_wide",
    "message",
]
