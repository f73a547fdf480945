"""The dashboard in a browser: file size, time to the first screen, and time per keystroke.

    python bench/dashboard.py [--sizes 59,10000] [--runs 5] [--before PYTHON] [--publish]

For each registry size the CLI writes the dashboard (a fresh process, as a person runs it), and
headless Chromium (the OS chromium and chromedriver, as tests/exports/test_browser.py drives them)
opens it at 1440×900, round after round:

- first screen: from navigation start to the page's `workplan-ready` mark (data read, headline,
  overdue list, charts and the rows in view drawn) and on to the next painted frame;
- the baseline, in the same rounds: an empty page of the same size of file (the browser reading
  and parsing that many bytes and painting nothing), and a blank page;
- the search text folded: the page folds every item's text in small slices after the first
  screen (`workplan-indexed`); typing starts once that is done, as a reader looks at the first
  screen before typing;
- keystrokes: "食品安全" typed one character at a time into the filter box, each measured from the
  input event to the end of the first frame drawn after the page's `workplan-updated` mark (a
  message posted from that frame's animation callback arrives once its style, layout and paint are
  done; any wait the page adds before updating is included), the start of the frame after that
  (what earlier versions of this bench reported: one frame more), and the update itself
  (`workplan-update-start` to `workplan-updated`).

It prints a table with medians and ratios to the same-size empty page, writes JSON to
bench/results/dashboard-latest.json (git-ignored), and with --publish bench/DASHBOARD.md.
No timing is asserted anywhere: these are measurements.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (bench/ is not a package: the registry files and the workplan command)

TYPED = "食品安全"
VIEWPORT = (1440, 900)
AS_OF = "2024-10-20"

# Waits for the painted frame after a mark: two animation frames, the second after the paint.
AFTER_PAINT = "requestAnimationFrame(function () { requestAnimationFrame(function () { done(performance.now()); }); });"

FIRST_SCREEN = """
var done = arguments[arguments.length - 1];
function check() {
  var ready = performance.getEntriesByName('workplan-ready');
  if (!ready.length) { setTimeout(check, 5); return; }
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    done({ready: ready[0].startTime, painted: performance.now(),
          fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null});
  }); });
}
check();
"""

INDEXED = """
var done = arguments[arguments.length - 1];
(function check() {
  var marks = performance.getEntriesByName('workplan-indexed');
  if (marks.length) done(marks[0].startTime); else setTimeout(check, 5);
})();
"""

KEYSTROKE = """
var ch = arguments[0], done = arguments[arguments.length - 1];
var box = document.getElementById('f-text');
var before = performance.getEntriesByName('workplan-updated').length;
var t0 = performance.now();
box.value += ch;
box.dispatchEvent(new InputEvent('input', {bubbles: true, data: ch, inputType: 'insertText'}));
var handler = performance.now() - t0;
// At each frame from the keystroke on: once the page has marked its update, a message posted from
// that frame's callback is handled as soon as the frame is drawn (style, layout and paint).
function frame() {
  var marks = performance.getEntriesByName('workplan-updated');
  if (marks.length === before) { requestAnimationFrame(frame); return; }
  var starts = performance.getEntriesByName('workplan-update-start');
  var update = marks[marks.length - 1].startTime - starts[starts.length - 1].startTime;
  var channel = new MessageChannel();
  channel.port1.onmessage = function () {
    var painted = performance.now() - t0;
    requestAnimationFrame(function () {
      done({total: painted, next_frame: performance.now() - t0, handler: handler, update: update,
            count: document.getElementById('count').textContent});
    });
  };
  channel.port2.postMessage(0);
}
requestAnimationFrame(frame);
"""


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        raise SystemExit("bench/dashboard.py needs chromium and chromedriver (apt install chromium chromium-driver)")
    options = Options()
    options.binary_location = browser
    profile = tempfile.mkdtemp(prefix="workplan-bench-chromium-")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                     f"--user-data-dir={profile}", f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}", "--lang=zh-CN"):
        options.add_argument(argument)
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    chrome.set_script_timeout(60)
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False})
    chrome.version = chrome.capabilities.get("browserVersion", "?")
    return chrome, profile


def write_dashboard(size: int, seed: int, results: Path, python: str, name: str = "") -> Path:
    data = run.registry_file(size, seed, results)
    out = results / "out" / (name or f"dashboard-{size}.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    env = run.child_env(results)
    subprocess.run([*run.workplan_argv(python), "dashboard", "--html", str(out), "--data", str(data), "--as-of", AS_OF],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return out


def empty_page_like(page: Path) -> Path:
    """A page of the same size that draws nothing: the bytes sit in an inert element."""
    size = page.stat().st_size
    head = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>-</title></head><body><p>-</p>"
    tail = "</body></html>\n"
    filler = "x" * max(0, size - len(head) - len(tail) - len("<template></template>"))
    target = page.with_name(page.stem + "-empty.html")
    target.write_text(head + "<template>" + filler + "</template>" + tail, encoding="utf-8")
    return target


def load_page(driver, path: Path) -> float:
    """Milliseconds from navigation start to the first painted frame of a page with no script."""
    driver.get("about:blank")
    driver.get(path.resolve().as_uri())
    return driver.execute_async_script("var done = arguments[0]; " + AFTER_PAINT)


def measure(sizes: list[int], runs: int, seed: int, results: Path, python: str, before: str | None = None) -> dict:
    driver, profile = chromium()
    rows = []
    loads = [os.getloadavg()[0]]
    try:
        blank = results / "out" / "blank.html"
        blank.parent.mkdir(parents=True, exist_ok=True)
        blank.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>-</title></head><body></body></html>\n",
                         encoding="utf-8")
        for size in sizes:
            # The version measured and, with --before, another one: the same rounds, turn about.
            pages = {"": write_dashboard(size, seed, results, python)}
            if before:
                pages["before"] = write_dashboard(size, seed, results, before, name=f"dashboard-{size}-before.html")
            empty = empty_page_like(pages[""])
            base, blank_ms = [], []
            seen = {version: {"first": [], "ready": [], "fcp": [], "indexed": [], "keys": []} for version in pages}
            print(f"size {size:,}: {pages[''].stat().st_size / 1e6:.2f} MB, {runs} rounds", file=sys.stderr)
            for round_no in range(runs + 1):  # round 0 warms the browser's caches and is not kept
                blank_t = load_page(driver, blank)
                empty_t = load_page(driver, empty)
                if round_no:
                    blank_ms.append(blank_t)
                    base.append(empty_t)
                for version, page in pages.items():
                    driver.get("about:blank")
                    driver.get(page.resolve().as_uri())
                    screen = driver.execute_async_script(FIRST_SCREEN)
                    indexed_at = driver.execute_async_script(INDEXED)
                    typed = [driver.execute_async_script(KEYSTROKE, ch) for ch in TYPED]
                    if round_no == 0:
                        continue
                    got = seen[version]
                    got["first"].append(screen["painted"])
                    got["ready"].append(screen["ready"])
                    got["indexed"].append(indexed_at)
                    if screen["fcp"]:
                        got["fcp"].append(screen["fcp"])
                    got["keys"] += typed
                loads.append(os.getloadavg()[0])
            for version, page in pages.items():
                got, keys = seen[version], seen[version]["keys"]
                rows.append({
                    "size": size,
                    "version": version,
                    "file_mb": round(page.stat().st_size / 1e6, 3),
                    "runs": runs,
                    "first_screen_ms": round(statistics.median(got["first"]), 1),
                    "first_screen_max_ms": round(max(got["first"]), 1),
                    "ready_mark_ms": round(statistics.median(got["ready"]), 1),
                    "text_folded_ms": round(statistics.median(got["indexed"]), 1),
                    "first_contentful_paint_ms": round(statistics.median(got["fcp"]), 1) if got["fcp"] else None,
                    "empty_same_size_ms": round(statistics.median(base), 1),
                    "blank_page_ms": round(statistics.median(blank_ms), 1),
                    "x_empty_same_size": round(statistics.median(got["first"]) / statistics.median(base), 2),
                    "keystroke_ms": round(statistics.median(k["total"] for k in keys), 1),
                    "keystroke_max_ms": round(max(k["total"] for k in keys), 1),
                    "keystroke_next_frame_ms": round(statistics.median(k["next_frame"] for k in keys), 1),
                    "keystroke_handler_ms": round(statistics.median(k["handler"] for k in keys), 2),
                    "update_ms": round(statistics.median(k["update"] for k in keys), 1),
                    "update_max_ms": round(max(k["update"] for k in keys), 1),
                    "after_typing": keys[-1]["count"],
                })
    finally:
        version = driver.version
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return {
        "meta": {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "platform": platform.platform(),
                 "cpus": os.cpu_count(), "chromium": version, "viewport": list(VIEWPORT), "as_of": AS_OF,
                 "typed": TYPED, "seed": seed, "runs": runs, "before": before,
                 "load": [round(min(loads), 1), round(max(loads), 1)]},
        "rows": rows,
        "targets": targets([row for row in rows if not row["version"]]),
    }


def targets(rows: list[dict]) -> list[dict]:
    """The goals of issue 17 at 10,000 items."""
    out = []
    for row in rows:
        if row["size"] != 10000:
            continue
        out += [
            {"target": "10k: first screen ≤ 1.5 s", "measured": f"{row['first_screen_ms'] / 1000:.2f} s",
             "met": row["first_screen_ms"] <= 1500},
            {"target": "10k: keystroke to painted result ≤ 100 ms", "measured": f"{row['keystroke_ms']:.0f} ms",
             "met": row["keystroke_ms"] <= 100},
            {"target": "10k: file ≤ 4 MB", "measured": f"{row['file_mb']:.2f} MB", "met": row["file_mb"] <= 4},
        ]
    return out


def markdown(report: dict) -> str:
    meta = report["meta"]
    lines = [
        f"Measured {meta['when']} on {meta['platform']}, {meta['cpus']} CPUs, headless Chromium {meta['chromium']} at "
        f"{meta['viewport'][0]}×{meta['viewport'][1]}, `--as-of {meta['as_of']}`; median of {meta['runs']} rounds "
        f"(one unmeasured round first), load average {meta['load'][0]}–{meta['load'][1]} during the run. "
        f"Keystrokes: “{meta['typed']}” typed one character at a time."
        + (" “before” rows: the same rounds with the version from the interpreter given as --before." if meta.get("before") else ""),
        "",
        "| items | version | file | first screen | × empty page of that size | empty page of that size | blank page "
        "| search text folded | keystroke → painted result | (max) | → the frame after | update itself | (max) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["rows"]:
        lines.append(f"| {r['size']:,} | {r['version'] or 'this'} | {r['file_mb']:.2f} MB | {r['first_screen_ms']:.0f} ms | {r['x_empty_same_size']:.2f} "
                     f"| {r['empty_same_size_ms']:.0f} ms | {r['blank_page_ms']:.0f} ms | {r['text_folded_ms']:.0f} ms "
                     f"| {r['keystroke_ms']:.0f} ms "
                     f"| {r['keystroke_max_ms']:.0f} ms | {r['keystroke_next_frame_ms']:.0f} ms "
                     f"| {r['update_ms']:.0f} ms | {r['update_max_ms']:.0f} ms |")
    lines += ["", "| target | measured | met |", "|---|---:|:---:|"]
    for t in report["targets"]:
        lines.append(f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the dashboard in headless Chromium.")
    parser.add_argument("--sizes", default="59,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--python", default=sys.executable, help="interpreter with workplan installed")
    parser.add_argument("--before", metavar="PYTHON", help="also measure the version this interpreter has installed")
    parser.add_argument("--publish", action="store_true", help="also write bench/DASHBOARD.md")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = args.results.resolve()
    results.mkdir(parents=True, exist_ok=True)
    report = measure(sizes, args.runs, args.seed, results, args.python, args.before)
    (results / "dashboard-latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                                                   encoding="utf-8")
    text = markdown(report)
    if args.publish:
        (HERE / "DASHBOARD.md").write_text("# Dashboard in Chromium (`python bench/dashboard.py --publish`)\n\n" + text,
                                           encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
