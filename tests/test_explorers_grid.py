"""The four grid explorers (chapters 7, 9, 10 and 12) compute what convlab
computes, in the built book, driven as a reader drives them.

Each lesson page is opened once in headless Chromium; the test moves
the explorer's sliders (typing values, pressing arrow keys), picks
options, ticks boxes and clicks or presses Enter on cells, over a grid of
settings, reads what the page shows (sizes, highlighted cells, values,
counts) and compares it with ``convlab`` (and PyTorch) for the same
setting. A JavaScript error fails the test, and so does a control whose
value read-out is hidden, covered or clipped at 768 px or 1280 px. The
Python side (data preparation, clear errors) is tested at the end,
without a browser.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from axe import assert_accessible
from book_browser import NARROW, WIDE, open_page

from convlab import pooling
from convlab.arith import (
    conv_output_size,
    pool_output_size,
    receptive_field,
)
from convlab.explorer import window_cells
from convlab.explorers import conv_window as cw
from convlab.explorers import pool_shift as ps
from convlab.explorers import receptive_field as rfx
from convlab.explorers import transposed_stamp as ts
from convlab.transposed import conv_transpose2d, tap_counts

PART2, PART3 = (
    "book/part2-convolutional-layer",
    "book/part3-computing-convolution",
)
PAGES = {
    "conv_window": f"{PART2}/07-padding-stride-dilation",
    "pool_shift": f"{PART2}/09-pooling",
    "receptive_field": f"{PART3}/10-what-a-layer-costs",
    "transposed_stamp": f"{PART3}/12-gradients-and-transposed-convolution",
}

# Everything the explorer shows, read in one round trip: the text of every
# element with a data-role, the cells of every grid and the controls' values.
SNAPSHOT = """root => {
  const texts = {}, grids = {}, values = {}, maxes = {};
  root.querySelectorAll('[data-role]').forEach(e => {
    if (e.classList.contains('cx-grid')) {
      grids[e.dataset.role] = Array.from(e.querySelectorAll('.cx-cell'))
        .map(c => [Number(c.dataset.r), Number(c.dataset.c), c.textContent,
                   c.dataset.state.split(' ').filter(Boolean)]);
    } else {
      texts[e.dataset.role] = e.textContent;
    }
  });
  root.querySelectorAll('[data-control]').forEach(e => {
    values[e.dataset.control] = e.type === 'checkbox' ? e.checked : e.value;
    if (e.type === 'range') maxes[e.dataset.control] = Number(e.max);
  });
  return {texts, grids, values, maxes};
}"""

# Every control's value read-out and label must be on screen, inside the
# explorer's box, and not covered by anything else.
SIDEBARS_AWAY = """() => innerWidth >= 960 || ["pst-primary-sidebar",
  "pst-secondary-sidebar"].every(id => {
    const el = document.getElementById(id);
    if (!el) return true;
    const r = el.getBoundingClientRect();
    return r.right <= 0 || r.left >= innerWidth || r.width === 0 ||
      getComputedStyle(el).visibility === "hidden";
  })"""

HIDDEN_READOUTS = """root => {
  const bad = [];
  const box = root.getBoundingClientRect();
  root.querySelectorAll('.cx-control').forEach(ctl => {
    if (!ctl.offsetParent) return;  // a control the setting hides
    const parts = Array.from(ctl.querySelectorAll('output, label'));
    parts.forEach(node => {
      node.scrollIntoView({block: 'center', inline: 'nearest'});
      const r = node.getBoundingClientRect();
      const name = (ctl.querySelector('label') || {}).textContent + ' / ' +
        node.tagName.toLowerCase();
      if (!node.textContent.trim()) { bad.push(name + ': empty'); return; }
      const b = root.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.left < b.left - 0.5 ||
          r.right > b.right + 0.5 || r.left < 0 || r.right > innerWidth) {
        bad.push(name + ': clipped ' + JSON.stringify(
          [r.left, r.right, b.left, b.right, innerWidth]));
        return;
      }
      const hit = document.elementFromPoint((r.left + r.right) / 2,
                                            (r.top + r.bottom) / 2);
      if (!hit || !(hit === node || node.contains(hit))) {
        bad.push(name + ': covered by ' + (hit ? hit.outerHTML.slice(0, 80)
                                                : 'nothing'));
      }
    });
  });
  return bad;
}"""

LABELS = """root => Array.from(root.querySelectorAll('input, select'))
  .filter(i => !(i.id && root.querySelector(`label[for="${i.id}"]`) &&
                 root.querySelector(`label[for="${i.id}"]`).textContent.trim()))
  .map(i => i.outerHTML.slice(0, 80))"""


def settings_sample(space, count, seed, must=()):
    """``count`` settings from the product ``space``: ``must`` first, then
    a fixed random sample (the same every run)."""
    rest = [s for s in itertools.product(*space) if s not in must]
    return list(must) + random.Random(seed).sample(rest, count - len(must))


class Explorer:
    """One explorer on an open page, driven through its controls."""

    def __init__(self, browser, site, name):
        self.name = name
        self.context, self.page, self.log = open_page(
            browser, site + PAGES[name] + ".html", viewport=WIDE
        )
        self.root = self.page.locator(f'[data-explorer="{name}"]')
        assert self.root.count() == 1, f"{name}: explorer not on its page"
        self.page.wait_for_function(
            "el => el.dataset.ready === '1'", arg=self.root.element_handle()
        )
        self.handle = self.root.element_handle()
        self._snap, self._asked, self._known, self.problems = (
            None,
            {},
            {},
            [],
        )
        assert self.page.evaluate(LABELS, self.handle) == [], (
            "controls without a visible label"
        )

    def control(self, name):
        return self.root.locator(f'[data-control="{name}"]')

    def snapshot(self):
        """What the page shows now (read once after each action)."""
        if self._snap is None:
            self._snap = self.page.evaluate(SNAPSHOT, self.handle)
            for name, value in self._asked.items():
                got = self._snap["texts"].get(f"value-{name}")
                if (self._snap["values"][name], got) != (str(value),) * 2:
                    self.problems.append(
                        f"slider {name} set to {value} shows {got!r}"
                    )
            self._asked = {}
            self._known = dict(self._snap["values"])
        return self._snap

    def slide(self, name, value, dynamic=False):
        """Set a range as a reader does: an arrow key for a step of one,
        else type the value (Playwright's fill fires input and change
        events). ``dynamic``: a slider whose range follows other controls
        (its value may have been clamped since the last read)."""
        if name not in self._known:
            self._known.update(self.snapshot()["values"])
        now = int(self._known[name])
        box = self.control(name)
        if dynamic:
            box.fill(str(value))
        elif abs(value - now) == 1:
            box.press("ArrowRight" if value > now else "ArrowLeft")
        elif value != now:
            box.fill(str(value))
        else:
            return
        self._snap = None
        self._asked[name] = self._known[name] = value

    def choose(self, name, value):
        self.control(name).select_option(str(value))
        self._snap = None

    def tick(self, name, on):
        self.control(name).set_checked(on)
        self._snap = None

    def text(self, role):
        return self.snapshot()["texts"][role]

    def grid(self, role):
        """The cells of a grid: ``[row, column, text, [states]]``."""
        return self.snapshot()["grids"][role]

    def slider_max(self, name):
        return self.snapshot()["maxes"][name]

    def press_cell(self, role, r, c, key=False):
        """Select a cell with the mouse, or with the keyboard (focus, then
        Enter)."""
        cell = self.root.locator(
            f'[data-role="{role}"] [data-r="{r}"][data-c="{c}"]'
        )
        if key:
            cell.focus()
            cell.press("Enter")
        else:
            cell.click()
        self._snap = None

    def readouts_visible(self):
        return self.page.evaluate(HIDDEN_READOUTS, self.handle)

    def js_problems(self):
        """Sliders whose read-out did not follow, JavaScript errors and
        failed requests since the page opened."""
        self.snapshot()
        return (
            self.problems
            + [f"JavaScript error: {e}" for e in self.log["errors"]]
            + [f"failed request: {f}" for f in self.log["failed"]]
        )

    def close(self):
        self.context.close()


@pytest.fixture
def explorer(browser, site, request):
    ex = Explorer(browser, site, request.param)
    yield ex
    try:  # the explorer as the test's interactions left it
        assert_accessible(ex.page, ".convlab-explorer", request.param)
    finally:
        ex.close()


def check_layout(ex, problems):
    """Read-outs visible at 1280 px, then at 768 px."""
    for viewport in (WIDE, NARROW):
        ex.page.set_viewport_size(viewport)
        # below 960 px the theme's sidebars become drawers that slide out of
        # view; wait until they have left the page before probing it
        ex.page.wait_for_function(SIDEBARS_AWAY)
        for problem in ex.readouts_visible():
            problems.append(f"at {viewport['width']} px: {problem}")
    ex.page.set_viewport_size(WIDE)


def same_numbers(shown, values):
    """``shown`` ({(r, c): text}) are the ``values`` (an array) to the four
    significant digits the page prints, and in the same cells."""
    if set(shown) != {tuple(rc) for rc in np.ndindex(values.shape)}:
        return False
    for rc, text in shown.items():
        v = float(values[rc])
        step = 10.0 ** (np.floor(np.log10(abs(v))) - 3) if v else 0.0
        try:
            if abs(float(text) - v) > 0.5 * step + 1e-12:
                return False
        except ValueError:
            return False
    return True


def states(cells, state):
    return {(r, c) for r, c, _, st in cells if state in st}


def shape(cells):
    if not cells:
        return (0, 0)
    return (max(r for r, *_ in cells) + 1, max(c for _, c, *_ in cells) + 1)


# --------------------------------------------------------------- chapter 7

CONV_MUST = [
    (7, 3, 1, 2, 1),
    (3, 3, 0, 1, 2),
    (12, 5, 3, 1, 3),
    (1, 1, 0, 1, 1),
]


@pytest.mark.parametrize("explorer", ["conv_window"], indirect=True)
def test_conv_window_explorer_computes_what_convlab_computes(explorer):
    ex, problems = explorer, []
    space = [range(1, 13), range(1, 6), range(4), range(1, 5), range(1, 4)]
    for step, (n, k, p, s, d) in enumerate(
        settings_sample(space, 26, seed=7, must=CONV_MUST)
    ):
        for name, value in zip("nkpsd", (n, k, p, s, d)):
            ex.slide(name, value)
        setting = f"n={n} k={k} p={p} s={s} d={d}"
        try:
            m = conv_output_size(n, k, s, p, d)
        except ValueError:
            m = 0
        formula = ex.text("formula")
        if m == 0:
            if ex.text("out-size") != "none" or "No output" not in formula:
                problems.append(f"{setting}: page shows {formula!r}")
            if ex.grid("output-grid"):
                problems.append(f"{setting}: an output grid with no output")
            continue
        numbers = f"floor(({n} + 2·{p} − {d}·({k}−1) − 1) / {s}) + 1"
        if ex.text("out-size") != str(m) or numbers not in formula:
            problems.append(f"{setting}: size {m}, page shows {formula!r}")
        # pick an output cell: sliders, a click, or the keyboard
        i, j = (m - 1, m // 2) if step % 2 else (m // 2, m - 1)
        if step % 3 == 0:
            ex.slide("i", i, dynamic=True)
            ex.slide("j", j, dynamic=True)
        else:
            ex.press_cell("output-grid", i, j, key=step % 3 == 2)
        if (ex.text("value-i"), ex.text("value-j")) != (str(i), str(j)):
            problems.append(f"{setting}: selecting ({i}, {j}) not shown")
        out = ex.grid("output-grid")
        if shape(out) != (m, m) or states(out, "selected") != {(i, j)}:
            problems.append(
                f"{setting}: output grid {shape(out)}, selected "
                f"{states(out, 'selected')}, want {m}x{m} and ({i}, {j})"
            )
        cells = ex.grid("input-grid")
        read = {(r - p, c - p) for r, c in states(cells, "read")}
        want = set(window_cells(n, k, p, s, d, (i, j)))
        if shape(cells) != (n + 2 * p,) * 2 or read != want:
            problems.append(
                f"{setting}, out ({i}, {j}): page marks {sorted(read)}, "
                f"window_cells gives {sorted(want)}"
            )
        if ex.slider_max("i") != m - 1:
            problems.append(f"{setting}: the row slider goes past {m - 1}")
    # the largest setting must fit the column at 768 px too
    for name, value in zip("nkpsd", (12, 1, 3, 1, 1)):
        ex.slide(name, value)
    check_layout(ex, problems)
    ex.page.set_viewport_size(NARROW)
    overflow = ex.page.evaluate(
        "r => r.scrollWidth - r.clientWidth", ex.handle
    )
    if overflow > 1:
        problems.append(f"at 768 px the explorer overflows by {overflow}px")
    problems += ex.js_problems()
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------- chapter 9


def torch_pool(image, kind, k, s, p, ceil):
    x = torch.from_numpy(image)[None, None]
    if kind == "max":
        return F.max_pool2d(x, k, s, p, ceil_mode=ceil)[0, 0].numpy()
    return F.avg_pool2d(x, k, s, p, ceil_mode=ceil)[0, 0].numpy()


def convlab_pool(image, kind, k, s, p, ceil):
    pool = pooling.max_pool2d if kind == "max" else pooling.avg_pool2d
    return pool(image[None], k, s, p, ceil_mode=ceil)[0]


@pytest.mark.parametrize("explorer", ["pool_shift"], indirect=True)
def test_pool_shift_explorer_computes_what_torch_computes(explorer):
    ex, problems = explorer, []
    field = ps.pool_shift_field()
    space = [
        range(1, 5),
        range(1, 5),
        range(3),
        (False, True),
        ("max", "avg"),
        ("right", "down"),
    ]
    must = [
        (2, 2, 0, False, "max", "right"),
        (2, 2, 0, False, "max", "down"),
    ]
    for step, (k, s, p, ceil, kind, shift) in enumerate(
        settings_sample(space, 26, seed=9, must=must)
    ):
        ex.slide("k", k)
        ex.slide("s", s)
        ex.slide("p", p)
        ex.tick("ceil", ceil)
        ex.choose("kind", kind)
        ex.choose("shift", shift)
        setting = f"k={k} s={s} p={p} ceil={ceil} {kind} shift {shift}"
        try:
            m = pool_output_size(8, k, s, p, ceil_mode=ceil)
        except ValueError:
            if ex.text("out-size") != "none":
                problems.append(f"{setting}: torch refuses, page does not")
            continue
        images = ps.shifted_images(field, shift)  # before, after the shift
        y, y2 = (torch_pool(a, kind, k, s, p, ceil) for a in images)
        for a in images:
            assert np.allclose(
                convlab_pool(a, kind, k, s, p, ceil),
                torch_pool(a, kind, k, s, p, ceil),
            )
        if ex.text("out-size") != str(m):
            problems.append(
                f"{setting}: size {m}, page {ex.text('out-size')}"
            )
        shown = ex.grid("pooled-grid")
        shown2 = ex.grid("pooled-shifted-grid")
        got = {(r, c): t for r, c, t, _ in shown}
        got2 = {(r, c): t for r, c, t, _ in shown2}
        if not (same_numbers(got, y) and same_numbers(got2, y2)):
            problems.append(
                f"{setting}: page pooled {got} / {got2}, torch {y} / {y2}"
            )
        changed = {tuple(rc) for rc in np.argwhere(y != y2)}
        if states(shown2, "changed") != changed or ex.text(
            "changed-count"
        ) != str(len(changed)):
            problems.append(
                f"{setting}: page highlights {states(shown2, 'changed')} "
                f"(count {ex.text('changed-count')}), torch changes "
                f"{changed}"
            )
        # click (or press Enter on) a pooled value: its window lights up
        i, j = (m - 1, m // 2) if step % 2 else (m // 2, m - 1)
        ex.press_cell("pooled-grid", i, j, key=step % 2 == 1)
        window = {
            (r, c)
            for r in range(i * s - p, i * s - p + k)
            for c in range(j * s - p, j * s - p + k)
            if -p <= r < 8 + p and -p <= c < 8 + p
        }
        lit = {
            (r - p, c - p)
            for r, c in states(ex.grid("input-grid"), "window")
        }
        if lit != window:
            problems.append(
                f"{setting}: pooled ({i}, {j}) lights {sorted(lit)}, its "
                f"window is {sorted(window)}"
            )
    check_layout(ex, problems)
    problems += ex.js_problems()
    assert not problems, "\n".join(problems)


# -------------------------------------------------------------- chapter 10


def rf_settings(count, seed):
    rng = random.Random(seed)
    out = [
        ([(3, 1, 1), (3, 2, 1), (3, 1, 2)], 24, 0),
        ([(3, 1, 2)] * 2, 15, 3),
    ]
    while len(out) < count:
        depth = rng.randint(1, 4)
        layers = [
            (rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 3))
            for _ in range(depth)
        ]
        out.append((layers, rng.randint(4, 32), rng.randint(0, 6)))
    return out


@pytest.mark.parametrize("explorer", ["receptive_field"], indirect=True)
def test_receptive_field_explorer_matches_the_library(explorer):
    ex, problems = explorer, []
    for step, (layers, n, o) in enumerate(rf_settings(24, seed=10)):
        ex.choose("layers", len(layers))
        for idx, (k, s, d) in enumerate(layers, start=1):
            ex.slide(f"k{idx}", k)
            ex.slide(f"s{idx}", s)
            ex.slide(f"d{idx}", d)
        ex.slide("n", n)
        setting = f"layers {layers}, n={n}"
        rf = receptive_field(layers)
        if (ex.text("rf-size"), ex.text("rf-jump")) != (
            str(rf.size),
            str(rf.jump),
        ):
            problems.append(
                f"{setting}: page r={ex.text('rf-size')} "
                f"j={ex.text('rf-jump')}, receptive_field {rf}"
            )
        sizes = [n]
        try:
            for k, s, d in layers:
                sizes.append(conv_output_size(sizes[-1], k, s, 0, d))
        except ValueError:
            if "no output" not in ex.text("cells-line"):
                problems.append(
                    f"{setting}: no output, page does not say so"
                )
            continue
        for level, size in enumerate(sizes):
            role = "input-row" if level == 0 else f"layer-row-{level}"
            if shape(ex.grid(role)) != ((1, size) if size else (0, 0)):
                problems.append(
                    f"{setting}: {role} has {shape(ex.grid(role))}, "
                    f"conv_output_size gives {size}"
                )
        o = min(o, sizes[-1] - 1)
        if step % 2:
            ex.press_cell(
                f"layer-row-{len(layers)}", 0, o, key=step % 4 == 1
            )
        else:
            ex.slide("o", o, dynamic=True)
        if ex.text("value-o") != str(o):
            problems.append(f"{setting}: output {o} not shown as selected")
        want = {rf.start + o * rf.jump + off for off in rf.offsets}
        got = {c for _, c in states(ex.grid("input-row"), "field")}
        if got != want or ex.text("rf-count") != str(len(rf.offsets)):
            problems.append(
                f"{setting}, output {o}: page marks {sorted(got)} "
                f"(count {ex.text('rf-count')}), receptive_field gives "
                f"{sorted(want)}"
            )
    ex.choose("layers", 4)
    check_layout(ex, problems)
    problems += ex.js_problems()
    assert not problems, "\n".join(problems)


# -------------------------------------------------------------- chapter 12


@pytest.mark.parametrize("explorer", ["transposed_stamp"], indirect=True)
def test_transposed_stamp_explorer_matches_torch(explorer):
    ex, problems = explorer, []
    space = [range(1, 5), range(1, 4), range(3), (False, True)]
    must = [(3, 2, 0, False), (4, 2, 0, True), (1, 1, 2, False)]
    n = ts.INPUT.shape[0]
    for step, (k, s, p, ones) in enumerate(
        settings_sample(space, 24, seed=12, must=must)
    ):
        ex.slide("k", k)
        ex.slide("s", s)
        ex.slide("p", p)
        ex.tick("ones", ones)
        setting = f"k={k} s={s} p={p} ones={ones}"
        x = np.ones((n, n)) if ones else ts.INPUT
        w = np.ones((k, k)) if ones else ts.binomial_kernel(k)
        try:
            y = F.conv_transpose2d(
                torch.from_numpy(x)[None, None],
                torch.from_numpy(w)[None, None],
                stride=s,
                padding=p,
            )[0, 0].numpy()
        except RuntimeError:
            if ex.text("out-size") != "none":
                problems.append(f"{setting}: torch refuses, page does not")
            continue
        assert np.allclose(
            conv_transpose2d(
                x[None, None], w[None, None], stride=s, padding=p
            )[0, 0],
            y,
        )
        values = {(r, c): t for r, c, t, _ in ex.grid("value-grid")}
        if ex.text("out-size") != str(y.shape[0]) or not same_numbers(
            values, y
        ):
            problems.append(f"{setting}: page {values}, torch {y}")
        counts = tap_counts(n, k, s, p)
        shown = {(r, c): t for r, c, t, _ in ex.grid("count-grid")}
        want_counts = {
            (r, c): str(v) for (r, c), v in np.ndenumerate(counts)
        }
        row = ", ".join(
            str(v) for v in tap_counts((1, n), (1, k), s, (0, p))[0]
        )
        if shown != want_counts or ex.text("row-counts") != row:
            problems.append(
                f"{setting}: page counts {shown} ({ex.text('row-counts')}),"
                f" tap_counts {want_counts} ({row})"
            )
        a, b = [(1, 1), (0, 3), (3, 0), (2, 2)][step % 4]
        ex.press_cell("input-grid", a, b, key=step % 2 == 1)
        one_hot = torch.zeros(1, 1, n, n, dtype=torch.float64)
        one_hot[0, 0, a, b] = 1.0
        stamp = F.conv_transpose2d(
            one_hot,
            torch.ones(1, 1, k, k, dtype=torch.float64),
            stride=s,
            padding=p,
        )[0, 0]
        want_stamp = {tuple(rc) for rc in np.argwhere(stamp.numpy() != 0)}
        for role in ("value-grid", "count-grid"):
            got = states(ex.grid(role), "stamp")
            if got != want_stamp:
                problems.append(
                    f"{setting}: input ({a}, {b}) stamps {sorted(got)} in "
                    f"{role}, torch {sorted(want_stamp)}"
                )
    check_layout(ex, problems)
    problems += ex.js_problems()
    assert not problems, "\n".join(problems)


# ---------------------------------------------- the Python side, no browser


def test_explorer_data_are_the_library_values():
    data = cw.conv_window_data(7, 3, 1, 2, 1, out=(1, 2))
    assert data["size"] == 4 and data["cells"] == window_cells(
        7, 3, 1, 2, 1, (1, 2)
    )
    pool = ps.pool_shift_data(k=3, s=2, p=1, ceil_mode=True)
    assert pool["size"] == pool_output_size(8, 3, 2, 1, ceil_mode=True)
    field = np.asarray(pool["field"])
    image, right = ps.shifted_images(field, "right")
    assert np.array_equal(right[:, 1:], image[:, :-1])  # moved one pixel
    _, down = ps.shifted_images(field, "down")
    assert np.array_equal(down[1:], image[:-1])
    rf = rfx.receptive_field_data([(3, 2, 1), (5, 1, 2)], n=20)
    assert (rf["size"], rf["jump"]) == receptive_field(
        [(3, 2, 1), (5, 1, 2)]
    )[:2]
    tr = ts.transposed_stamp_data(k=4, s=2, p=1)
    assert tr["size"] == 8 and tr["kernels"]["3"].tolist() == [
        [1, 2, 1],
        [2, 4, 2],
        [1, 2, 1],
    ]
    html = cw.conv_window_explorer().data
    assert html == cw.conv_window_explorer().data  # deterministic for nbval
    assert 'data-explorer="conv_window"' in html and "cellGrid" in html


@pytest.mark.parametrize(
    "call,error,fragment",
    [
        (
            lambda: cw.conv_window_data(n=13),
            ValueError,
            "n must be between 1 and 12",
        ),
        (lambda: cw.conv_window_data(k=0), ValueError, "k must be between"),
        (
            lambda: cw.conv_window_data(n=2, k=3, p=0),
            ValueError,
            "no output",
        ),
        (
            lambda: cw.conv_window_data(out=(4, 0)),
            ValueError,
            "outside the 4x4",
        ),
        (lambda: cw.conv_window_data(s=1.5), TypeError, "s must be an int"),
        (
            lambda: ps.pool_shift_data(k=2, p=2),
            ValueError,
            "more than half",
        ),
        (
            lambda: ps.pool_shift_data(kind="min"),
            ValueError,
            "'max' or 'avg'",
        ),
        (
            lambda: ps.pool_shift_data(shift="left"),
            ValueError,
            "'right' or",
        ),
        (
            lambda: ps.pool_shift_data(ceil_mode=1),
            TypeError,
            "True or False",
        ),
        (lambda: rfx.receptive_field_data([]), ValueError, "1 to 4 layers"),
        (
            lambda: rfx.receptive_field_data([(3, 1)]),
            ValueError,
            "(k, s, d)",
        ),
        (
            lambda: rfx.receptive_field_data([(6, 1, 1)]),
            ValueError,
            "layer 1 k must be between 1 and 5",
        ),
        (
            lambda: rfx.receptive_field_data([(5, 1, 3)] * 3, n=20),
            ValueError,
            "no output",
        ),
        (lambda: ts.transposed_stamp_data(s=4), ValueError, "s must be"),
        (
            lambda: ts.transposed_stamp_data(k=1, s=1, p=2),
            ValueError,
            "no output",
        ),
        (
            lambda: ts.transposed_stamp_data(select=(4, 0)),
            ValueError,
            "select",
        ),
    ],
)
def test_bad_explorer_settings_are_explained(call, error, fragment):
    with pytest.raises(
        error, match=fragment.replace("(", r"\(").replace(")", r"\)")
    ):
        call()
