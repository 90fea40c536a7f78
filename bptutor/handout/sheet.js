// bptutor's interactive worksheet: judges a student's values as `bptutor check` does.
// Fixed code: the scenario reaches it only as JSON data (#sheet-data), shown with textContent.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("sheet-data").textContent);
  const T = DATA.text;

  // ── exact decimals: a BigInt holding value × 10^SCALE ─────────────────────
  const SCALE = 80;
  const GUARD = 24;
  const ONE = 10n ** BigInt(SCALE);
  const NUMBER_RE = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

  class DomainError extends Error {}

  function pow10(n) { return 10n ** BigInt(n); }
  function abs(a) { return a < 0n ? -a : a; }
  // a / b rounded half to even (b > 0 or < 0)
  function divRound(a, b) {
    if (b < 0n) { a = -a; b = -b; }
    let q = a / b;
    const r = a - q * b;
    const twice = abs(r) * 2n;
    if (twice > b || (twice === b && (q % 2n !== 0n))) q += r < 0n ? -1n : 1n;
    return q;
  }
  function parseDec(text) {  // an exact decimal text → scaled BigInt
    const match = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text.trim());
    if (!match) throw new Error("not a number: " + text);
    const digits = (match[2] || "") + (match[3] || "");
    let exponent = (match[4] ? parseInt(match[4], 10) : 0) - (match[3] || "").length;
    let value = BigInt(digits || "0");
    exponent += SCALE;
    value = exponent >= 0 ? value * pow10(exponent) : divRound(value, pow10(-exponent));
    return match[1] === "-" ? -value : value;
  }
  function mul(a, b) { return divRound(a * b, ONE); }
  function div(a, b) {
    if (b === 0n) throw new DomainError("division by zero");
    return divRound(a * ONE, b);
  }
  function fromInt(n) { return BigInt(n) * ONE; }
  function expDec(x) {
    if (abs(x) > fromInt(100000)) throw new DomainError("overflow");
    const wide = x * pow10(GUARD);
    const unit = ONE * pow10(GUARD);
    let k = 0;
    let r = wide;
    while (abs(r) * 100n > unit) { r /= 2n; k += 1; }  // |r| ≤ 0.01 (the halvings lose < 1 unit each)
    let term = unit;
    let sum = unit;
    for (let n = 1n; term !== 0n; n += 1n) { term = divRound(term * r, unit * n); sum += term; }
    for (let i = 0; i < k; i += 1) sum = divRound(sum * sum, unit);
    return divRound(sum, pow10(GUARD));
  }
  function lnDec(x) {
    if (x <= 0n) throw new DomainError("log of a number not above 0");
    let y = parseDec(String(Math.log(Number(x) / Number(ONE))));
    for (let i = 0; i < 6; i += 1) {
      const e = expDec(y);
      y = y + div(2n * (x - e), x + e);
    }
    return y;
  }
  function sqrtDec(x) {  // √x, the scaled root of x·10^SCALE (Newton on integers), rounded half to even
    if (x < 0n) throw new DomainError("root of a number below 0");
    if (x === 0n) return 0n;
    const n = x * ONE * 4n;  // √(4·x·ONE) = 2·result: one more bit to round with
    let y = BigInt("1" + "0".repeat(Math.ceil(n.toString().length / 2)));
    for (;;) { const next = (y + n / y) / 2n; if (next >= y) break; y = next; }
    return y % 2n === 1n && y * y !== n ? (y + 1n) / 2n : y / 2n;
  }
  function tanhDec(x) {
    const small = expDec(x >= 0n ? -2n * x : 2n * x);
    const value = div(ONE - small, ONE + small);
    return x >= 0n ? value : -value;
  }
  function powInt(a, n) {
    let result = ONE;
    for (let i = 0; i < Math.abs(n); i += 1) result = mul(result, a);
    return n < 0 ? div(ONE, result) : result;
  }
  // round to `decimals` places: half_up (ties away from 0), half_even, down (toward 0)
  function quantize(value, decimals, method) {
    if (decimals >= SCALE) return value;
    const unit = pow10(SCALE - decimals);
    const sign = value < 0n ? -1n : 1n;
    const size = abs(value);
    let q = size / unit;
    const r = size - q * unit;
    if (method === "half_up") { if (2n * r >= unit) q += 1n; }
    else if (method === "half_even") { if (2n * r > unit || (2n * r === unit && q % 2n === 1n)) q += 1n; }
    return sign * q * unit;
  }
  function halfUnit(decimals) { return 5n * pow10(SCALE - decimals - 1); }
  function show(value) {  // scaled BigInt → plain decimal text, trailing zeros dropped
    const sign = value < 0n ? "-" : "";
    let digits = abs(value).toString().padStart(SCALE + 1, "0");
    let whole = digits.slice(0, digits.length - SCALE);
    let fraction = digits.slice(digits.length - SCALE).replace(/0+$/, "");
    return sign + whole + (fraction ? "." + fraction : "");
  }
  function brief(value) {  // for people: 10 significant digits (0.6456563062), as bptutor prints numbers
    return String(Number(Number(show(value)).toPrecision(10)));
  }

  // ── the student's number, as check reads it ──────────────────────────────
  const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\uFF0B\uFF0D\uFF45\uFF25]/g;
  function normalise(text) {
    return text.trim().replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0))
      .replace(/[\u2212\u2013]/g, "-").replace(/^([+-]?[0-9]*),([0-9]+)$/, "$1.$2").replace(/\s+/g, "");
  }
  function parseClaim(text) {  // {text, value, decimals} or null, as answers.parse_number
    const cleaned = normalise(text);
    if (!NUMBER_RE.test(cleaned)) return null;
    const match = /^[+-]?([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(cleaned);
    const fraction = match[2] || "";
    const exponent = (match[3] ? parseInt(match[3], 10) : 0) - fraction.length;
    const decimals = Math.max(0, -exponent);
    const significant = ((match[1] || "") + fraction).replace(/^0+/, "").length;
    if (decimals > 30 || significant > 40) return null;
    const value = parseDec(cleaned);
    if (abs(value) > pow10(12 + SCALE)) return null;
    return { text: cleaned, value, decimals };
  }

  // ── the steps and how each is computed ───────────────────────────────────
  const STEPS = DATA.steps;
  const INDEX = new Map(STEPS.map((step, i) => [step.name, i]));
  const GIVENS = new Map(Object.entries(DATA.givens).map(([name, text]) => [name, parseDec(text)]));
  const CORRECT = new Map(STEPS.map((step) => [step.name, parseDec(step.correct)]));
  const EXACT = new Map(STEPS.map((step) => [step.name, parseDec(step.exact)]));

  function evaluate(tree, read) {
    const op = tree[0];
    const args = tree.slice(1);
    const v = (t) => evaluate(t, read);
    switch (op) {
      case "n": return parseDec(args[0]);
      case "r": return read(args[0]);
      case "+": return args.reduce((sum, t) => sum + v(t), 0n);
      case "*": return args.reduce((product, t) => mul(product, v(t)), ONE);
      case "/": return div(v(args[0]), v(args[1]));
      case "^": return powInt(v(args[0]), args[1]);
      case "exp": return expDec(v(args[0]));
      case "log": return lnDec(v(args[0]));
      case "tanh": return tanhDec(v(args[0]));
      case "sqrt": return sqrtDec(v(args[0]));
      case "abs": return abs(v(args[0]));
      case "sign": { const x = v(args[0]); return x > 0n ? ONE : x < 0n ? -ONE : 0n; }
      case "max": return args.map(v).reduce((a, b) => (a > b ? a : b));
      case "min": return args.map(v).reduce((a, b) => (a < b ? a : b));
      case "gt": return v(args[0]) > v(args[1]);
      case "ge": return v(args[0]) >= v(args[1]);
      case "lt": return v(args[0]) < v(args[1]);
      case "le": return v(args[0]) <= v(args[1]);
      case "eq": return v(args[0]) === v(args[1]);
      case "true": return true;
      case "pw": {
        for (const [piece, condition] of args) if (evaluate(condition, read) === true) return v(piece);
        throw new DomainError("no piece");
      }
      case "round": return quantize(v(args[0]), args[1], DATA.method);
      default: throw new Error("unknown operation " + op);
    }
  }
  // one step from its inputs, reading `overrides` (name → value) first, then the givens, then computing
  function valueOf(name, overrides) {
    const memo = new Map();
    const read = (n) => {
      if (overrides.has(n)) return overrides.get(n);
      if (GIVENS.has(n)) return GIVENS.get(n);
      if (!memo.has(n)) memo.set(n, evaluate(STEPS[INDEX.get(n)].expr, read));
      return memo.get(n);
    };
    return evaluate(STEPS[INDEX.get(name)].expr, read);
  }

  // ── grading, as bptutor.teach.grading.Grader ─────────────────────────────
  function grade(claims) {  // claims: Map name → claim; returns Map name → {verdict, carriedFrom}
    const judged = new Map();
    const carriedCache = new Map();
    const enclosed = new Map();
    const rounded = (value, decimals) => quantize(value, decimals, DATA.method);
    const matches = (value, claim, spread) => {
      if (rounded(value, claim.decimals) === claim.value) return true;
      return spread > 0n && abs(claim.value - value) <= halfUnit(claim.decimals) + spread;
    };
    const isRight = (name, claim) => matches(CORRECT.get(name), claim, 0n) || matches(EXACT.get(name), claim, 0n);
    const writtenExactly = (name, claim) => {
      if (claim.value !== CORRECT.get(name) && claim.value !== EXACT.get(name)) return false;
      const text = show(claim.value);
      const places = text.includes(".") ? text.split(".")[1].length : 0;
      return claim.decimals <= places;
    };
    let coarsest = null;
    for (const [name, claim] of claims) {
      if (!writtenExactly(name, claim)) coarsest = coarsest === null ? claim.decimals : Math.min(coarsest, claim.decimals);
    }
    const uses = (name) => {
      const found = new Set();
      const seen = new Set();
      const stack = [...STEPS[INDEX.get(name)].inputs];
      while (stack.length) {
        const current = stack.pop();
        if (seen.has(current) || !INDEX.has(current)) continue;
        seen.add(current);
        if (claims.has(current)) found.add(current);
        else stack.push(...STEPS[INDEX.get(current)].inputs);
      }
      return [...found].sort((a, b) => INDEX.get(a) - INDEX.get(b));
    };
    const recompute = (name, used) => {
      const overrides = new Map(used.map((n) => [n, claims.get(n).value]));
      const value = valueOf(name, overrides);
      let spread = 0n;
      for (const n of used) {
        const nudged = new Map(overrides);
        const claim = claims.get(n);
        nudged.set(n, isRight(n, claim) ? CORRECT.get(n) : claim.value + halfUnit(claim.decimals));
        spread += abs(valueOf(name, nudged) - value);
      }
      return [value, spread];
    };
    const roundedAnyWay = ([low, high]) => {
      if (coarsest === null) return [low, high];
      let ends = [low, high];
      for (let d = coarsest; d <= Math.max(coarsest, DATA.maxCarry); d += 1) {
        for (const method of DATA.carry) ends.push(quantize(low, d, method), quantize(high, d, method));
      }
      return [ends.reduce((a, b) => (a < b ? a : b)), ends.reduce((a, b) => (a > b ? a : b))];
    };
    const carried = (name) => {
      if (GIVENS.has(name)) return [GIVENS.get(name), GIVENS.get(name)];
      if (carriedCache.has(name)) return carriedCache.get(name);
      let interval;
      if (claims.has(name)) {
        const claim = claims.get(name);
        const ends = isRight(name, claim)
          ? [claim.value, CORRECT.get(name), EXACT.get(name)]
          : [claim.value - halfUnit(claim.decimals), claim.value + halfUnit(claim.decimals)];
        interval = [ends.reduce((a, b) => (a < b ? a : b)), ends.reduce((a, b) => (a > b ? a : b))];
      } else {
        interval = roundedAnyWay(enclosure(name));
      }
      carriedCache.set(name, interval);
      return interval;
    };
    const enclosure = (name) => {
      if (enclosed.has(name)) return enclosed.get(name);
      const inputs = [...new Set(STEPS[INDEX.get(name)].inputs)].filter((n) => n && !GIVENS.has(n));
      const ranges = new Map(inputs.map((n) => [n, carried(n)]));
      const varying = inputs.filter((n) => ranges.get(n)[0] !== ranges.get(n)[1]);
      const centre = new Map(inputs.map((n) => [n, divRound(ranges.get(n)[0] + ranges.get(n)[1], 2n)]));
      const points = [centre];
      if (varying.length <= DATA.maxCorners) {
        const steps = varying.length <= 2 ? 4 : 1;
        const total = (steps + 1) ** varying.length;
        for (let index = 0; index < total; index += 1) {
          const point = new Map(centre);
          let rest = index;
          for (let i = varying.length - 1; i >= 0; i -= 1) {
            const fraction = rest % (steps + 1);
            rest = Math.floor(rest / (steps + 1));
            const [low, high] = ranges.get(varying[i]);
            point.set(varying[i], low + divRound((high - low) * BigInt(fraction), BigInt(steps)));
          }
          points.push(point);
        }
      } else {
        for (const n of varying) for (const end of ranges.get(n)) points.push(new Map([...centre, [n, end]]));
      }
      const values = [];
      for (const point of points) {
        try { values.push(valueOf(name, point)); } catch (error) { if (!(error instanceof DomainError)) throw error; }
      }
      const interval = values.length
        ? [values.reduce((a, b) => (a < b ? a : b)), values.reduce((a, b) => (a > b ? a : b))]
        : [CORRECT.get(name), CORRECT.get(name)];
      enclosed.set(name, interval);
      return interval;
    };
    const meets = ([low, high], claim) =>
      rounded(low, claim.decimals) <= claim.value && claim.value <= rounded(high, claim.decimals);
    const judge = (name) => {
      if (judged.has(name)) return judged.get(name);
      const claim = claims.get(name);
      let result;
      if (!claim) {
        result = { verdict: "missing", carriedFrom: [] };
      } else {
        const used = uses(name);
        let recomputed = null;
        let spread = 0n;
        if (used.length) {
          try { [recomputed, spread] = recompute(name, used); } catch (error) {
            if (!(error instanceof DomainError)) throw error;  // the student's values outside a domain: no recomputation
          }
        }
        if (isRight(name, claim)) {
          result = { verdict: "right", carriedFrom: [] };
        } else if ((recomputed !== null && matches(recomputed, claim, spread)) || meets(enclosure(name), claim)) {
          const from = [];
          for (const n of used) {
            const earlier = judge(n);
            if (earlier.verdict === "wrong") from.push(n);
            else if (earlier.verdict === "consistent") from.push(...earlier.carriedFrom);
          }
          const unique = [...new Set(from)];
          result = { verdict: unique.length ? "consistent" : "right", carriedFrom: unique };
        } else {
          result = { verdict: "wrong", carriedFrom: [] };
        }
      }
      judged.set(name, result);
      return result;
    };
    const verdicts = new Map();
    for (const step of STEPS) verdicts.set(step.name, judge(step.name));
    return verdicts;
  }

  // a wrong value that a common mistake gives, at the precision written (rounded, or its last digit cut)
  function mistakeOf(step, claim) {
    for (const [text, index] of step.mistakes) {
      const value = parseDec(text);
      if (quantize(value, claim.decimals, DATA.method) === claim.value || quantize(value, claim.decimals, "down") === claim.value) {
        return DATA.mistakes[index];
      }
    }
    return null;
  }

  // ── the page ─────────────────────────────────────────────────────────────
  const words = (key, fields = {}) => T[key].replace(/\{(\w+)\}/g, (_, field) => String(fields[field] ?? ""));
  const inputs = STEPS.map((_, i) => document.getElementById("a" + i));
  const STORE = "bptutor-sheet-" + DATA.key;
  let state = { values: {}, judged: {}, hints: {} };

  function load() {
    try {
      const saved = window.localStorage.getItem(STORE);
      if (saved) {
        const parsed = JSON.parse(saved);
        if (parsed && typeof parsed === "object") state = { values: {}, judged: {}, hints: {}, ...parsed };
      }
    } catch (error) {
      document.getElementById("storage").hidden = false;
    }
  }
  function save() {
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (error) {
      document.getElementById("storage").hidden = false;
    }
  }

  function claimsNow() {
    const claims = new Map();
    STEPS.forEach((step, i) => {
      const claim = inputs[i].value.trim() === "" ? null : parseClaim(inputs[i].value);
      if (claim) claims.set(step.name, claim);
    });
    return claims;
  }

  function formulaText(step, mode, claims) {
    return step.formula.map((token) => {
      if (token === null) return mode === "symbols" ? "·" : " × ";
      if (typeof token === "string") return token;
      const [name, value] = token;
      if (mode === "symbols") return name;
      if (claims.has(name)) return claims.get(name).text;
      return brief(parseDec(value));
    }).join("");
  }

  function showHints(i, claims) {
    const step = STEPS[i];
    const level = state.hints[step.name] || 0;
    const box = document.getElementById("h" + i);
    box.textContent = "";
    const lines = [];
    if (level >= 1) lines.push(words("hint.symbols", { formula: step.name + " = " + formulaText(step, "symbols", claims) }));
    if (level >= 2) lines.push(words("hint.numbers", { formula: formulaText(step, "numbers", claims) }));
    if (level >= 3) lines.push(words("hint.answer", { value: brief(CORRECT.get(step.name)) }));
    lines.forEach((line) => { const span = document.createElement("span"); span.textContent = line; box.appendChild(span); });
  }

  function refresh() {
    const claims = claimsNow();
    let verdicts;
    try { verdicts = grade(claims); } catch (error) { verdicts = new Map(); }
    let right = 0;
    STEPS.forEach((step, i) => {
      const box = document.getElementById("q" + i);
      const said = document.getElementById("v" + i);
      showHints(i, claims);
      const typed = inputs[i].value.trim();
      if (!state.judged[step.name]) { box.removeAttribute("data-verdict"); said.textContent = ""; return; }
      if (typed !== "" && !claims.has(step.name)) {
        box.setAttribute("data-verdict", "wrong");
        said.textContent = words("verdict.unreadable");
        return;
      }
      const result = verdicts.get(step.name) || { verdict: "missing", carriedFrom: [] };
      const verdict = DATA.verdicts[result.verdict];
      box.setAttribute("data-verdict", verdict);
      if (verdict === "right" || verdict === "carried") right += 1;
      let text = verdict === "carried" ? words("verdict.carried", { names: result.carriedFrom.join(", ") }) : words("verdict." + verdict);
      if (verdict === "wrong") {
        const mistake = mistakeOf(step, claims.get(step.name));
        if (mistake) {
          text += " " + words("mistake", { mistake }) + " " + words("correction", { formula: step.name + " = " + formulaText(step, "symbols", claims) });
        }
      }
      said.textContent = text;
    });
    const hints = Object.values(state.hints).reduce((sum, level) => sum + Math.min(level, 2), 0);
    const answers = Object.values(state.hints).filter((level) => level >= 3).length;
    document.getElementById("score").textContent = words("score", { right, total: STEPS.length, hints, answers });
    document.getElementById("yaml").value = answersFile();
  }

  function answersFile() {
    let index = 0;
    const lines = DATA.template.split("\n").map((line) => {
      if (line === "" || line.startsWith("#") || !line.endsWith(":")) return line;
      const input = inputs[index];
      index += 1;
      if (!input) return line;
      const claim = input.value.trim() === "" ? null : parseClaim(input.value);
      return claim ? line + " " + claim.text : line;
    });
    return lines.join("\n");
  }

  function highlight(i) {
    const step = STEPS[i];
    const figure = document.querySelector("figure.net svg");
    if (!figure) return;
    figure.querySelectorAll(".on").forEach((element) => element.classList.remove("on"));
    const names = new Set([...step.inputs, step.parameter].filter(Boolean));
    figure.querySelectorAll("[data-parameter]").forEach((element) => {
      if (names.has(element.getAttribute("data-parameter"))) element.classList.add("on");
    });
    figure.querySelectorAll("[data-node]").forEach((element) => {
      if (element.getAttribute("data-node") === step.neuron) element.classList.add("on");
    });
  }

  function judgeOne(i) {
    state.judged[STEPS[i].name] = true;
    state.values[STEPS[i].name] = inputs[i].value;
    save();
    refresh();
  }

  function download() {
    const text = answersFile();
    document.getElementById("yaml").value = text;
    document.getElementById("handin").open = true;
    try {
      const url = URL.createObjectURL(new Blob([text], { type: "application/x-yaml" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = DATA.scenario + "-answers.yaml";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) { /* a sandboxed frame may refuse downloads: the text is shown to copy */ }
  }

  load();
  inputs.forEach((input, i) => {
    input.value = state.values[STEPS[i].name] || "";
    input.addEventListener("focus", () => highlight(i));
    input.addEventListener("input", () => { state.values[STEPS[i].name] = input.value; save(); });
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      judgeOne(i);
      if (i + 1 < inputs.length) inputs[i + 1].focus();
    });
  });
  document.querySelectorAll("button.judge").forEach((button) => {
    button.addEventListener("click", () => judgeOne(Number(button.getAttribute("data-step"))));
  });
  document.querySelectorAll("button.hint").forEach((button) => {
    button.addEventListener("click", () => {
      const i = Number(button.getAttribute("data-step"));
      const name = STEPS[i].name;
      state.hints[name] = Math.min((state.hints[name] || 0) + 1, 3);
      save();
      refresh();
      highlight(i);
    });
  });
  document.getElementById("check-all").addEventListener("click", () => {
    STEPS.forEach((step, i) => { state.judged[step.name] = true; state.values[step.name] = inputs[i].value; });
    save();
    refresh();
  });
  document.getElementById("export").addEventListener("click", download);
  document.getElementById("print").addEventListener("click", () => window.print());
  document.getElementById("reset").addEventListener("click", () => {
    if (!window.confirm(T.reset_confirm)) return;
    state = { values: {}, judged: {}, hints: {} };
    inputs.forEach((input) => { input.value = ""; });
    save();
    refresh();
  });
  refresh();
})();
