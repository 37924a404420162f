"""The partial plotly.js bundle draws every trace type our figure builders make, and pages load
it (deferred) instead of the full 4.8 MB bundle."""

import re
from pathlib import Path

import plotly.offline
import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILDERS = ["missions/charts.py", "risks/charts.py", "pkoanalysis/chartstyle.py"]
BUNDLE = ROOT / "static/vendor/plotly-pko.min.js"


def traces_built() -> set[str]:
    """Trace types the page figure builders create: every go.<Trace>( call but go.Figure."""
    names = set()
    for path in BUILDERS:
        names |= set(re.findall(r"\bgo\.([A-Z][A-Za-z]+)\(", (ROOT / path).read_text()))
    return {name.lower() for name in names} - {"figure"}


def traces_bundled() -> set[str]:
    entry = (ROOT / "tools/plotly-bundle/index.js").read_text()
    return ({"scatter"} | set(re.findall(r"require\('plotly\.js/lib/(\w+)'\)", entry))) - {"core"}


def test_the_bundle_registers_every_trace_type_the_figure_builders_make():
    built = traces_built()
    assert {"bar", "scatter", "scattergeo"} <= built  # the scan finds what is there
    missing = built - traces_bundled()
    assert not missing, (f"add {sorted(missing)} to tools/plotly-bundle/index.js and run "
                         "tools/plotly-bundle/build.sh")


def test_the_built_bundle_matches_its_entry_and_the_python_plotly_version():
    banner = BUNDLE.read_text()[:300]
    assert f"plotly.js v{plotly.offline.get_plotlyjs_version()} " in banner
    assert set(re.search(r"partial bundle for pkoanalysis: ([a-z, ]+)\.", banner).group(1).split(", ")) \
        == traces_bundled()
    assert BUNDLE.stat().st_size < 2_000_000  # the full bundle is 4.8 MB


@pytest.mark.django_db
def test_chart_pages_name_the_partial_bundle_for_charts_js_to_load_and_spanish_pages_its_locale(analyst_client):
    html = analyst_client.get("/").content.decode()
    head = html.split("</head>")[0]
    assert "plotly" not in head  # nothing blocks the first paint
    # plotly.js is no script tag of the page: charts.js loads it when a chart nears the viewport.
    assert not re.search(r"<script[^>]+src=\"[^\"]*plotly", html)
    assert re.search(r'<script src="/static/js/charts\.js" defer id="charts-js"', html)
    assert 'data-plotly="/static/vendor/plotly-pko.min.js"' in html
    assert "plotly.min.js" not in html and "plotly-locale-es" not in html
    analyst_client.cookies["django_language"] = "es"
    spanish = analyst_client.get("/").content.decode()
    assert 'data-plotly-locale="/static/vendor/plotly-locale-es.js"' in spanish
    assert 'data-locale="es"' in spanish
