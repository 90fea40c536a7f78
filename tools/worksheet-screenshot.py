"""Make docs/worksheet-en.png: the 2-2-2 interactive worksheet in headless Chromium, some answers judged;
print the answers file the page exports for them.

    python tools/worksheet-screenshot.py [OUT.png]

Answers typed as a student would (right values at 4 decimals, a slip of sign, a value carried
forward from it), two hints asked for, and the focus on δ_o1 so that the figure highlights it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_harness import chromium_session  # noqa: E402

from bptutor.api import load  # noqa: E402
from bptutor.handout.sheet import sheet_html  # noqa: E402

ANSWERS = {  # the sign of (t − o) flipped in ∂E/∂out_o1, and δ_o1 worked on from it
    "in_h1": "0.6",
    "out_h1": "0.6457",
    "in_h2": "0.67",
    "out_h2": "0.6615",
    "in_o1": "1.3797",
    "out_o1": "0.7989",
    "in_o2": "1.6512",
    "out_o2": "0.839",
    "E_o1": "0.3112",
    "E_o2": "0.0114",
    "E_total": "0.3226",
    "∂E_total/∂out_o1": "-0.7889",
    "∂out_o1/∂in_o1": "0.1606",
    "δ_o1": "-0.1267",
}
FOCUS = "δ_o1"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "worksheet-en.png"
    with tempfile.TemporaryDirectory() as folder, chromium_session((1200, 900)) as page:
        path = Path(folder) / "sheet.html"
        path.write_text(sheet_html(load("two_two_two"), "en"), encoding="utf-8")
        page.open(path)
        page.run(
            """
            const answers = arguments[0];
            document.querySelectorAll('input[data-quantity]').forEach((input) => {
              if (input.dataset.quantity in answers) {
                input.value = answers[input.dataset.quantity];
                input.closest('.q').querySelector('button.judge').click();
              }
            });
            const focus = document.querySelector(`input[data-quantity="${arguments[1]}"]`);
            const hint = focus.closest('.q').querySelector('button.hint');
            hint.click(); hint.click();
            focus.focus();
            document.getElementById('part-loss').scrollIntoView();
            window.scrollBy(0, -140);
            """,
            ANSWERS,
            FOCUS,
        )
        page.screenshot(out)
        exported = page.run("document.getElementById('export').click(); return document.getElementById('yaml').value;")
    print(exported)
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
