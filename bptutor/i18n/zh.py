"""Chinese: every message bptutor prints, and the properties of Chinese text.

`MESSAGES` maps each key to its template, with `{field}` placeholders;
`LANGUAGE`, at the end, adds what the renderers need to know about the language.

The Chinese follows the words Chinese courses use: 正向传播, 反向传播, 链式法则,
损失函数, 误差项 δ, 学习率 η, 梯度, 权重, 偏置, 参数更新, 隐含层, 输出层.
Names (in_h1, w5, E_total), symbols and numbers are never translated.
"""

from __future__ import annotations

from types import MappingProxyType

from bptutor.i18n import Language

MESSAGES = MappingProxyType({
    # ── bptutor run: headings and the table of givens ────────────────────────────
    "run.title": "{title}  （{scenario}，第 1 步，共 {steps} 步）",
    "run.heading.given": "已知条件",
    "run.heading.forward": "正向传播",
    "run.heading.backward": "反向传播（误差项 {delta} = {signal}，从输出层往回算）",
    "run.heading.update": "参数更新（p′ = {rule}）",
    "run.heading.losses": "{steps} 步中每一步的损失",
    "run.note": "注意：{note}",
    # ── 矩阵形式（bptutor.derive.matrix，bptutor.render.matrix） ──
    "help.form": "scalar（默认）：逐个神经元列出数值；matrix：每层的 W、b、z、a 和 δ 写成矩阵，并给出四个 BP 方程的矩阵形式。",
    "matrix.layout.one": "矩阵形式：单个样本，a^(l)、z^(l)、b^(l) 和 δ^(l) 为列向量（n_l×1），W^(l) 为 n_l×n_(l−1) 的权重矩阵；⊙ 表示逐元素相乘（点乘）。",
    "matrix.layout.batch": "矩阵形式：一批 m = {m} 个样本（第 {samples} 个样本），每个样本是 A^(l)、Z^(l) 和 Δ^(l) 的一列（n_l×m，与笔记的写法相同）；W^(l) 为 n_l×n_(l−1)；⊙ 表示逐元素相乘（点乘）；这一批的梯度取{reduction}。",
    "matrix.reduction.mean": "各样本的平均：乘以 1/m",
    "matrix.reduction.sum": "各样本之和（不乘 1/m）",
    "matrix.note.textbook": "本例题把误差项写成 −∂E/∂z（教材约定）；这里的矩阵一律是梯度 δ = ∂E/∂z。",
    "matrix.note.missing": "没有连接的位置在 W 中记为 0；∂E/∂W 在该位置的值照算，但没有参数用到它。",
    "matrix.note.threshold": "本例题的偏置是阈值 θ（被减去）：b = −θ，所以 ∂E/∂θ = −∂E/∂b。",
    "matrix.note.updated": "注意：按本例题的约定，BP2 用的是已经更新过的 W^(l+1)。",
    "matrix.heading.forward": "前向传播：z^(l) = W^(l) a^(l−1) + b^(l)，a^(l) = g(z^(l))",
    "matrix.heading.backward": "反向传播：四个 BP 方程的矩阵形式（δ^(l) = ∂{loss}/∂z^(l)，从输出层往回算）",
    "matrix.heading.update": "参数更新（W′ = W − η·∂{loss}/∂W，b′ = b − η·∂{loss}/∂b）",
    "matrix.layer": "第 {number} 层（{name}，{activation}）：W^({number}) 为 n_{number}×n_{below} = {rows}×{columns}；各行依次为 {neurons}；各列依次为 {sources}",
    "matrix.loss.one": "损失（{name}）：{loss} = {value}",
    "matrix.loss.batch": "损失（{name}）：这一批的 {loss} = {value}",
    "matrix.update.optimizer": "优化器为 {optimizer}：上面是更新后的值；每个参数的更新公式见标量形式（run 不加 --form matrix）。",
    "matrix.update.frozen": "有些参数被冻结，保持原值。",
    "matrix.explain.delta": "本层的误差项 δ = ∂E/∂z，按它所在位置对应的 BP 方程计算：",
    "matrix.explain.weights": "权重梯度，所有元素一次算出（BP4）：",
    "matrix.explain.entry": "第 (j, k) 个元素是 ∂{loss}/∂w^({n})_(j,k) = δ^({n})_j · a^({below})_k：第 j 行对应本层第 j 个神经元，第 k 列对应它的第 k 个输入。若把矩阵转置，就会把 ∂E/∂w_(k,j) 填到 ∂E/∂w_(j,k) 的位置上。",
    "matrix.explain.biases": "偏置梯度（BP3）：",
    "matrix.not_layered": "矩阵形式要求每一层只接收紧邻的下一层（或输入）的输出，但神经元 {neuron} 接收了 {source}",
    "matrix.no_layer": "{name}：{scenario} 只有第 1 到第 {layers} 层",
    "matrix.not_a_name": "{name} 不是 {scenario} 中某一层的矩阵；explain --form matrix 接受某层的 W^(l)、δ^(l)、dW^(l) 或 db^(l)（这里有 {names}），或者某层的一个权重、偏置或神经元。{hint}",
    "solve.matrix.heading": "矩阵形式",
    "diagnosis.untransposed_weights": "计算 {step} 时用了 W^({layer})，应该用它的转置 (W^({layer}))ᵀ（δ^({below}) = ((W^({layer}))ᵀ δ^({layer})) ⊙ g′(z^({below}))）：用了 {pairs}（所用/应用）",
    "diagnosis.transposed_gradient": "∂E/∂W^({layer}) 写成了转置：{first} 填的是 {second} 的值（第 (k, j) 个元素写到了 (j, k) 的位置）",
    "solve.matrix.layout.one": "单个样本：{a}、{z}、{b} 和 {delta} 为列向量，{w} 为 n_l×n_(l−1) 的权重矩阵（第 j 行是输入第 j 个神经元的权重）；⊙ 表示逐元素相乘（点乘）。",
    "solve.matrix.layout.batch": "一批 m = {m} 个样本（第 {samples} 个样本），每个样本是 {a}、{z} 和 {delta} 的一列（与笔记的写法相同）；{w} 为 n_l×n_(l−1) 的权重矩阵；⊙ 表示逐元素相乘（点乘）；这一批的梯度取{reduction}。",
    "solve.matrix.forward": "前向传播（逐层计算）",
    "solve.matrix.backward": "反向传播：四个 BP 方程的矩阵形式",
    "solve.matrix.equations": "其中 {delta} = ∂{loss}/∂{z}，从输出层往回算：",
    "solve.matrix.layer": "第 {number} 层（{name}，{activation}）：{w} 为 {shape}；各行依次为 {neurons}，各列依次为 {sources}。",
    "solve.matrix.update": "参数更新",
    "solve.matrix.optimizer": "优化器为 {optimizer}：上面是更新后的值；每个参数的更新过程（连同优化器的状态）见不加 --form matrix 的解答。",
    "matrix.heading.update_optimizer": "参数更新（优化器 {optimizer}）",
    "matrix.too_large": "矩阵形式会列出每个矩阵的每个元素，只适用于最多 {most} 个参数的网络，而这个网络有 {count} 个；可以用 run --summary、sensitivity 或 explain 参数名",
    "matrix.too_many_samples": "矩阵形式为这一批的每个样本列出一列，最多 {most} 个，而这一批有 {count} 个；不加 --form matrix 的 run 会逐个样本列出计算过程",
    "matrix.expression": "表达式场景没有层，也就没有矩阵形式：请不加 --form matrix 使用 run 和 explain",
    "given.inputs": "输入",
    "given.targets": "目标",
    "given.parameters": "参数（{layer} 层）",
    "given.activations": "激活函数",
    "given.activation": "{layer} 层：{activation}",
    "given.activation_separator": "，",
    "given.loss": "损失函数",
    "given.loss_value": "{name}：{description}",
    "given.learning_rate": "学习率",
    "given.rate": "η = {rate}：{names}",
    "given.rate_separator": "；",
    "given.frozen": "冻结参数",
    "given.frozen_names": "{names}（计算并显示梯度，但不更新）",
    "given.rounding": "舍入",
    "given.rounding_kind": "{kind}保留 {decimals} 位",
    "given.rounding_nothing": "无",
    "given.rounding_value": "{kinds}小数（{method}），每个值按写下的数继续计算；其余精确计算",
    "given.rounding_half_up": "四舍五入",
    "given.rounding_half_even": "四舍六入五成双",
    "kind.pre_activations": "加权输入",
    "kind.activations": "神经元输出",
    "kind.losses": "损失",
    "kind.deltas": "误差项",
    "kind.gradients": "梯度",
    "kind.parameters": "更新后的参数",
    "given.error_term": "误差项",
    "given.error_term_value": "{error}，更新 p + η·Err·输入",
    "given.hidden_errors": "隐含层误差",
    "given.hidden_errors_value": "使用上一层已经更新过的权重（不是精确梯度）",
    "given.biases": "偏置",
    "given.biases_threshold": "阈值，做减法：{pre} = Σ w·x − θ",
    "note.updated_weights": (
        "隐含层误差项使用了上一层已经更新过的权重（更新后的权重标有 ′），这是一些经典教材的做法："
        "这样算出的不是损失函数的精确梯度。"
    ),
    "loss.half_sse": "{loss} = Σ ½(目标 − 输出)²",
    "loss.sse": "{loss} = Σ (目标 − 输出)²",
    "loss.mse": "{loss} = (1/n) Σ (目标 − 输出)²，对 n 个输出神经元取平均",

    # ── bptutor run: the tables ──────────────────────────────────────────────────
    "column.quantity": "量",
    "column.formula": "公式",
    "column.with_numbers": "代入数值",
    "column.value": "数值",
    "column.derivative": "偏导数",
    "column.chain_rule": "链式法则",
    "column.parameter": "参数",
    "column.new_value": "新值",
    "column.step": "步",
    "column.loss_before_update": "更新前的 {loss}",
    "row.path_via": "  经 {via} 的路径",
    "row.feeds_nothing": "0（它不影响任何量）",
    "row.frozen": "冻结：不更新",
    "row.after_last_step": "最后一步之后",

    # ── bptutor explain ──────────────────────────────────────────────────────────
    "explain.heading": "{text}：",
    "explain.name_a_sample": "训练的一步对批次中 {count} 个样本各推导一次 {name}：请指明样本，例如 {name}[1]",
    "explain.no_sample": "这个批次有 {count} 个样本：没有第 {number} 个样本",
    "explain.about": "{about}（例题 {scenario}）",
    "explain.about_titled": "{about}（例题 {scenario}：{title}）",
    "explain.definition": "定义：",
    "explain.loss_itself": "{loss} 就是损失函数本身：∂{loss}/∂{loss} = 1。",
    "explain.too_many_paths": (
        "链式法则：{target} 经 {count} 条以上的路径影响 {loss}，太多，不逐条写出；请看下面的误差项 δ 形式。"
    ),
    "explain.chain_one_path": "链式法则（{target} 经 1 条路径影响 {loss}）：",
    "explain.chain_paths": "链式法则（{target} 经 {count} 条路径影响 {loss}）：",
    "explain.each_factor": "逐个求各因子：",
    "explain.numbers": "代入数值：",
    "explain.path_via": "经 {via} 的路径：{rest}",
    "explain.result": "结果：",
    "explain.delta_form": "用误差项 δ 表示（{delta} = ∂{loss}/∂{pre}；∂{loss}/∂w = δ·输入，∂{loss}/∂b = δ）：",
    "explain.error_form": "用误差项 Err 表示（{delta} = −∂{loss}/∂{pre}；∂{loss}/∂w = −Err·输入）：",
    "explain.rounding_differs": (
        "舍入规则要求每个值写下时就舍入（误差项也一样），所以手算结果是 {value}：见下面的误差项形式。"
    ),
    "explain.why_fused.softmax": "为什么 {delta} = {out} − {target}（softmax 输出配合交叉熵）：",
    "explain.why_fused.sigmoid": "为什么 {delta} = {out} − {target}（sigmoid 输出配合二元交叉熵）：",
    "explain.fused_rule.softmax": "δ_j = Σ_i ∂{loss}/∂{a_i}·∂{a_i}/∂{z_j} = Σ_i (−{y_i}/{a_i})·{a_i}·(δ_ij − {a_j}) = {a_j}·Σ_i {y_i} − {y_j} = {a_j} − {y_j}：softmax 的雅可比矩阵 {a_i}·(δ_ij − {a_j}) 消去了 1/{a_i}，且目标值之和为 1",
    "explain.fused_rule.sigmoid": "δ = ∂{loss}/∂{a}·σ′ = ({a} − {y})/({a}·(1 − {a}))·{a}·(1 − {a}) = {a} − {y}：σ′ 与分母相消（有 n 个输出时再除以 n）",
    "explain.jacobian": "经 softmax 的雅可比矩阵逐项计算（∂{a_i}/∂{z_j} = {a_i}·(δ_ij − {a_j})，δ_j = Σ_i ∂{loss}/∂{a_i}·∂{a_i}/∂{z_j}）：",
    "explain.update": "参数更新：",
    "explain.update_rate": "参数更新（η = {rate}）：",
    "explain.frozen": "{target} 是冻结参数：显示它的梯度，但它保持原值 {value}。",

    # ── words inside formulas (sympy's Piecewise, the ReLU family) ──────────────
    "formula.if": "当",
    "formula.otherwise": "其他情况",
    "formula.else": "否则",
    "formula.since": "因为",

    # ── notes and numeric errors (trace.py) ──────────────────────────────────────
    "note.saturated": (
        "{output} = {function}({argument}) 已饱和：∂{output}/∂{argument} = {slope}，所以这个神经元"
        "几乎不再向后传递梯度（{argument} 变化时输出几乎不变）。"
    ),
    "error.diverged": "第 {step} 步数值溢出：损失超出了浮点数能表示的范围（请减小学习率或减少步数）",

    # ── explain: names it cannot answer about (UsageError) ──────────────────────
    "usage.not_a_quantity": "'{name}' 不是场景 '{scenario}' 中的量。{hint}场景的参数有：{parameters}。",
    "usage.did_you_mean": "是不是想写 {names}？",
    "usage.one_example": "NAME[i] 表示一个批次中第 i 个样本的量，而这个场景只有一个样本：请写 {name}。",
    "usage.given": "'{name}' 是场景中给定的量（{kind}），bptutor 不对它求导。",
    "kind.input": "输入",
    "kind.target": "目标",
    "kind.parameter": "参数",
    "kind.pre_activation": "加权输入",
    "kind.activation": "激活值",
    "kind.loss": "损失",

    # ── the command line ─────────────────────────────────────────────────────────
    "cli.no_scenario": "{reference}：没有这个文件，也没有叫这个名字的内置场景（内置场景：{names}）",
    "cli.no_builtins": "无",
    "cli.valid": "{file}: 通过检查",
    "cli.interrupted": "已中断",
    # ── hostile input: files, outputs, interrupts (issue 15) ─────────────────────
    "cli.terminated": "已终止",
    "usage.not_finite": "{option} 必须是有限的数，收到 {value}",
    "scenario.number_too_small": "应为 0 或绝对值不小于 {least} 的数，得到 {found}",
    "sensitivity.beyond_range": "在这里 {first} 比 {last} 重要得多，倍数超出了 float64 的范围",
    "cli.cannot_write_output": "无法写出结果：{reason}",
    "cli.numbers_out_of_range": "数值超出了 float64 的范围（{reason}）",
    "cli.too_large": "输入太大或嵌套太深，无法处理",
    "cli.internal_error": "内部错误（{kind}：{reason}）；请连同引起它的文件一起报告",
    "exit.internal": "内部错误（程序缺陷）",
    "exit.interrupted": "被中断（Ctrl-C）",
    "exit.terminated": "被终止（SIGTERM）",
    "output.is_input": "{file} 是本次运行的输入文件，不会被输出覆盖（请另选 -o）",
    "output.is_directory": "{file} 是一个目录：请给出要写入的文件名",
    "output.no_folder": "无法写入 {file}：它所在的目录不存在",
    "output.cannot_write": "无法写入 {file}：{reason}",
    "output.read_only": "该目录不可写",
    "output.not_ours": "{file} 已存在且不是 bptutor 写的：不会覆盖（请移走它，或另选 -o）",
    "output.companion": "已写入 {file}（Markdown 链接的图）",
    "plot.format": "--plot 只能写 PNG：请给出以 .png 结尾的文件名（收到 {file}）",
    "expr.explain.reverse": "验算：把 {output} 写成只含叶子变量的一个表达式将有 {size} 个节点（分叉会复制子树），sympy 无法处理；改用计算图的反向传播，逐门累加 上游 × 局部：",
    "files.not_utf8_at": "不是 UTF-8 文本（第 {line} 行第 {column} 列的字节 0x{byte}）",

    # ── help ─────────────────────────────────────────────────────────────────────
    "help.jacobian": "经输出激活函数的雅可比矩阵逐项推导输出层误差项（列出每个 ∂a_i/∂z_j，再求 δ_j = Σ_i ∂E/∂a_i·∂a_i/∂z_j），而不直接用 softmax 配交叉熵、sigmoid 配 bce 时相消后的 δ = a − y。",
    "help.app": (
        "手工演算反向传播：列出每一个量、每一个链式法则因子，既有符号形式，也有数值。\n\n"
        "示例：\n\n"
        "  bptutor run scenarios/two_two_two.yaml --lang zh\n\n"
        "  bptutor explain w5 --lang zh\n\n"
        "{exit_codes}\n\n"
        "输出语言默认取自环境变量 LC_ALL、LC_MESSAGES 或 LANG（以 zh 开头即为中文），可用 --lang 指定。"
    ),
    "help.callback": "手工演算反向传播。",
    # the exit codes of bptutor.errors.EXIT_CODES, listed in help.app
    "exit.list": "退出码：{codes}。",
    "exit.separator": "；",
    "exit.ok": "成功",
    "exit.wrong": "check 发现了错误的数值",
    "exit.usage": "命令行用法有误或名字不存在",
    "exit.bad_scenario": "场景文件有误",
    "exit.diverged": "数值溢出",
    "exit.external_program": "需要的外部程序（Chromium、Graphviz、matplotlib）缺失或运行失败",
    "exit.broken_pipe": "读取输出的程序已不再读取（管道已关闭，如 | head），不再输出任何内容",
    "help.version": "显示版本号并退出。",
    "help.lang": "输出语言：{languages}。默认取自环境变量 LC_ALL、LC_MESSAGES 或 LANG。",
    "help.install_completion": "为 SHELL（bash、zsh、fish、powershell 或 pwsh；默认为当前所用的 shell）安装 bptutor 命令和选项的自动补全，然后退出。",
    "help.show_completion": "显示 SHELL（默认为当前所用的 shell）的自动补全脚本，以便手动安装，然后退出。",
    "completion.installed": "{shell} 自动补全已安装到 {path}；此后新开的 shell 中生效。",
    "completion.no_shell": "无法判断当前的 shell；请在选项后写明（可选：{shells}）",
    "completion.unknown_shell": "不支持 shell '{shell}' 的自动补全；可选：{shells}",
    "help.lang_or": "或 ",
    "help.scenario": "场景文件（YAML），或内置场景的名字（见 `bptutor list`）。",
    "help.digits": "每个数显示的有效数字位数。",
    "help.ascii": (
        "数学符号只用 ASCII 字符（d 代替 ∂，* 代替 ×，delta 代替 δ），供显示不了这些符号的终端使用；"
        "中文照常输出。"
    ),
    "help.steps": "把正向传播、反向传播和参数更新重复 N 次。",
    "help.format": "rich：给人看的表格；json：给程序读的一个 JSON 对象。",
    "help.every": "仅用于 JSON：每 K 步保留一步（第一步和最后一步总是保留）。",
    "help.run": (
        "执行正向传播、反向传播和参数更新，并列出每一步。\n\n"
        "示例：bptutor run scenarios/two_two_two.yaml --steps 3 --lang zh"
    ),
    "help.run.short": "执行正向传播、反向传播和参数更新，并列出每一步。",
    "help.name": "一个参数（w5、b1），或一个中间量（out_h1、in_o2、E_total、δ_h1）。",
    "help.explain_scenario": "场景文件或内置场景的名字。",
    "help.explain": (
        "像教科书一样推导一个梯度：链式法则、每个因子、代入数值、参数更新。\n\n"
        "示例：bptutor explain w1 --scenario scenarios/two_two_two.yaml --lang zh"
    ),
    "help.explain.short": "像教科书一样推导一个梯度。",
    "help.files": "要检查的场景文件。",
    "help.validate": (
        "检查场景文件：对每个文件显示“通过检查”或它的第一个问题；有文件出错时退出码为 {exit_bad_scenario}。\n\n"
        "示例：bptutor validate scenarios/*.yaml --lang zh"
    ),
    "help.validate.short": "检查场景文件：显示“通过检查”或第一个问题。",
    "help.list": (
        "列出内置场景；凡是要求场景的地方都可以直接写它们的名字。\n\n"
        "示例：bptutor list --lang zh"
    ),
    "help.list.short": "列出内置场景。",

    # ── help and usage errors around our text (the words click itself prints) ────
    "click.usage": "用法：",
    "click.heading": "{heading}：",
    "click.heading.Options": "选项",
    "click.heading.Arguments": "位置参数",
    "click.heading.Commands": "命令",
    "click.options_metavar": "[选项]",
    "click.subcommand_metavar": "命令 [参数]...",
    "click.help_option": "显示本帮助并退出。",
    "click.default": "默认：{value}",
    "click.required": "必填",
    "click.try_help": "用 '{command} {option}' 查看帮助。",
    "click.error": "错误：{message}",
    "click.missing_argument": "缺少位置参数 {name}。",
    "click.missing_option": "缺少选项 {name}。",
    "click.no_such_option": "没有选项 {name}",
    "click.did_you_mean": "（是不是想用 {names}？）",
    "click.needs_value": "选项 {name} 需要一个值。",
    "click.invalid_value": "{name} 的值无效：{detail}",
    "click.expected_range": "应为 {low} 到 {high} 之间的整数",
    "click.expected_at_least": "应为不小于 {low} 的整数",
    "click.expected_choice": "应为 {choices} 之一",
    "click.no_such_command": "没有命令 {name}。",
    "click.missing_command": "缺少命令。",
    "click.extra_arguments": "多余的参数（{arguments}）",
    "click.other": "命令行用法有误：{message}",

    # ── scenario files: reading (loader.py) ──────────────────────────────────────
    "scenario.text_too_large": "这个场景太大（一个场景最多 1 MiB）",
    "scenario.top_not_dict": "顶层应为映射（dict），实际是 {type}",
    "scenario.no_such_file": "场景文件不存在",
    "scenario.cannot_read": "无法读取这个文件：{reason}",
    "scenario.is_directory": "这是一个目录，不是场景文件",
    "scenario.not_regular_file": "这不是普通文件",
    "scenario.file_too_large_bytes": "文件太大（{size} 字节；最多 1 MiB）",
    "scenario.file_too_large": "文件太大（最多 1 MiB）",
    "scenario.not_utf8": "这不是 UTF-8 文本（字节 0x{byte}）",
    "scenario.anchors": "不允许使用锚点和别名（&name、*name）：请把每个值直接写出",
    "scenario.tags": "不允许使用标签（如 !!str 或 !name）；这里有 {tag}",
    "scenario.too_deep": "嵌套太深（最多 {depth} 层）",
    "scenario.invalid_yaml": "这不是有效的 YAML：{detail}",
    "scenario.bad_escape": "引号内的转义序列不对应任何字符：最大为 \\U0010FFFF",
    "scenario.unknown_yaml_problem": "未知问题",
    "scenario.bad_character": "这不是有效的 YAML：不允许出现字符 U+{code}（{reason}）",
    "scenario.key_not_plain": "键必须是简单的名字，不能是列表或映射",
    "scenario.duplicate_key": "重复的键 {key}（第一次出现在第 {line} 行）",
    "scenario.key_not_text": "键必须是文本，实际是 {key}",
    "scenario.unsupported_type": "不支持 {type} 类型的值",

    # ── scenario files: what was found, hints ────────────────────────────────────
    "found.nothing": "空值",
    "found.mapping": "一个映射",
    "found.list": "一个列表",
    "scenario.did_you_mean": "（是不是想写 {suggestion}？）",
    "scenario.listing_more": "{names}, …（另有 {count} 个）",

    # ── scenario files: values ───────────────────────────────────────────────────
    "scenario.expected": "应为{what}，实际是 {found}",
    "scenario.unknown_key": "未知的键 {key}{hint}；可用的键：{keys}",
    "scenario.missing_key": "缺少键 {key}",
    "scenario.none_given": "至少需要一个{one}，实际一个也没有",
    "scenario.too_many": "{many}太多：{count} 个（最多 {limit} 个）",
    "scenario.bad_name": "应为由字母、数字和 _ 组成且以字母开头的名字，实际是 {found}",
    "scenario.name_too_long": "名字 {name} 太长（最多 {limit} 个字符）",
    "scenario.expected_number": "应为数字，实际是 {found}",
    "scenario.number_too_large": "数字 {found} 大得离谱（绝对值最多 1e6）",
    "scenario.expected_choice": "应为{what}：{options} 之一；实际是 {found}{hint}",
    "scenario.expected_text": "应为文本，实际是 {found}",
    "scenario.text_too_long": "文本太长（{length} 个字符；最多 {limit} 个）",
    "scenario.empty": "场景是空的；应为含有这些键的映射：{keys}",
    "scenario.control_characters": "文本中含有控制字符（换行、制表符、转义序列等）",

    # ── scenario files: what was expected where ─────────────────────────────────
    "what.mapping": "一个映射",
    "what.top_level": "场景顶层的一个映射（“键: 值”形式的各行）",
    "what.input_numbers": "从输入名到数值的映射",
    "what.parameter_numbers": "从参数名到数值的映射",
    "what.layers": "由各层组成的列表",
    "what.layer": "一层（含 name、activation 和 neurons 的映射）",
    "what.neurons": "从神经元名到神经元的映射",
    "what.neuron": "一个神经元（含 weights 和可选的 bias 的映射）",
    "what.weights": "从权重来源到参数名的映射",
    "what.targets": "从输出神经元名到数值的映射",
    "what.frozen": "由参数名组成的列表",
    "what.loss": "损失函数",
    "what.convention": "{key} 的取值",
    "what.true_or_false": "true 或 false",
    "what.rounding": "从数值种类到小数位数的映射",
    "what.decimals": "0 到 {most} 之间的整数位小数",
    "what.rounding_method": "舍入方法",
    "what.activation": "激活函数",
    "what.notation_preset": "记号预设",
    "count.input": "输入",
    "count.inputs": "输入",
    "count.parameter": "参数",
    "count.parameters": "参数",
    "count.layer": "层",
    "count.layers": "层",
    "count.neuron": "神经元",
    "count.neurons_in_layer": "一层中的神经元",

    # ── scenario files: the network ──────────────────────────────────────────────
    "scenario.input_is_parameter": "{name} 既是输入名又是参数名；请改掉其中一个",
    "owner.input": "一个输入",
    "owner.parameter": "一个参数",
    "owner.neuron": "层 {layer} 的一个神经元",
    "scenario.not_an_input": (
        "{neuron} 从 {source} 取权重，但 {source} 不是输入{hint}；"
        "第一层 {layer} 的神经元只能从输入取权重：{names}"
    ),
    "scenario.not_previous_layer": (
        "{neuron} 从 {source} 取权重，但 {source} 不是上一层 {previous} 的神经元{hint}；"
        "层 {layer} 的神经元只能从这些神经元取权重：{names}"
    ),
    "scenario.layer_name_used": "层名 {name} 已被 {path} 使用",
    "scenario.name_taken": "{name} 已经是{owner}的名字；名字必须唯一",
    "scenario.slope_not_leaky": "只有 leaky_relu 层才用 slope；这一层的激活函数是 {activation}",
    "scenario.needs_weight": "神经元 {neuron} 至少需要一个权重",
    "role.bias": "它的偏置",
    "role.weight": "来自 {source} 的权重",
    "scenario.parameter_without_value": "神经元 {neuron} 用到的参数 {name} 在 `parameters` 中没有取值{hint}",
    "scenario.parameter_used_twice": (
        "参数 {name} 被神经元 {neuron} 用了两次（{first}和{second}）；"
        "一个神经元的每个权重和偏置都要有各自的参数"
    ),
    "scenario.parameter_unused": "参数 {name} 给了值，但没有任何权重或偏置用到它",
    "scenario.targets_not_outputs": (
        "目标必须恰好对应输出层 {layer} 的神经元（{outputs}）；"
        "这些不是输出神经元：{extra}{hint}{missing}"
    ),
    "scenario.targets_also_missing": "；缺少：{names}",
    "scenario.missing_targets": "缺少输出神经元 {names} 的目标；目标必须恰好对应输出层 {layer} 的神经元",

    # ── scenario files: learning rates, frozen, notation ─────────────────────────
    "scenario.missing_default_rate": "缺少键 'default'（没有单独列出的参数所用的学习率）",
    "scenario.rate_key_ambiguous": "{key} 既是层名又是参数名；请改掉其中一个，免得这个学习率有歧义",
    "scenario.rate_key_unknown": "{key} 既不是层也不是参数{hint}；应为 'default'、层名（{layers}）或参数名",
    "scenario.expected_rate": "应为学习率（一个数，或含 'default' 的映射），实际是 {found}",
    "scenario.rate_not_positive": "学习率必须大于 0，实际是 {found}",
    "scenario.rate_too_large": "学习率最多为 100，实际是 {found}",
    "scenario.not_a_parameter": "{name} 不是参数{hint}",
    "scenario.frozen_twice": "{name} 在 frozen 中列出了两次",
    "scenario.expected_notation": "应为记号预设（{presets}）或名字的映射，实际是 {found}",
    "scenario.expected_template": "应为名字模板（如 'z_{{n}}'），实际是 {found}",
    "scenario.name_has_spaces": "名字中不能有空格或控制字符，实际是 {text}",
    "scenario.template_braces": "模板中只能出现 {{n}}（神经元的名字），不能有其他花括号，实际是 {text}",
    "scenario.loss_name_braces": "损失函数的名字不是模板，不能含花括号，实际是 {text}",
    "scenario.shown_name_too_long": "名字 {name}（{meaning}）太长（最多 {limit} 个字符）",
    "scenario.name_clash": "名字 {name} 会同时表示{first}和{second}；请改掉其中一个，或用 `notation` 换一套名字",
    "meaning.input": "输入 {name}",
    "meaning.parameter": "参数 {name}",
    "meaning.loss": "损失函数",
    "meaning.pre_activation": "{neuron} 的加权输入",
    "meaning.activation": "{neuron} 的激活值",
    "meaning.delta": "{neuron} 的误差项",
    "meaning.loss_term": "{neuron} 的损失项",
    "meaning.target": "{neuron} 的目标",

    # ── scenario checks made when the graph is built (graph.py) ──────────────────
    "scenario.shared_rates_differ": (
        "参数 '{name}' 被学习率不同的几层共用（{layers}）；请在 learning_rate 下单独给它一项"
    ),
    "scenario.name_two_kinds": (
        "名字 '{name}' 在这里同时表示两样东西（{first}和{second}）；请改掉其中一个，或换一种记号"
    ),
    "scenario.name_used_twice": "在这种记号下名字 '{name}' 用了两次；请改掉其中一个，或换一种记号",
    # ── bptutor solve: worked-solution handouts ──────────────────────────────────
    "solve.variant.full": "详细解答",
    "solve.variant.answers": "答案",
    "solve.variant.worksheet": "练习：请在空白处填上数值",
    "solve.batch_problem_one": "对一个样本做第 {step} 步训练，优化器为 {optimizer}：先做正向传播和反向传播，再更新参数。",
    "solve.batch_problem_mean": (
        "对 {count} 个样本组成的批次做第 {step} 步训练，优化器为 {optimizer}：每个样本像单个样本一样做正向传播和反向传播，"
        "再求批量梯度，即各样本 ∂{loss}/∂p 的平均值（它们之和乘以 1/{count}），最后更新参数。"
    ),
    "solve.batch_problem_sum": (
        "对 {count} 个样本组成的批次做第 {step} 步训练，优化器为 {optimizer}：每个样本像单个样本一样做正向传播和反向传播，"
        "再求批量梯度，即各样本 ∂{loss}/∂p 之和，最后更新参数。"
    ),
    "solve.column.sample": "样本",
    "solve.state_before": "这一步之前的状态：",
    "solve.heading.problem": "题目",
    "solve.problem": (
        "一个 {shape} 的网络。计算正向传播、损失 {loss}、用链式法则求出每个梯度，"
        "以及梯度下降一步之后的参数。"
    ),
    "solve.figure": "网络结构，每个权重和偏置都标出了名字和数值。",
    "solve.figure_left_out": "（此处略去网络图：它用 TikZ 绘制，而本文档未必载入 TikZ。Solution.to_latex()、to_html() 和 to_markdown() 中都有这幅图。）",
    "solve.given.activation": "激活函数（{layer} 层）",
    "solve.given.rate_for": "：{names}",
    "solve.given.textbook_update": "，参数更新为 p′ = p + η·Err·输入",
    "solve.given.threshold": "阈值 θ，从加权和中减去",
    "solve.heading.loss": "损失",
    "solve.heading.backward": "反向传播",
    "solve.bp_intro": "反向传播的四个公式，{delta} 是神经元 {j} 的误差项，{k} 是上一层的神经元，{i} 是下一层的神经元：",
    "solve.bp_label": "（BP{number}）",
    "solve.jacobian_delta": "对雅可比矩阵的这一列求和：",
    "solve.softmax_rule": "softmax 输出依赖本层所有的 z，所以 (BP1) 变为对各输出求和，其中雅可比矩阵为 {jacobian}（i = j 时 δ_ij 为 1，否则为 0）：",
    "solve.fused_rule.softmax": "softmax 输出配合交叉熵时，(BP1) 是对各输出求和，雅可比矩阵为 {jacobian}；由于 {gradient} 且目标值之和为 1，softmax 的导数相消：",
    "solve.fused_rule.sigmoid": "sigmoid 输出配合二元交叉熵时，(BP1) 中 σ′ = a·(1 − a) 与 {gradient} 的分母相消（有 n 个输出时均值再除以 n）：",
    "solve.backward_intro": "从输出层往回算：先推导每个链式法则因子，再代入数值。",
    "solve.paths": "对 {count} 条路径求和：",
    "solve.heading.update": "参数更新",
    "solve.heading.summary": "汇总",
    "solve.column.old": "原值",
    "solve.answers_intro": "详细解答中每一步的最终数值。",
    "solve.wrote": "已写入 {file}",
    "solve.bad_detail": "--detail 只能是 {choices} 之一，不能是 '{detail}'",
    "solve.unknown_parameter": "--derive：'{name}' 不是这个网络的参数{hint}",
    "solve.forward_rest": "{layer} 层其余神经元的计算方法相同：",
    "solve.forward_all": "{layer} 层的神经元：",
    "solve.backward_rest": "{layer} 层其余的导数用同样的公式计算：",
    "solve.backward_all": "{layer} 层的导数，由 BP 公式得到：",
    "solve.update_rule": "每个参数 p 都按同一规则更新：",
    "solve.column.formula": "公式",
    "solve.column.rule": "依据",
    "help.solve": (
        "把完整的解答写成讲义：带网络图的题目、正向传播、损失、每个链式法则因子、参数更新和汇总表。\n\n"
        "示例：bptutor solve two_two_two --format html -o solution.html --lang zh"
    ),
    "help.solve.short": "把解答写成 Markdown、LaTeX、HTML 或 PDF 讲义。",
    "help.solve_format": (
        "md：带 $…$ 公式的 Markdown；tex：LaTeX；html：带 MathML 公式的单个网页；pdf：用 Chromium 把 HTML 打印成 PDF。"
    ),
    "help.output": "写入文件 FILE，而不是标准输出（PDF 不指定时写入 场景名.pdf）。",
    "help.detail": "standard：每层完整推导一个参数，其余列表；full：推导每个参数；brief：只给答案和基本公式。",
    "help.derive": "要完整推导的参数，用逗号分隔（例如 w5,w1）；其余列在表中。",
    "help.answers_only": "只列出每一步的最终数值（答案）。",
    "help.worksheet": "同样的文档，但计算出的数值处留空，供学生填写。",
    "help.step": "手算训练的第 K 步（从 1 开始）：已知量是训练 K − 1 步之后的参数和优化器状态，批次是第 K 步的批次。",
    "help.solve_steps": "完整写出第一步，再列出 N 步中每一步的损失。",
    "api.no_scenario": "没有这个文件，也没有叫这个名字的内置场景（内置场景：{names}）",
    "api.bad_form": "form 只能是 'scalar'（默认：逐个神经元）或 'matrix'（整层的四个 BP 方程的矩阵形式），而不是 {form}",
    "usage.answers_and_worksheet": "--answers-only 和 --worksheet 不能同时使用",

    # ── handout figure and PDF ───────────────────────────────────────────────────
    "figure.title": "{scenario} 的网络结构",
    "figure.inputs": "输入",
    "figure.layer": "{layer} 层（{activation}）",
    "figure.legend": "箭头上标出权重；灰色方框是偏置；输出旁边是目标值。",
    "figure.legend_unlabelled": "灰色方框是偏置；输出旁边是目标值；权重太多，图中不逐一标出，见已知条件。",
    "pdf.no_chromium": (
        "输出 PDF 需要 Chromium：请安装 Debian 软件包 chromium"
        "（apt-get install chromium fonts-noto-cjk），或设置 BPTUTOR_CHROMIUM"
    ),
    "pdf.bad_chromium_variable": "BPTUTOR_CHROMIUM 的值是 {path}，它不是可以运行的程序。{advice}",
    "pdf.chromium_failed": "Chromium 没能把页面打印成 PDF（退出状态 {status}）：{stderr}",
    "pdf.chromium_timeout": "Chromium 在 {seconds} 秒内没有把页面打印成 PDF",
    "pdf.not_written": "Chromium 已结束，但没有把 PDF 写到 {path}：{stderr}",

    # ── bptutor check and quiz ──────────────────────────────────────────────────
    "help.check": (
        "对照场景检查给出的数值（学生的或教科书的）：按书写的精度逐个判断，按计算顺序列出，前面算错时沿用学生自己的数"
        "（错误传递），并诊断常见错误。所有给出的数都对时退出码为 {exit_ok}，有错时为 {exit_wrong}。\n\n"
        "给出多个答案文件、一个文件夹，或用 --format csv、--scheme、--points 时批改全班：每个学生一行并给出得分，"
        "然后列出全班最常见的错误。每个文件都批改了（无论对错）时退出码为 {exit_ok}，有文件无法读取时为 "
        "{exit_bad_scenario}（该行写明原因）。\n\n"
        "示例：bptutor check two_two_two scenarios/answers/two_two_two_published.yaml --lang zh\n\n"
        "示例：bptutor check two_two_two scenarios/answers/class --format csv > grades.csv"
    ),
    "help.check.short": "对照场景检查给出的数值，并诊断错误。",
    "help.tolerance": "与正确值相差不超过此值时也算对：绝对误差（1e-4）或相对误差（0.1%）。",
    "help.template": "打印 SCENARIO 的空白答案文件（按顺序列出每个名字），而不检查答案。",
    "help.no_diagnosis": "只判断对错，不诊断错误。",
    "cli.check_needs_answers": "check 需要 ANSWERS.yaml，或用 --template 打印一份空白的",
    "cli.bad_tolerance": "--tolerance：应为数字（1e-4）或百分数（0.1%），实际是 '{value}'",
    "help.quiz": (
        "逐个询问例题解答中的每一个数：正向传播、链式法则的每个因子、参数更新。按输入的精度判断；答错时给出提示，"
        "能诊断时说明错在哪里；答对或看答案后用一行说明公式为什么成立。输入 ? 看提示，r 看答案，s 跳过，g 看已知量，"
        "q 退出。也可以从管道输入答案。\n\n"
        "示例：bptutor quiz two_two_two --section forward --lang zh"
    ),
    "help.quiz.short": "测验：逐个填写例题解答中的数，附提示和错误诊断。",
    "help.section": "只问这一部分：forward（正向传播）、backward（反向传播）或 update（参数更新）。",
    "help.quiz_scenario": "场景文件或内置场景名（用 --fresh 时不给）。",
    "help.fresh": "改为用这个种子新生成一道 2-2-2 练习来测验（与 bptutor generate --seed SEED 的练习 1 相同）。",
    "help.order": "keep：按例题解答的顺序问；shuffle：在每一部分内按带种子的随机顺序问，每个数都在它用到的数之后。",
    "help.quiz_seed": "--order shuffle 的种子（默认：--fresh 的种子，否则随机取一个并显示）。",
    "answers.no_such_file": "答案文件不存在",
    "answers.cannot_read": "无法读取这个文件：{reason}",
    "answers.not_a_file": "这不是普通文件",
    "answers.too_large": "答案文件超过 {limit} 字节",
    "answers.empty": "答案文件是空的；应为从量的名字到数值的映射，例如 out_h1: 0.6457",
    "answers.not_mapping": "应为从量的名字到数值的映射（out_h1: 0.6457），实际是 {found}",
    "answers.too_many": "数值太多（最多 {limit} 个）",
    "answers.given_twice": "{name} 给了两次（第一次写作 {first}，在第 {line} 行）；同一个量的几个数值请写成列表",
    "answers.not_a_number": "应为十进制数（0.6457、-0.02、1e-3）或由它们组成的列表，实际是 {found}",
    "answers.list_size": "数值列表应有 1 到 {limit} 个数",
    "answers.given_quantity": "{name} 是场景中给定的量，不是算出来的；更新后的新值写作 {updated}",
    "answers.at_line": "第 {line} 行：{problem}",
    "answers.unknown_quantity": "未知的量 {name}{hint}",
    "answers.joined": "{first}；{rest}",
    "answers.only_unknown": "文件中没有一个名字是本场景的量（共 {count} 个）：{problems}；可用的名字与 `bptutor run` 中的相同：{names}",
    "template.title": "{title}（{scenario}）：你的答案",
    "template.how": "每个值按你计算时保留的小数位数填写，没算的留空",
    "template.check": "检查：{command}",
    "template.forward": "前向传播",
    "template.loss": "损失",
    "template.backward": "反向传播：每个神经元 j 的 ∂{loss}/∂{act}、∂{act}/∂{pre} 和 δ_j，然后是各梯度",
    "template.sample": "批次中的第 {number} 个样本，共 {count} 个（第 {index} 个样本：{givens}）；它的量名以 [{number}] 结尾",
    "template.batch_one": "整个批次：只有一个样本，损失和梯度就是这个样本的",
    "template.batch_mean": "整个批次：损失和梯度取 {count} 个样本的平均值（它们之和乘以 1/{count}）",
    "template.batch_sum": "整个批次：损失和梯度取 {count} 个样本之和",
    "template.step": "训练第 {step} 步（第 {epoch} 轮）：已知量是这一步之前的参数和优化器状态",
    "template.update_state": "参数更新（{optimizer}）：先写这一步之后的优化器状态，再写各参数",
    "template.update": "参数更新：一步之后的各参数",
    "check.title": "{title}（{scenario}）",
    "check.answers": "检查的数值：{answers}",
    "check.header.quantity": "量",
    "check.header.claimed": "给出的值",
    "check.header.correct": "正确值",
    "check.header.verdict": "判断",
    "check.verdict.right": "对",
    "check.verdict.consistent": "与你的 {names} 一致",
    "check.verdict.wrong": "错",
    "check.verdict.missing": "未给出",
    "check.name_separator": "、",
    "check.summary": "对 {right} 个，与你前面的数一致 {consistent} 个，错 {wrong} 个，未给出 {missing} 个。",
    "check.all_right": "给出的数全部正确。",
    "check.first_wrong": "第一个错误：{name} = {claimed}（正确值：{correct}）。",
    "check.wrong_value": "{name} = {claimed} 是错的；正确值是 {correct}。",
    "check.wrong_from_yours": (
        "{name} = {claimed} 是错的，用你自己的 {names} 算也不对：应得 {value}；正确值是 {correct}。"
    ),
    "check.explained_by": "原因：{diagnosis}",
    "check.explained_by_truncated": "原因：{diagnosis}（并且最后一位是截断的，不是四舍五入）",
    "check.unknown": "未评分（这些名字不对应任何量；可用的名字与 `bptutor run` 中的相同）：",
    "check.warnings": "提醒：",
    "check.warning.zeroed": "保留 {decimals} 位小数时 {names} 都成了 0，而它们本来都不是 0：梯度丢失了，更新不起作用；请多保留几位小数",
    "check.warning.unchanged": "保留 {decimals} 位小数时 {names} 都等于初始值：更新量小于所写的最后一位；请多保留几位小数",
    "check.no_diagnosis": "常见错误都解释不了这个数。",
    "check.corrected": "正确的算法：",
    "check.corrected_from_yours": "正确的算法（用你自己前面的数）：",
    # ── bptutor check 批改全班：成绩册 ──────────────────────────────────────────
    "gradebook.heading": "共 {count} 份作业，评分规则：{scheme}",
    "gradebook.scheme": "{points}；承接前错的值得 {carried}%",
    "gradebook.points": "{kind} {points} 分",
    "gradebook.kind.forward": "正向",
    "gradebook.kind.loss": "损失",
    "gradebook.kind.deltas": "误差项",
    "gradebook.kind.gradients": "梯度",
    "gradebook.kind.updates": "更新",
    "gradebook.header.student": "学生",
    "gradebook.header.right": "对",
    "gradebook.header.carried": "承接",
    "gradebook.header.wrong": "错",
    "gradebook.header.missing": "未填",
    "gradebook.header.marks": "得分",
    "gradebook.header.first_wrong": "第一个错误的值",
    "gradebook.progress": "批改中",
    "gradebook.unread": "无法读取（见下）",
    "gradebook.mistakes": "最常见的错误（人数）：",
    "gradebook.mistake": "{count}  {diagnosis}：{students}",
    "gradebook.most_wrong": "最常算错的量（人数）：",
    "gradebook.quantity_count": "{name}（{count}）",
    "gradebook.notes": "备注（未批改的名字、警告）：",
    "gradebook.not_read": "无法读取：",
    "gradebook.diagnosis": "{name}：{diagnosis}",
    "gradebook.diagnosis_separator": "；",
    "gradebook.no_answers_files": "{folder}：此文件夹中没有答案文件（*.yaml、*.yml）",
    "gradebook.too_many": "共 {count} 个答案文件；一次最多 {limit} 个",
    "gradebook.bad_points": (
        "--points {value}：应为逗号分隔的 类别=分数，类别为 {kinds} 之一（0 到 1000 分）"
        "或 carried（0 到 1），例如 forward=1,gradients=2,carried=0.5"
    ),
    "gradebook.one_file_only": "--template 不能与答案文件同用",
    "help.answers_many": (
        "答案文件（YAML，按量的名字给出数值，例如 {{out_h1: 0.6457}}），或存放答案文件的文件夹："
        "一个文件时完整检查；多个文件或文件夹时生成全班成绩册。"
    ),
    "help.check_format": (
        "rich：给人看的表格；json：给程序读的一个 JSON 对象；csv：全班成绩册，"
        "每个学生一行（带 BOM 的 UTF-8，供电子表格打开）。"
    ),
    "help.scheme": "评分规则 YAML 文件：每类量的分值，以及承接前错的值所得的比例。",
    "help.points": (
        "修改评分规则中的分值，例如 gradients=2,carried=0.5。类别：forward、loss、deltas、gradients、updates"
        "（默认各 1 分），以及 carried，即承接前错的值所得的比例（默认 1）。"
    ),
    "scheme.no_such_file": "评分规则文件不存在",
    "scheme.cannot_read": "无法读取评分规则文件：{reason}",
    "scheme.not_a_file": "评分规则不是普通文件",
    "scheme.not_mapping": "评分规则应为含 points: 和 carried: 的映射，实际为 {found}",
    "scheme.points_not_mapping": "points: 应为从量的类别到分值的映射，实际为 {found}",
    "scheme.unknown_kind": "未知的量的类别 {kind}{hint}；类别有 {kinds}",
    "scheme.unknown_key": "未知的键 {key}{hint}；评分规则只有 points: 和 carried:",
    "scheme.bad_amount": "应为 0 到 {most} 之间的数，实际为 {found}",
    "diagnosis.wrong_bias": "把 {used} 当成了 {neuron} 的偏置（{neuron} 自己的偏置是 {bias}）",
    "diagnosis.shared_bias": "{layer} 层所有神经元都用了同一个偏置 {bias}（其实每个神经元各有自己的偏置：{biases}）",
    "diagnosis.no_bias": "漏掉了 {neuron} 的偏置 {bias}",
    "diagnosis.half_dropped": "损失函数漏掉了 ½：用了 (t − o)² 而不是 ½(t − o)²，于是 ∂E/∂out = −2(t − o)",
    "diagnosis.half_kept": "给本来没有 ½ 的损失函数加了 ½：用了 ½(t − o)² 而不是 (t − o)²",
    "diagnosis.softmax_diagonal": "只用了 softmax 雅可比矩阵的对角线：δ_j = ∂{loss}/∂a_j·a_j·(1 − a_j)，好像每个输出只依赖自己的 z；漏掉了其他输出的项 ∂{loss}/∂a_i·(−a_i·a_j)",
    "diagnosis.softmax_skipped": "漏掉了 softmax：把原始得分 {pre} 当成了概率 {out}",
    "diagnosis.log10": "损失中的自然对数 ln 用成了 log10（每一项都小了 ln 10 ≈ 2.303 倍）",
    "quiz.why.delta_fused.softmax": "原因：softmax 配合交叉熵时，Σ_i ∂E/∂a_i·∂a_i/∂z_j = Σ_i (−y_i/a_i)·a_i·(δ_ij − a_j) = a_j − y_j，softmax 的导数相消。",
    "quiz.why.delta_fused.sigmoid": "原因：σ 配合二元交叉熵时，∂E/∂a = (a − y)/(a·(1 − a)) 与 σ′ = a·(1 − a) 相消：δ = a − y。",
    "quiz.why.delta_jacobian.softmax": "原因：softmax 输出依赖本层所有的 z，所以 δ_j = Σ_i ∂E/∂a_i·∂a_i/∂z_j，对雅可比矩阵的一列求和。",
    "quiz.why.jacobian": "原因：softmax 的雅可比矩阵为 ∂a_i/∂z_j = a_i·(δ_ij − a_j)：对角线上是 a_i·(1 − a_i)，其余是 −a_i·a_j。",
    "diagnosis.no_derivative": "漏掉了 {symbol}：把 ∂{out}/∂{pre} 当成了 1",
    "diagnosis.no_derivative_everywhere": "每个误差项都漏掉了 {symbol}：每个 ∂out/∂in 都当成了 1",
    "diagnosis.derivative_as_activation": "把 {symbol} 写成了 {function}：把 ∂{out}/∂{pre} 当成了 {out} 本身",
    "diagnosis.derivative_as_activation_everywhere": (
        "每个误差项都把 {symbol} 写成了 {function}：每个 ∂out/∂in 都当成了 out"
    ),
    "diagnosis.error_sign": "(t − o) 的符号反了：输出误差写成了 (t − o)，应为 −(t − o)",
    "diagnosis.in_for_out": "在 {step} 中用了 {used}，应该用 {instead}",
    "diagnosis.out_for_in": "在 {step} 中用了 {used}，应该用 {instead}",
    "diagnosis.updated_weights": "计算隐含层误差项时用了已经更新过的权重（w′），应该用这一步更新前的权重",
    "diagnosis.original_weights": "计算隐含层误差项时用了更新前的权重，而本场景规定用已经更新过的权重",
    "diagnosis.learning_rate": "{parameter} 用了另一层的学习率 η = {rate}（它自己的是 η = {own}）",
    "diagnosis.no_mean": "漏掉了 1/{count}：批量梯度是 {count} 个样本梯度的平均值，却写成了它们的和",
    "diagnosis.mean_for_sum": "批量梯度是 {count} 个样本梯度之和（reduction: sum），却写成了它们的平均值",
    "diagnosis.one_sample": "只用了第 {number} 个样本的梯度当作批量梯度，批量梯度应综合全部 {count} 个样本",
    "diagnosis.update_sign": "更新方向反了：用了 p + η·∂E/∂p，应为 p − η·∂E/∂p",
    "diagnosis.slope_not_multiplied": "{slope} 写出来了却没有乘上：把 {delta} 当成了 {upstream} 本身",
    "diagnosis.one_path": "只加了传到 {neuron} 的部分误差：{step} 漏掉了经过 {consumer} 的那一项（{delta}·{weight}）",
    "diagnosis.exchanged": "{first} 和 {second} 弄反了：各自按对方的公式算了",
    "diagnosis.swapped_weights": "{first} 和 {second} 用反了（连线看错了）",
    "diagnosis.early_rounding": "计算 {step} 之前先把用到的数舍入到了 {decimals} 位小数",
    "diagnosis.rounding_slip": "最后一位舍入错了：保留 {digits} 位小数应为 {value}",
    "diagnosis.rounding_truncated": "截断了而没有四舍五入：保留 {digits} 位小数应为 {value}",
    "diagnosis.typo_sign": "笔误：符号写错了；应为 {value}",
    "diagnosis.typo_transposed": "笔误：数字 {pair} 写颠倒了；应为 {value}",
    "diagnosis.typo_digit": "笔误：把 {digit} 写成了 {wrote}；应为 {value}",
    "diagnosis.typo_dropped": "笔误：{value} 漏写了一位数字",
    "diagnosis.typo_extra": "笔误：多写了一位数字；应为 {value}",
    "diagnosis.typo_point": "笔误：小数点位置错了；应为 {value}",
    "quiz.title": "测验：{title}（{scenario}；共 {count} 个数）",
    "quiz.instructions": (
        "按你想要的精度输入每个数（0.65 或 0.6456563062）。"
        "输入 ? 或“提示”看提示，r 或“答案”看答案，s 或“跳过”跳过，g 或“已知”看已知量，q 或“退出”退出。"
    ),
    "quiz.state_before": "第 {step} 步之前的优化器状态：{values}",
    "quiz.section.forward": "正向传播",
    "quiz.section.backward": "反向传播",
    "quiz.section.update": "参数更新",
    "quiz.right": "对",
    "quiz.wrong": "保留 {decimals} 位小数时不对",
    "quiz.diagnosis": "看起来是：{diagnosis}",
    "quiz.hint": "提示：{working}",
    "quiz.no_more_hints": "提示已经全部给出；再试一次，或输入 r 看答案。",
    "quiz.revealed": "{working}",
    "quiz.skipped": "已跳过",
    "quiz.not_understood": "请输入一个数（0.6457），或 ? 看提示、r 看答案、s 跳过、g 看已知量、q 退出。",
    "quiz.summary": "小结",
    "quiz.score": "得分：{asked} 个中第一次就答对 {first} 个。",
    "quiz.counts": "提示或重试后答对：{later}；看了答案：{revealed}；跳过：{skipped}；未问到：{left}。",
    "quiz.review": "需要复习：",
    "quiz.review.revealed": "看了答案",
    "quiz.review.skipped": "跳过",
    "quiz.review.retried": "第 {tries} 次答对（看了 {hints} 次提示）",
    "quiz.review.unanswered": "没有答对",
    "quiz.nothing_to_review": "没有需要复习的：每个数都是第一次就答对。",
    "quiz.too_long": "输入超过了 {limit} 个字符；请输入一个数，或 ? 看提示。",
    "quiz.ambiguous_comma": "{answer} 中的逗号是小数点还是千位分隔符？请用小数点写。",
    "quiz.bad_fresh": "--fresh 需要一个种子，即 0 到 999999999999999999 之间的整数，而不是 “{value}”",
    "quiz.bad_seed": "--seed 需要 0 到 999999999999999999 之间的整数，而不是 “{value}”",
    "quiz.bad_order": "--order 只能是 keep 或 shuffle，而不是 “{value}”",
    "quiz.no_scenario": "请给出一个场景 SCENARIO，或用 --fresh SEED 生成一道新练习",
    "quiz.fresh_and_scenario": "--fresh 会自己生成练习：请只给出场景 SCENARIO 或 --fresh SEED 之一",
    "quiz.shuffled": "每一部分内的顺序已打乱（种子 {seed}）。",
    # 每个命令的词（各语言的词在任何语言下都能用）
    "quiz.words.hint": "提示",
    "quiz.words.reveal": "答案",
    "quiz.words.skip": "跳过",
    "quiz.words.quit": "退出",
    "quiz.words.givens": "已知",
    "quiz.words.help": "帮助",
    # 每种步骤的公式为什么成立：答对或看答案后显示一行
    "quiz.why.pre_activation": "原因：神经元把收到的每个输入乘以对应的权重后相加，再加上偏置。",
    "quiz.why.activation": "原因：神经元的输出是对这个加权和作用激活函数。",
    "quiz.why.loss_term": "原因：每个输出有自己的损失项，衡量它离目标值有多远。",
    "quiz.why.loss": "原因：总损失是各输出损失项之和（mse 取平均）。",
    "quiz.why.output_gradient": "原因：只有 {neuron} 自己的损失项含有它的输出，所以这就是该损失项的导数。",
    "quiz.why.hidden_gradient": (
        "原因：{neuron} 连到 {consumers}；每条路径传回 δ × 权重，各路径相加，"
        "用的是旧权重，即正向传播时用的权重（参数更新在后面）。"
    ),
    "quiz.why.hidden_gradient_updated": (
        "原因：{neuron} 连到 {consumers}；每条路径传回 δ × 权重，各路径相加；本场景的约定用已经更新过的权重。"
    ),
    "quiz.why.slope": "原因：这是激活函数在该神经元输入处的斜率 f′(in)。",
    "quiz.why.slope.sigmoid": "原因：σ′(z) = σ(z)(1 − σ(z))，所以斜率只由输出决定：out·(1 − out)。",
    "quiz.why.slope.tanh": "原因：tanh′(z) = 1 − tanh²(z)，所以斜率只由输出决定：1 − out²。",
    "quiz.why.slope.relu": "原因：ReLU 在 z > 0 时等于 z，否则为 0，所以斜率在 z > 0 时为 1，否则为 0。",
    "quiz.why.slope.leaky_relu": "原因：leaky ReLU 在 z > 0 时等于 z，否则为 α·z，所以斜率为 1 或 α。",
    "quiz.why.slope.linear": "原因：线性神经元的输出就是它的输入，所以斜率为 1。",
    "quiz.why.delta": "原因：链式法则：损失只通过 {neuron} 的输出依赖它的输入，所以 δ = ∂E/∂out · ∂out/∂in。",
    "quiz.why.delta_textbook": "原因：链式法则 ∂E/∂in = ∂E/∂out · ∂out/∂in；本场景的误差项取相反的符号。",
    "quiz.why.gradient": "原因：{parameter} 只通过它所在的加权和影响损失：δ × 它所乘的量（偏置为 1），每用到一次加一项。",
    "quiz.why.new_parameter": "原因：梯度下降沿梯度的反方向走一步，p′ = p − η·∂E/∂p，使损失减小。",
    "quiz.why.batch_loss": "原因：批次的损失是各样本损失的平均值（或按场景的设定取它们之和）。",
    "quiz.why.batch_gradient": (
        "原因：批次的损失是各样本损失的平均值（或和），所以它的梯度是各样本梯度的平均值（或和）："
        "取平均时先求和，再乘以 1/m。"
    ),
    "quiz.why.decayed": "原因：权重衰减在梯度上加 λ·p（即 ½λ·p² 的梯度），所以 g = ∂E/∂p + λ·p。",
    "quiz.why.velocity": "原因：动量法保存一个速度 v′ = β·v + g，参数沿 η·v′ 移动。",
    "quiz.why.first_moment": "原因：Adam 的一阶矩是梯度的滑动平均：m′ = β1·m + (1 − β1)·g。",
    "quiz.why.second_moment": "原因：Adam 的二阶矩是梯度平方的滑动平均：s′ = β2·s + (1 − β2)·g²。",
    "quiz.why.corrected": "原因：两个矩都从 0 开始，所以 Adam 除以 1 − β^t（t 为步数）来修正最初几步的偏差。",
    "quiz.why.new_parameter_momentum": "原因：使用动量时，参数按 η 乘以速度移动：p′ = p − η·v′。",
    "quiz.why.new_parameter_adam": "原因：Adam 按 η·m̂/(√ŝ + ε) 移动参数，即平均梯度除以它的典型大小。",
    "quiz.why.frozen": "原因：{parameter} 在这里是冻结的：计算它的梯度，但它保持原值。",

    # ── bptutor generate ─────────────────────────────────────────────────────────
    "generate.loss_needs_output": "{loss} 损失需要 --output-activation {activation}",
    "generate.loss_exact": "{loss} 练习按全精度计算（损失由 logits 直接算出，手算逐步舍入时不这样做）：请加 --exact",
    "generate.softmax_outputs": "softmax 输出层至少需要 2 个神经元，而形状 {shape} 只有 1 个（只有一个输出时请用 sigmoid 和 bce）",
    "generate.title": "练习 {number}：{shape} {activation} 网络（种子 {seed}）",
    "generate.yaml_made": "第 {number} 题，由 bptutor generate --shape {shape} --seed {seed} 生成。",
    "generate.yaml_check": "用 bptutor validate {name}.yaml 检查，用 bptutor solve {name}.yaml 求解",
    "generate.yaml_rounding": "像手算一样：每个值都四舍五入到 {decimals} 位小数写下，并按写下的数继续计算。",
    "generate.bad_shape": "--shape 应为 2 到 4 个 1 到 6 之间的数，用 '-' 连接，例如 2-2-2（收到的是 '{shape}'）",
    "generate.bad_choice": "{option}：无法识别的值 '{value}'；应为以下之一：{choices}",
    "generate.no_nice_numbers": (
        "抽取 {attempts} 次仍未给 {shape} 网络找到合适的数值（有神经元饱和或梯度趋于零）；"
        "请减少层数、换一种激活函数或增加小数位数"
    ),
    "generate.category": "bptutor {shape} 练习，种子 {seed}",
    "generate.wiring": "网络：",
    "generate.description_name": "{exercise}：题目",
    "generate.ask.output": "求 {name}，即神经元 {neuron} 的输出。",
    "generate.ask.loss": "求损失 {name}。",
    "generate.ask.gradient": "求梯度 {name}。",
    "generate.ask.update": "求 {name}，即一次参数更新后 {parameter} 的值。",
    "generate.ask.rounded": (
        "每个值都四舍五入到 {decimals} 位小数写下，并按写下的数继续计算；答案保留 {decimals} 位小数。"
    ),
    "generate.ask.exact": "按完整精度计算，答案保留 {decimals} 位小数。",
    "generate.wrote": "已把 {count} 道练习写入 {directory}",
    "generate.wrote_bank": "{file}：{questions} 道题",
    "generate.bank_comment": "{count} 道练习共 {questions} 道题（bptutor generate，结构 {shape}，种子 {seed}）",
    "help.generate": (
        "生成可以发给学生的练习：按种子随机抽取数值合适的小网络，每道题写成场景文件，附详细解答和答案，"
        "并可把每个要求计算的量写成 Moodle XML 或 GIFT 题库。\n\n"
        "示例：bptutor generate --shape 2-2-2 --count 20 --seed 1 --format md,moodle -o exercises --lang zh"
    ),
    "help.generate.short": "生成练习题，附详细解答、答案和 Moodle 题库。",
    "help.shape": "从输入到输出每层的神经元个数：2 到 4 个 1 到 6 之间的数，例如 2-2-2 或 3-2-2-1。",
    "help.count": "练习的数量（1 到 200）。",
    "help.seed": "随机数种子：相同的种子生成相同的练习。",
    "help.activation": "隐含层的激活函数。",
    "help.output_activation": "输出层的激活函数。",
    "help.loss": "损失函数：half_sse、sse 或 mse。",
    "help.decimals": "像手算一样，每个值写下时保留的小数位数；答案也按这个精度要求。",
    "help.exact": "按完整精度计算，不逐步舍入（答案仍保留 --decimals 位小数）。",
    "help.generate_format": (
        "要写出的内容，可重复或用逗号分隔：md、tex、html（每道题的详细解答和答案），"
        "moodle（bank.moodle.xml），gift（bank.gift.txt）。"
    ),
    "help.generate_output": "写入的文件夹；不存在时自动创建。",
    "help.rate": "学习率 η。",
    "help.ask": (
        "题库要求计算的量，用逗号分隔：outputs（输出）、loss（损失）、gradients（梯度）、updates（更新后的参数）。"
    ),

    # ── bptutor graph: the computational graph as a picture ──────────────────────
    "graphpic.title": "{scenario} 的计算图：{title}",
    "graphpic.legend": (
        "每个节点：名字 = 数值 | ∂{output}/∂名字，其下是它指向的边。\n"
        "每条边：局部导数 ∂目标/∂名字，以及 上游 × 局部 = ∂{output}/∂目标 × ∂目标/∂名字；\n"
        "一个节点各条边的这一份相加，就是它的 ∂{output}/∂名字。"
    ),
    "graphpic.dot_legend": "每个节点：名字 = 数值 | ∂{output}/∂名字；每条边 源 → 目标：局部导数 ∂目标/∂源。",
    "graphpic.column": "第 {number} 列：{contents}",
    "graphpic.separator": "；",
    "graphpic.column.inputs": "输入",
    "graphpic.column.parameters": "{layer} 层的参数",
    "graphpic.column.pre_activations": "{layer} 层的加权输入",
    "graphpic.column.activations": "{layer} 层的神经元输出（{activation}）",
    "graphpic.column.loss": "损失（{loss}）",
    "graphpic.column.gates": "第 {depth} 层的门",
    "graphpic.share": "上游 × 局部 = {product}",
    "graphpic.no_dot": (
        "SVG 和 PNG 图由 Graphviz 绘制：请安装 Debian 软件包 graphviz（apt-get install graphviz），"
        "它提供 dot 程序；不安装时可用 --format dot 输出 DOT 文本"
    ),
    "graphpic.dot_failed": "Graphviz 的 dot 没能画出这张图（退出状态 {status}）：{stderr}",
    "graphpic.dot_timeout": "Graphviz 的 dot 在 {seconds} 秒内没有画完这张图",
    "help.graph": (
        "画出计算图：每个量是一个节点，标出数值和梯度；每条边标出局部导数；按层排列。text：在终端中列出每个节点及其"
        "指向的边和 上游 × 局部；dot：Graphviz DOT；mermaid：Mermaid 流程图；svg、png：由 Graphviz 画出的图"
        "（需要 dot 程序）。\n\n"
        "示例：bptutor graph two_two_two --format png -o two_two_two.png --lang zh"
    ),
    "help.graph.short": "画出计算图，标出数值、梯度和局部导数。",
    "help.graph_format": "text：终端文本；dot：Graphviz DOT；mermaid：Mermaid 流程图；svg、png：由 Graphviz 绘制。",
    "help.graph_output": "写入文件 FILE，而不是标准输出（svg 和 png 不指定时写入 场景名.svg 或 场景名.png）。",
    "help.graph_digits": "图中数值的有效数字位数（默认 4 位，和手绘图一样）。",

    # ── expression scenarios: circuits of gates (expression.py, circuit.py, render_circuit.py) ──
    "expression.too_many_lines": "表达式程序最多 {limit} 行",
    "expression.too_long": "表达式程序超过 {limit} 个字符",
    "expression.line_too_long": "表达式的一行最多 {limit} 个字符",
    "expression.empty": "表达式为空；请写成 f = (x + y) * z 这样的一行",
    "expression.no_assignment": "每一行都应写成 名称 = 表达式，例如 f = (x + y) * z",
    "expression.bad_target": "无法定义 '{found}'：= 左边应是一个名称（字母、数字和 _，以字母开头）",
    "expression.function_as_name": "{name} 是函数名，不能用作值的名称",
    "expression.nothing": "= 后面是空的：请写出定义该值的表达式",
    "expression.syntax": "bptutor 无法读取这个表达式（请检查括号和运算符 + - * / **）",
    "expression.too_deep": "表达式的运算嵌套超过 {limit} 层",
    "expression.too_many_nodes": "表达式程序中的运算、名称和数字超过 {limit} 个",
    "expression.function_not_called": "{name} 是函数：请写成 {name}(…) 并给出参数",
    "expression.unknown_function": "未知函数 '{name}'；可用的函数有：{functions}",
    "expression.keyword_argument": "函数只接受普通参数，不接受 名称=值 的形式",
    "expression.arity": "{name} 需要 {count} 个参数，实际给了 {given} 个",
    "expression.caret": "这里 ^ 不表示乘方：x 的平方请写成 x**2",
    "expression.second_equals": "每行只能有一个 =（不允许比较运算）",
    "expression.bad_character": "表达式中不允许字符 '{character}'（请只用名称、数字、+ - * / ** 和括号）",
    "expression.name_too_long": "名称最多 {limit} 个字符",
    "expression.bad_name": "'{name}' 不是可用的名称（字母、数字和 _，以字母开头）",
    "expression.not_a_number": "这里只允许数字、名称和运算（不允许文本、True、False 或 None）",
    "expression.bad_number": "'{found}' 不是 2、0.5 或 1e-3 这样的十进制数",
    "expression.number_out_of_range": (
        "数字 {found} 超出范围：绝对值应在 1e-20 到 1e6 之间（或为 0），最多 30 位有效数字"
    ),
    "expression.exponent_not_number": "** 的指数必须是直接写出的数字，绝对值不超过 {limit}，例如 x**2",
    "expression.exponent_too_large": "** 的指数绝对值不超过 {limit}",
    "expression.syntax.attribute": "不允许访问属性（名称后面跟点号）",
    "expression.syntax.subscript": "不允许用 [ ] 取下标",
    "expression.syntax.lambda": "不允许使用 lambda",
    "expression.syntax.comparison": "不允许比较运算（is、in、<、==）；请用 max 或 min",
    "expression.syntax.logic": "不允许逻辑运算（and、or、not）",
    "expression.syntax.condition": "不允许 if … else；请用 max、min 或 relu",
    "expression.syntax.starred": "参数前不允许加 *",
    "expression.syntax.comprehension": "不允许使用 for … in",
    "expression.syntax.tuple": "这里不允许列表或多个值；每一行只计算一个值",
    "expression.syntax.text": "表达式中不允许文本",
    "expression.syntax.assignment": "不允许使用 :=",
    "expression.syntax.operator": "不允许这个运算符；可用的运算符是 + - * / 和 **",
    "expression.syntax.other": "表达式中不允许这样写",
    "expression.defined_twice": "{name} 已在表达式第 {line} 行定义过",
    "expression.used_before_defined": "{name} 在定义它的那一行之前就被使用了",
    "expression.unused_line": "{name} 被计算出来，但在计算 {output} 时没有用到",
    "expression.unknown_variable": "未知名称 '{name}'；表达式只能使用：{variables}",
    "expression.missing": "该场景给出的是网络层，而不是表达式",
    "expression.expected_line": "应为表达式程序的一行，实际是 {found}",
    "expression.expected_program": "应为 f = (x + y) * z 这样的表达式，或由这样的行组成的块，实际是 {found}",
    "expression.what.values": "表达式中名称到数值的映射，例如 {{x: -2, y: 5}}",
    "expression.what.gates": "门的显示方式",
    "expression.value_not_read": "给了 {name} 的值，但表达式没有用到它；表达式用到的是：{leaves}",
    "expression.value_missing": "表达式用到了 {name}：请在 values 中给出它的值",
    "expression.domain": "无法计算 {gate}：{reason}",
    "expression.domain.division": "除以 0",
    "expression.domain.log": "对 ≤ 0 的数取对数",
    "expression.domain.zero_power": "0 的负数次幂",
    "expression.domain.negative_power": "负数的非整数次幂",
    "expression.overflow": "{gate}（位于 {where}）超出了 float64 的范围：数值溢出",
    "expression.note.tie": "{gate} = {op}(…) 的两个参数相等：整个梯度传给第一个参数（这是一个合法的次梯度）",
    "expression.note.kink": "{gate} = {op}(0) 在 0 处不可导：局部导数取 0（这是一个合法的次梯度）",
    "expression.unknown_name": "{name} 不是该计算图中的值；可用的值有：{names}",
    "expression.layered_only": (
        "{scenario} 是表达式场景：可以用 run、explain 和 validate；solve、check 和 quiz 需要分层网络"
    ),
    "expression.no_steps": "表达式场景没有训练步骤：--steps 和 --every 不适用",
    "expr.run.title": "{title}  （{scenario}，由 {count} 个门组成的计算图）",
    "expr.given.expression": "表达式",
    "expr.given.values": "取值",
    "expr.given.gates": "门",
    "expr.gates.grouped": "合并（sigmoid 是一个门）",
    "expr.gates.fine": "拆分（sigmoid 拆成 −z、exp、+1 和 1/x 四个门）",
    "expr.heading.forward": "正向传播：每个门的值",
    "expr.heading.backward": "反向传播：每条边上 上游 × 局部 = 下游（从 {output} 往回算）",
    "expr.heading.gradients": "梯度：流入每个值的各条边之和（分叉处相加）",
    "expr.column.gate": "门",
    "expr.column.edge": "边",
    "expr.column.upstream": "上游",
    "expr.column.local": "局部导数",
    "expr.column.downstream": "下游 = 上游 × 局部",
    "expr.column.gradient": "梯度",
    "expr.column.sum": "各条边之和",
    "expr.row.output": "输出本身",
    "expr.row.fork": "{name}（分叉）",
    "expr.row.unreached": "没有流向任何门",
    "expr.explain.title": "∂{output}/∂{name}：沿从 {output} 回到 {name} 的每一条路径应用链式法则",
    "expr.explain.gates": "计算图，取 {values}：",
    "expr.explain.path": "路径 {number}：{path}",
    "expr.explain.sum": "对 {count} 条路径求和（值分叉时各路径相加）：",
    "expr.explain.one_path": "只有一条路径，所以这就是梯度：",
    "expr.explain.no_path": "{name} 不通向 {output}，所以 ∂{output}/∂{name} = 0",
    "expr.explain.itself": "{name} 就是输出：∂{name}/∂{name} = 1",
    "expr.explain.too_many_paths": "共有 {count} 条路径；下面写出前 {shown} 条。",
    "expr.explain.whole": "验算：把 {output} 写成只含叶子变量的一个表达式，由 sympy 求导：",
    # ── larger networks: the compact form, summary views, sensitivity ───────────
    "what.shape": "由 2 到 {most} 个层大小组成的列表，从输入层到输出层（shape: [784, 16, 16, 10]）",
    "what.width": "1 到 {most} 之间的整数个神经元",
    "what.init": "一个映射 {{scheme: uniform、xavier 或 he, seed: 整数}}",
    "what.init_scheme": "初始化方法",
    "what.seed": "作为种子的非负整数",
    "what.positive_number": "大于 0 的数",
    "what.compact_inputs": "由 {count} 个数组成的列表，或 {{generate: uniform, seed: S}}",
    "what.generator": "生成输入的方式",
    "what.range_pair": "列表 [low, high]，且 low < high",
    "what.target_values": "目标值",
    "what.compact_targets": "由 {count} 个数组成的列表，或 {{one_hot: k}}",
    "what.one_hot": "输出的序号，1 到 {count}",
    "compact.too_many_parameters": "这个形状有 {count} 个参数；最多允许 {limit} 个",
    "compact.activation_count": (
        "应为一个激活函数，或由 {count} 个组成的列表（输入层之后每层一个）；实际列表有 {found} 个"
    ),
    "compact.range_uniform_only": "range 只用于 uniform 方法；{scheme} 按各层大小自行确定范围",
    "compact.not_a_parameter": "{name} 不是这个形状的参数（参数名形如 {examples}）",
    "compact.no_init": (
        "没有 init，且 {name} 没有取值（共 {count} 个参数没有取值）："
        "请给出 init: {{scheme: xavier, seed: 1}}，或在 parameters 中给出每个参数"
    ),
    "compact.count": "应有 {count} 个{what}，实际 {found} 个",
    "what.compact_samples": "训练样本所在的 .csv 或 .npz 文件名",
    "compact.csv_columns": "CSV 文件 {file} 有 {found} 列；这个形状需要先 {inputs} 列输入，再 {outputs} 列目标值",
    "npz.file_too_large": "NumPy 文件 {file} 太大（最多 256 MiB）",
    "npz.unreadable": "无法读取 NumPy 文件 {file}：{reason}",
    "npz.not_archive": "{file} 不是 NumPy 的 .npz 文件（可用 numpy.savez 生成）",
    "npz.keys": "NumPy 文件 {file} 中必须恰好有 inputs 和 targets 两个数组；实际有：{found}",
    "npz.problem": "NumPy 文件 {file} 的数组 {key}：{reason}",
    "npz.short": "文件头声明的形状是 {shape}，比文件实际存放的数多",
    "npz.too_large": "解压后太大（最多 {most} MiB）",
    "npz.dtype": "应为整数或浮点数，实际类型是 {dtype}",
    "npz.empty": "应每个样本一行，实际形状是 {shape}",
    "npz.inputs_shape": "应每个样本一行、每行 {count} 个数，实际形状是 {shape}",
    "npz.targets_shape": "应为 {count} 行、每行 {outputs} 个数（多个输出时也可以是 {count} 个类别标签），实际形状是 {shape}",
    "npz.too_many_values": "数太多（总共最多 {most} 个）",
    "npz.bad_number": "第 {sample} 个样本的第 {column} 个数：应为绝对值最多 1e6 的有限数，实际是 {found}",
    "npz.bad_label": "第 {sample} 个样本：类别标签应为 0 到 {most} 之间的整数，实际是 {found}",
    "summary.note": "共 {count} 个参数，这里只给出摘要：--full 显示全部表格；bptutor explain 名称 推导单个梯度。",
    "summary.network": "网络",
    "summary.network_value": "{shape}，共 {count} 个参数",
    "summary.inputs": "输入",
    "summary.targets": "目标",
    "summary.many_values": "{count} 个{what} {first} … {last}，取值从 {low} 到 {high}",
    "summary.parameter_count": "{count} 个参数",
    "summary.heading.outputs": "输出层",
    "summary.heading.layers": "各层（Frobenius 范数：‖W‖ = √(Σ w²)）",
    "summary.heading.top": "|∂{loss}/∂p| 最大的 {top} 个参数（共 {count} 个）",
    "summary.more_notes": "（另有 {count} 条类似的提示）",
    "column.output": "输出",
    "column.target": "目标",
    "column.layer": "层",
    "column.weights": "权重",
    "column.activation": "激活函数",
    "column.rank": "名次",
    "sensitivity.heading": (
        "{scenario} 中 {loss} 对各参数的敏感度：|∂{loss}/∂p| 从大到小（列出 {shown} 个，共 {count} 个）"
    ),
    "sensitivity.column.next": "× 下一个",
    "sensitivity.column.last": "× 最后一个",
    "sensitivity.sentence": (
        "在这里 {first} 的影响是 {last} 的 {ratio} 倍：{first} 的微小变化引起的 {loss} 变化，"
        "是 {last} 同样变化的 {ratio} 倍。"
    ),
    "sensitivity.last_zero": "在这里 {loss} 完全不随 {last} 变化（梯度为 0），但随 {first} 变化。",
    "sensitivity.all_zero": "列出的梯度都是 0：在这里 {loss} 不随这些参数变化。",
    "help.sensitivity": (
        "按 |∂E/∂p| 给参数排序：损失对哪些参数最敏感，是其他参数的多少倍。\n\n"
        "示例：bptutor sensitivity two_two_two --top 5 --lang zh"
    ),
    "help.sensitivity.short": "按损失对参数的敏感度给参数排序。",
    "help.top": "列出多少个参数（默认 10；0 表示全部）。",
    "help.full": "无论网络多大都显示全部表格（默认超过 60 个参数的网络只显示摘要）。",
    "help.summary": "即使网络很小也只显示摘要（各层范数、梯度最大的参数）。",
    "explain.large_network": (
        "链式法则：{target} 经 {count} 条路径影响 {loss}；网络共有 {parameters} 个参数，不逐条写出，"
        "请看下面的误差项 δ 形式。"
    ),
    "usage.full_and_summary": "--full 和 --summary 不能同时使用",
    # ── training (issue #6): samples, optimizers, new losses, bptutor train ──────
    "loss.mae": "{loss} = (1/n) Σ |目标 − 输出|，对 n 个输出神经元取平均的绝对误差",
    "loss.rmse": "{loss} = √((1/n) Σ (目标 − 输出)²)，均方误差的平方根",
    "loss.bce": "{loss} = −(1/n) Σ [目标·ln(输出) + (1 − 目标)·ln(1 − 输出)]，二元交叉熵",
    "loss.cross_entropy": "{loss} = −Σ 目标·ln(输出)，softmax 输出层上的交叉熵",
    "what.samples": (
        "样本：由 (inputs, targets) 映射组成的列表、一个 .csv 文件名，或映射 (generate: xor|circle|gaussians|spiral, "
        "count, noise, seed)"
    ),
    "what.sample": "一个样本：含 inputs 与 targets 的映射",
    "count.sample": "样本",
    "count.samples": "样本",
    "what.dataset": "数据集",
    "what.whole_number": "{least} 到 {most} 之间的整数",
    "what.training": "含 steps 或 epochs、batch_size、shuffle、seed、reduction 的映射",
    "what.reduction": "批量梯度的合成方式",
    "what.optimizer": "优化器",
    "scenario.samples_and_inputs": "samples 与 {key} 只能给出一个（给出 samples 时，输入的名字和目标都来自样本）",
    "scenario.sample_inputs_differ": "每个样本给出的输入必须与第一个样本相同：{names}",
    "scenario.sample_targets": "样本的目标必须以输出神经元命名：{names}",
    "scenario.noise_range": "noise 必须在 0 到 10 之间，实际是 {found}",
    "scenario.generator_outputs": (
        "生成的数据集只有两类：输出层应有 1 个神经元（sigmoid）或 2 个（softmax），而不是 {count} 个"
    ),
    "scenario.csv_too_large": "CSV 文件 {file} 太大（最多 256 MiB）",
    "scenario.csv_unreadable": "无法读取 CSV 文件 {file}：{reason}",
    "scenario.csv_no_header": "CSV 文件 {file} 没有给出列名的表头行",
    "scenario.csv_row_length": "{file} 第 {line} 行：有 {count} 个值，但表头有 {expected} 列",
    "scenario.csv_not_number": "{file} 第 {line} 行 {column} 列：应为数字（绝对值最多 1e6），实际是 {found}",
    "scenario.csv_missing_targets": "CSV 文件中没有输出神经元 {names} 的列（目标值放在这些列中）",
    "scenario.steps_and_epochs": "steps 与 epochs 只能给出一个",
    "scenario.not_negative": "应为 ≥ 0 的数，实际是 {found}",
    "scenario.optimizer_constant": "{key} 必须不小于 0 且小于 1（epsilon 必须大于 0），实际是 {found}",
    "scenario.softmax_not_output": "softmax 只能用作输出层的激活函数（配合 cross_entropy，或经雅可比矩阵求导的其他损失），不能用于隐含层",
    "scenario.softmax_needs_cross_entropy": (
        "softmax 输出层可配合 cross_entropy，或不带专属激活函数的损失（half_sse、sse、mse、mae、rmse 或自定义损失，"
        "经 softmax 的雅可比矩阵求导）；bce 需要 sigmoid 输出层"
    ),
    "scenario.loss_needs_output": "{loss} 损失需要 {activation} 输出层",
    "scenario.softmax_one_neuron": "softmax 输出层至少需要 2 个神经元（只有一个时请用 sigmoid 和 bce）",
    "scenario.targets_probabilities": "{loss} 的目标值必须在 0 到 1 之间（第 {sample} 个样本）",
    "scenario.targets_sum": "cross_entropy 的目标值之和必须为 1（第 {sample} 个样本之和为 {total}）",
    "scenario.rounding_training": "舍入用于手算：只能有一个样本、普通梯度下降，损失为 half_sse、sse 或 mse",
    "note.cancels.sigmoid": (
        "二元交叉熵配合 sigmoid 输出时，∂{loss}/∂out = (out − target)/(out·(1 − out)) 与 "
        "σ′ = out·(1 − out) 相消：δ = ∂{loss}/∂in = out − target（有 n 个输出时再除以 n）。σ′ 不再出现，"
        "所以饱和的输出仍能学习；损失由 in 直接计算（不会出现 log(0)）。"
    ),
    "note.cancels.softmax": (
        "交叉熵配合 softmax 输出时，δ_i = Σ_j ∂{loss}/∂out_j·∂out_j/∂in_i "
        "= Σ_j (−target_j/out_j)·out_j·(δ_ij − out_i) = out_i·Σ_j target_j − target_i = out_i − target_i"
        "（目标之和为 1）：softmax 的导数不再出现；损失由 in 直接计算（不会出现 log(0) 或溢出）。"
    ),
    "graph.batch_title": "{title}，第 {step} 步：第 {index} 个样本，即该批次 {count} 个样本中的第一个（bptutor run 显示全部样本）",
    "cli.batch_too_large": (
        "{source}：第 {step} 步的批次有 {count} 个样本；bptutor {command} 最多手算 {most} 个样本的批次："
        "请用 bptutor run 查看每个样本的计算过程，或在 training 中把 batch_size 设为 {most} 或更小"
    ),
    "cli.trace_too_large": (
        "{source}：逐步追踪会对一批中的每个样本分别手算；带样本时，超过 {most} 个参数的网络（此网络有 {count} 个）"
        "请用 bptutor train 训练"
    ),
    "train.sample_heading": "批次中的第 {number} 个样本，共 {count} 个（第 {index} 个样本：{givens}）",
    "train.more_samples": (
        "批次中的其余样本（共 {count} 个，上面显示了 {shown} 个）按同样的方法计算；它们的梯度计入下面的平均值。"
    ),
    "train.heading.gradient_mean": "批量梯度：{count} 个样本的 ∂{loss}/∂p 的平均值",
    "train.heading.gradient_sum": "批量梯度：{count} 个样本的 ∂{loss}/∂p 之和",
    "train.heading.update": "参数更新（{optimizer}：{rule}）",
    "train.heading.losses": "{steps} 步中每一步的损失（每步为该批次的平均；最后一行为全部样本的平均）",
    "train.column.sample": "样本 {index}",
    "train.column.sum": "总和",
    "train.given.samples": "样本",
    "train.samples_value": "{count} 个：输入 {inputs}；目标 {targets}",
    "train.given.batch": "批次",
    "train.batch_all": "每步使用全部 {count} 个样本（全批量）",
    "train.batch_size": "每步使用 {count} 个样本中的 {size} 个",
    "train.reduction_mean": "梯度取批次的平均",
    "train.reduction_sum": "梯度取批次之和",
    "train.shuffle": "每轮打乱顺序（种子 {seed}）",
    "train.no_shuffle": "按顺序",
    "train.given.optimizer": "优化器",
    "scenario.updated_weights_training": (
        "hidden_error_weights: updated 是手算的约定，不是梯度：bptutor run 可以对一个样本、普通梯度下降显示它；"
        "训练（train、samples、优化器、训练用的损失）需要精确梯度"
    ),
    "train.title": "训练 {title}（{scenario}）",
    "train.summary": "{count} 个样本，{steps} 步（{epochs} 轮），优化器 {optimizer}，损失 {loss}",
    "train.heading.curve": "每轮的损失（{loss}，全部样本的平均；第 0 轮为训练前）",
    "train.epoch_axis": "轮次 →",
    "train.loss_change": "{loss}：训练前 {first}，{epochs} 轮后 {last}",
    "train.accuracy": "准确率：{percent}%（{count} 个样本中 {right} 个分类正确）",
    "train.heading.parameters": "参数",
    "train.heading.layers": "各层参数（权重和偏置）",
    "train.column.initial": "初始值",
    "train.column.final": "训练后",
    "train.column.layer": "层",
    "train.column.shape": "输入→神经元",
    "train.column.count": "参数个数",
    "train.column.mean": "平均值",
    "train.column.std": "标准差",
    "train.column.min": "最小值",
    "train.column.max": "最大值",
    "train.progress": "训练中",
    "train.no_matplotlib": "--plot 需要 matplotlib：pip install \"bptutor[plot]\"（或 pip install matplotlib）",
    "usage.steps_and_epochs": "--steps 与 --epochs 只能给出一个",
    "help.train": (
        "用场景中的样本训练网络（NumPy 向量化计算）：运行时显示进度条，之后画出每轮的损失曲线，"
        "分类数据给出准确率，并列出参数。\n\n示例：bptutor train spiral --plot spiral.png"
    ),
    "help.train.short": "用多个样本训练：损失曲线、准确率、参数。",
    "help.train_steps": "更新的步数（覆盖文件中的 training 设置）。",
    "help.train_epochs": "遍历全部样本的轮数（覆盖文件中的 training 设置）。",
    "help.train_format": "rich（默认）：曲线和表格；json：供程序读取的一个对象。",
    "help.train_plot": "同时把损失曲线（两个输入时还有决策边界）保存为 PNG 图片；需要 matplotlib。",
    # ── custom activations and losses in layered scenarios (bptutor.core.custom) ──
    "custom.loss_name": "自定义",
    "custom.loss_sum": "{loss} = Σ {term}，其中 {target} 为目标值，{output} 为输出",
    "custom.loss_mean": "{loss} = (1/n) Σ {term}，对 n 个输出神经元取平均，其中 {target} 为目标值，{output} 为输出",
    "custom.domain": "{function} 在 {at} 处无法计算：{reason}",
    "custom.bad_variable": "应为变量名（以字母开头，后接字母、数字或 _；不能是函数名），实际为 {found}",
    "custom.same_variable": "目标值和输出需要两个不同的名称；现在都是 '{name}'",
    "custom.expected_expression": "应为写在一行里的表达式，例如 \"t / 10\"，实际为 {found}",
    "custom.expression_scenario": (
        "'expression' 表明这是表达式场景（由门组成的程序，而不是分层网络）：请用 bptutor.load 或 bptutor 命令读取"
    ),
    "custom.no_handout": "{scenario} 是表达式场景：结果中有数值和梯度，但解答讲义需要分层网络",
    "custom.not_for_training": (
        "自定义的激活函数和损失函数只用于单个样本（run、explain、solve、check）；"
        "训练（samples、training、optimizer、weight_decay）需要使用内置函数"
    ),
    "solve.too_large": (
        "{count} 个参数的详细解答会有几百页；solve 只为最多 {most} 个参数的网络写详细解答和练习。"
        "对这个网络可以用：solve --answers-only、run（汇总视图）、sensitivity，或 explain 参数名 查看单个参数"
    ),

    # ── 交互式练习（solve --format html --interactive）──────────────────────────
    "help.interactive": "与 --format html 一起使用：在浏览器里自动批改的练习，判法与 check 相同（一个离线文件）。",
    "usage.interactive_html": "--interactive 生成 HTML 网页：请与 --format html 一起使用（而不是 {format}）",
    "usage.interactive_variant": "--interactive 生成自己的练习，逐个量填写：不要同时使用 --answers-only、--worksheet、--steps、--derive 和 --form matrix",
    "sheet.unsupported": "交互式练习无法在网页中计算 {step}（{what}）",
    "sheet.title": "练习",
    "sheet.intro": "手算一步训练。每个值按你计算时保留的小数位数填写，按这个精度判断；用你自己前面算出的数正确算出的值也算对。",
    "sheet.keyboard": "按回车检查当前的值并转到下一个。所有内容都不会离开本页：你的答案只保存在这个浏览器里。",
    "sheet.givens": "已知条件",
    "sheet.figure": "网络结构：正在计算的量和为它提供输入的连线会高亮显示。",
    "sheet.part.forward": "前向传播",
    "sheet.part.loss": "损失",
    "sheet.part.backward": "反向传播",
    "sheet.part.update": "参数更新",
    "sheet.check": "检查",
    "sheet.hint": "提示",
    "sheet.check_all": "全部检查",
    "sheet.export": "下载答案（.yaml）",
    "sheet.export_text": "供 bptutor check 使用的答案文件",
    "sheet.print": "打印",
    "sheet.reset": "重新开始",
    "sheet.reset_confirm": "清空本练习的所有答案？",
    "sheet.score": "对 {right} / {total} 个 · 提示 {hints} 次 · 看答案 {answers} 次",
    "sheet.verdict.right": "对。",
    "sheet.verdict.carried": "用你前面的 {names} 正确算出。",
    "sheet.verdict.wrong": "不对。",
    "sheet.verdict.empty": "未填写。",
    "sheet.verdict.unreadable": "不是数：请写成 0.5744 或 -1.2e-3 这样的形式。",
    "sheet.carried_from": "{names}",
    "sheet.mistake": "可能的原因：{mistake}。",
    "sheet.correction": "正确算法：{formula}",
    "sheet.hint.symbols": "公式：{formula}",
    "sheet.hint.numbers": "代入你的数：{formula}",
    "sheet.hint.answer": "答案：{value}",
    "sheet.storage_off": "这个浏览器不允许本页保存答案：刷新后会丢失。离开前请先下载答案。",
    "sheet.exported": "答案文件已生成：交给 bptutor check 检查。",
    "sheet.given.inputs": "输入",
    "sheet.given.targets": "目标值",
    "sheet.given.sample": "样本 {number}",
    "sheet.given.state": "{optimizer}：本步之前的状态",
    "sheet.given.parameters": "权重和偏置",
    "sheet.given.rate": "学习率",
})

LANGUAGE = Language(
    tag="zh-Hans",
    latex_class="\\documentclass[11pt,UTF8]{ctexart}",
    latex_engine="xelatex (the ctex package sets the Chinese fonts).",
    thousands_separator="",
    language_names=MappingProxyType({"en": "en（英文）", "zh": "zh（中文）"}),
    messages=MESSAGES,
)
