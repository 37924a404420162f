"""Time until every chart of a page is drawn, in headless Chromium, as a ratio to the same page
with no charts (its scripts blocked) loaded the same way in the same run.

- cold: a fresh browser profile and an emptied server cache (figures rebuilt, plotly.js
  downloaded and compiled);
- warm: a returning visitor, i.e. the same page again in that ordinary (on-disk) profile: figures
  from the server's cache, plotly.js from the browser's HTTP cache and its compiled code from
  V8's code cache (Chromium keeps it from a script's second load on, so two visits come first);
- private: the same page again in a private window (Playwright's default context), which keeps
  the HTTP cache but has no code cache, so plotly.js is compiled on every page;
- full bundle: the private-window visit with plotly's full 4.8 MB bundle in place of our partial
  one, for comparison (a routed response never reaches the code cache, so only this pairing is
  like for like).

Charts are drawn as they near the viewport, so after the load event each visit scrolls to every
chart in turn (a frame or two apart) and waits until the page says all are drawn.

    BENCH_PORT=21080 BENCH_CACHE_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/bench_charts.py

Needs the data loaded (bin/run or import_un_data, seed_risk_model), Redis for the shared cache,
wrk (the harness checks for it) and Debian's chromium. BENCH_RUNS (default 5) warm visits a page.
"""

import os
import shutil
import statistics
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness import prepare_environment, served, setup, warm

CHROMIUM = "/usr/bin/chromium"
RUNS = int(os.getenv("BENCH_RUNS", "5"))
DRAWN = "performance.getEntriesByName('pko:charts-drawn')[0].startTime"
STARTED = "performance.getEntriesByName('pko:charts-start')[0].startTime"
LOADED = "performance.getEntriesByType('navigation')[0].loadEventEnd"
# Charts are drawn as they near the viewport (static/js/charts.js): a reader who scrolls through
# the page at once, a frame or two per chart (as tests/browser/test_home.draw_every_chart does).
BRING_CHARTS_INTO_VIEW = """async () => {
  for (const el of document.querySelectorAll("[data-figure]")) {
    el.scrollIntoView({block: "center"});
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
}"""


def full_bundle() -> bytes:
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


def clear_server_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def warm_every_worker(urls: list[str], session: str, workers: int = 4) -> None:
    """Each gunicorn worker imports the app on its first request: send every page to all of them
    at once, a few times over, so no 'warm' visit meets a worker still starting."""
    with ThreadPoolExecutor(workers * 2) as pool:
        list(pool.map(lambda url: warm([url], session), urls * workers * 3))


def visit(context, url: str, charts: bool) -> tuple[float, float]:
    """ms from navigation start until every chart is drawn (charts) or until load (no charts),
    and of that the ms spent loading plotly.js and drawing (from the first chart near the viewport)."""
    page = context.new_page()
    page.goto(url, wait_until="load", timeout=60_000)
    if charts:
        page.evaluate(BRING_CHARTS_INTO_VIEW)
        page.wait_for_selector("html[data-charts=drawn]", state="attached", timeout=60_000)
        drawn, started = page.evaluate(f"[{DRAWN}, {STARTED}]")
        page.close()
        return drawn, drawn - started
    loaded = page.evaluate(LOADED)
    page.close()
    return loaded, 0.0


def no_charts(context) -> None:
    """Block plotly and our drawing script: the page as it is before any chart exists."""
    context.route("**/static/vendor/plotly*", lambda route: route.abort())
    context.route("**/static/js/charts*", lambda route: route.abort())


def new_context(playwright, profile: bool):
    """An ordinary browser profile in a fresh directory (profile) or a private window, and what
    closes it (the browser too)."""
    args = {"executable_path": CHROMIUM, "args": ["--no-sandbox", "--disable-gpu"]}
    viewport = {"width": 1400, "height": 1000}
    if profile:
        directory = tempfile.mkdtemp(prefix="bench-profile-")
        context = playwright.chromium.launch_persistent_context(directory, viewport=viewport, **args)
        return context, lambda: (context.close(), shutil.rmtree(directory, ignore_errors=True))
    browser = playwright.chromium.launch(**args)
    return browser.new_context(viewport=viewport), browser.close


def measure(playwright, url: str, cookie: dict, charts: bool, profile: bool,
            swap_bundle: bytes | None = None) -> tuple[float, float, float]:
    """(cold ms, median warm ms, median warm ms spent drawing) for one page."""
    context, close = new_context(playwright, profile)
    context.add_cookies([cookie])
    if not charts:
        no_charts(context)
    if swap_bundle is not None:
        context.route("**/static/vendor/plotly-pko*.js", lambda route: route.fulfill(
            body=swap_bundle, content_type="application/javascript",
            headers={"Cache-Control": "max-age=315360000, public, immutable"}))
    clear_server_cache()
    cold, _ = visit(context, url, charts)
    if profile:
        visit(context, url, charts)  # the second load is the one that leaves compiled code behind
    warm_runs = [visit(context, url, charts) for _ in range(RUNS)]
    close()
    return cold, statistics.median(r[0] for r in warm_runs), statistics.median(r[1] for r in warm_runs)


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit("Debian's chromium is not installed (bin/setup installs it as root)")
    prepare_environment()
    session, scenario = setup()
    from playwright.sync_api import sync_playwright

    with served() as base:
        pages = {
            "overview (5 charts)": f"{base}/",
            "mission MINUSCA (5 charts)": f"{base}/missions/MINUSCA/",
            "scenario (5-6 charts)": f"{base}/scenarios/{scenario}/",
            "explorer (1 chart)": f"{base}/scenarios/explorer/",
        }
        warm_every_worker(list(pages.values()), session)
        cookie = {"name": "sessionid", "value": session, "url": base}
        full = full_bundle()
        with sync_playwright() as playwright:
            results = {}
            for name, url in pages.items():
                results[name] = {
                    "charts": measure(playwright, url, cookie, charts=True, profile=True),
                    "bare": measure(playwright, url, cookie, charts=False, profile=True),
                    "private": measure(playwright, url, cookie, charts=True, profile=False),
                    "private bare": measure(playwright, url, cookie, charts=False, profile=False),
                    "full": measure(playwright, url, cookie, charts=True, profile=False, swap_bundle=full),
                }
    print(f"headless Chromium 1400x1000, gunicorn 4 workers; warm = median of {RUNS} visits; ratio = time until "
          "every chart is drawn / the same page loaded the same way with no charts")
    print(f"{'page':28s} {'cold: charts / none':>22s} {'ratio':>6s}   {'warm: charts / none':>20s} {'ratio':>6s}"
          f" {'drawing':>8s}   {'private: charts / none':>22s} {'ratio':>6s}   {'private, full bundle':>20s}")
    met = True
    for name, r in results.items():
        (cold, warm_ms, drawing), (bare_cold, bare_warm, _) = r["charts"], r["bare"]
        (_, private, _), (_, private_bare, _), (_, full, _) = r["private"], r["private bare"], r["full"]
        met = met and warm_ms < 1000
        print(f"{name:28s} {cold:7.0f} ms / {bare_cold:5.0f} ms {cold / bare_cold:6.1f}x   "
              f"{warm_ms:6.0f} ms / {bare_warm:4.0f} ms {warm_ms / bare_warm:6.1f}x {drawing:5.0f} ms   "
              f"{private:7.0f} ms / {private_bare:5.0f} ms {private / private_bare:6.1f}x   "
              f"{full:7.0f} ms ({full / private_bare:4.1f}x)")
    print(f"target (every page's charts drawn in under 1 s, warm): {'met' if met else 'NOT met'}")

if __name__ == "__main__":
    main()
