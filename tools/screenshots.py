"""Screenshots of every main page at a desktop and a phone width, in English and Spanish, for
looking at by eye (issue 13's "done when"). Also prints each page's width, so horizontal overflow
shows up in the terminal, and any console error.

    .venv/bin/python tools/screenshots.py http://127.0.0.1:8000 [--password pko-demo-2026] [--only missions]

The server must hold the demo data (bin/run). Files go to artifacts/screens/<lang>-<width>-<page>.png.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
# Charts are drawn as they near the viewport (static/js/charts.js): scroll to each in turn, a frame
# or two apart, as a reader would (the browser tests use it too: tests/browser/test_home.py).
BRING_CHARTS_INTO_VIEW = """async () => {
  for (const el of document.querySelectorAll("[data-figure]")) {
    el.scrollIntoView({block: "center"});
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
}"""
VIEWPORTS = {"1400": (1400, 1000), "390": (390, 844)}
PAGES = {
    "overview": "/",
    "missions": "/missions/",
    "mission": "/missions/MINUSCA/",
    "mission-minurso": "/missions/MINURSO/",
    "scenarios": "/scenarios/",
    "scenario": None,  # the first scenario in the list
    "explorer": "/scenarios/explorer/",
    "builder": "/scenarios/new/",
    "compare": None,  # the first two scenarios
    "plans": "/plans/",
    "plan-form": "/plans/new/",
    "plan": None,  # the first plan in the list
    "admin": "/admin/",
    "api-docs": "/api/docs/",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="pko-demo-2026")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--langs", default="en,es")
    parser.add_argument("--widths", default="1400,390")
    args = parser.parse_args()
    out = ROOT / "artifacts" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width in args.widths.split(","):
            w, h = VIEWPORTS[width]
            context = browser.new_context(viewport={"width": w, "height": h})
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{args.base}/accounts/login/")
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("form button[type=submit]:not([name])")
            page.wait_for_load_state("networkidle")
            page.goto(f"{args.base}/scenarios/")
            ids = [re.search(r"/scenarios/(\d+)/", a).group(1)
                   for a in page.eval_on_selector_all("table a[href*='/scenarios/']", "els => els.map(e => e.href)")
                   if re.search(r"/scenarios/(\d+)/$", a)]
            page.goto(f"{args.base}/plans/")
            plans = [a for a in page.eval_on_selector_all("a[href*='/plans/']", "els => els.map(e => e.href)")
                     if re.search(r"/plans/\d+/$", a)]
            pages = dict(PAGES, scenario=f"/scenarios/{ids[0]}/" if ids else "/scenarios/",
                         compare=f"/scenarios/compare/?ids={','.join(ids[:2])}",
                         plan=re.sub(r"^https?://[^/]+", "", plans[0]) if plans else "/plans/")
            for lang in args.langs.split(","):
                # The language lives in a cookie (the switch in the top bar sets it), not in the path.
                context.add_cookies([{"name": "django_language", "value": lang, "url": args.base}])
                for name, path in pages.items():
                    if only and name not in only:
                        continue
                    errors.clear()
                    page.goto(f"{args.base}{path}")
                    page.wait_for_load_state("networkidle")
                    if page.locator("[data-figure]").count():
                        # Charts are drawn as they near the viewport (static/js/charts.js): bring
                        # each into view so the full-page screenshot holds them all.
                        page.evaluate(BRING_CHARTS_INTO_VIEW)
                        page.wait_for_selector("html[data-charts=drawn]", state="attached", timeout=30_000)
                        page.evaluate("window.scrollTo(0, 0)")
                    page.wait_for_timeout(300)
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    file = out / f"{lang}-{width}-{name}.png"
                    page.screenshot(path=str(file), full_page=True)
                    flag = "  OVERFLOW" if scroll > w else ""
                    print(f"{lang} {width:>4} {name:16s} width {scroll}{flag}  {file.relative_to(ROOT)}"
                          + (f"  console: {errors}" if errors else ""))
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
