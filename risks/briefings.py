"""Client briefings: a scenario's result -> PDF / XLSX / CSV bytes (pretix-style exporters).

Each renderer takes a BriefingData (assembled by briefing_service.briefing_data) and returns bytes;
nothing here queries the database. Chart images come from kaleido, which drives Debian's
chromium: its server starts once per process, then a figure costs ~0.2 s.
"""

from __future__ import annotations

import base64
import csv
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from missions import charts as mission_charts
from pkoanalysis.spreadsheets import formula_safe as cell
from risks import charts

CSV_COLUMNS = ["mission", "selected", "functions", "feasibility", "risk", "opportunity", "net", "p10", "p50", "p90",
               "p_positive", "topsis", "rank"]
_kaleido_lock = threading.Lock()
_kaleido_started = False


@dataclass
class BriefingData:
    """Everything a briefing shows. options/contributions/... are the ScenarioResult lists."""

    scenario_id: int
    name: str
    owner: str
    mode: str
    mode_code: str
    size: int
    duration_months: int
    missions: list[str]
    functions: list[str]
    aggregation: str
    category_weights: dict[str, float]
    factor_weights: dict[str, float]
    strict_gates: list[str]
    notes: str
    result: dict
    factor_names: dict[str, str]
    factor_sources: dict[str, str]
    factor_kinds: dict[str, str]
    category_names: dict[str, str]
    gate_names: dict[str, str]
    mexico_monthly: pd.Series
    data_date: object
    data_files: list[dict] = field(default_factory=list)
    stale: bool = False


def figure_png(fig: go.Figure, width: int = 900, height: int = 420) -> bytes:
    """PNG bytes of a figure through kaleido's sync server (started once per process)."""
    import kaleido

    global _kaleido_started
    with _kaleido_lock:
        if not _kaleido_started:
            kaleido.start_sync_server(silence_warnings=True)
            _kaleido_started = True
        return kaleido.calc_fig_sync(fig, opts={"format": "png", "width": width, "height": height, "scale": 2})


def figures(data: BriefingData) -> list[tuple[str, go.Figure, int]]:
    """(caption, figure, height) for the briefing, in reading order."""
    r = data.result
    verdicts = {"feasible": _("Feasible"), "conditional": _("Conditional"), "infeasible": _("Infeasible")}
    by_category = pd.DataFrame(r["contributions"]).groupby("category")["contribution"].sum().sort_values()
    category_fig = go.Figure(go.Bar(
        x=by_category.to_numpy(), y=[mission_charts.as_text(data.category_names.get(c, c)) for c in by_category.index],
        orientation="h",
        marker={"color": ["#b3261e" if v < 0 else "#2e7d4f" for v in by_category.to_numpy()]}))
    mission_charts.base_layout(category_fig, title=_("Net contribution by category"), height=360, legend=False)
    category_fig.update_layout(margin={"l": 240})
    mexico = data.mexico_monthly
    mexico_fig = go.Figure(go.Bar(x=mexico.index, y=mexico.to_numpy(), marker={"color": "#006341"}))
    mission_charts.base_layout(mexico_fig, title=_("Mexico's uniformed personnel in UN operations, 2015-2025"),
                               height=320, legend=False)
    items = [
        (_("Risk against opportunity for every mission (chosen missions labelled)"),
         charts.risk_opportunity(r["options"], verdicts), 420),
        (_("Contribution of each factor to the net score"), charts.waterfall(r["contributions"], data.factor_names,
                                                                            r["net"]), 480),
        (_("Net contribution by category"), category_fig, 360),
        (_("Uncertainty of the net score"), charts.distribution(r["distribution"], r["p10"], r["p50"], r["p90"],
                                                                r["p_positive"]), 360),
        (_("Sensitivity (tornado)"), charts.tornado(r["sensitivity"], data.factor_names, r["net"]), 460),
        (_("Context: Mexico's deployments"), mexico_fig, 320),
    ]
    if r.get("rank_acceptability"):
        items.append((_("Rank acceptability"), charts.acceptability(r["rank_acceptability"]), 260))
    return items


def summary(data: BriefingData) -> list[str]:
    """The executive summary, written from the results (in the active language)."""
    r = data.result
    chosen = [o for o in r["options"] if o["selected"]]
    usable = sorted([o for o in chosen if not o.get("excluded_by", o["feasibility"] == "infeasible")],
                    key=lambda o: -o["net"])
    verdict = {"feasible": _("feasible"), "conditional": _("feasible under conditions"),
               "infeasible": _("not feasible as specified")}[r["feasibility"]]
    lines = [_("Sending %(size)s people as %(mode)s to %(missions)s for %(months)s months is %(verdict)s.") % {
        "size": data.size, "mode": data.mode.lower(), "missions": ", ".join(data.missions),
        "months": data.duration_months, "verdict": verdict}]
    if usable:
        best = usable[0]
        text = (_("The strongest admissible option is %(mission)s (net score %(net)+.3f, ranked %(rank)s of %(n)s "
                  "missions for the same question; a %(p)s chance that its net score is positive).")
                if best["feasibility"] == "feasible" else
                _("The strongest admissible option, %(mission)s, is only conditional (net score %(net)+.3f, ranked "
                  "%(rank)s of %(n)s missions for the same question; a %(p)s chance that its net score is positive)."))
        lines.append(text % {"mission": best["mission"], "net": best["net"], "rank": best["rank"] or "–",
                             "n": len(r["options"]), "p": f"{best['p_positive']:.0%}"})
    if "expected_fatalities" in r:
        lines.append(_("Expected fatalities over the deployment: %(ef).3f (a %(p)s chance of at least one); net "
                       "cost to Mexico about US$%(usd).1f million a year.") % {
            "ef": r["expected_fatalities"], "p": f"{r['p_any_fatality']:.1%}", "usd": r["net_cost_usd"] / 1e6})
    blocked = [o["mission"] for o in chosen if o.get("excluded_by", o["feasibility"] == "infeasible")]
    if blocked:
        lines.append(_("Excluded (a gate or a deal-breaker): %(m)s.") % {"m": ", ".join(blocked)})
    gates = sorted({data.gate_names.get(x["gate"], x["gate"]) for e in r["reasons"] for x in e["reasons"]})
    if gates:
        lines.append(_("Safeguards to satisfy: %(g)s.") % {"g": "; ".join(gates)})
    contributions = sorted(r["contributions"], key=lambda c: c["contribution"])
    risks = [data.factor_names[c["factor"]] for c in contributions[:3] if c["contribution"] < 0]
    opportunities = [data.factor_names[c["factor"]] for c in contributions[::-1][:3] if c["contribution"] > 0]
    if risks:
        lines.append(_("Main risks: %(r)s.") % {"r": "; ".join(risks)})
    if opportunities:
        lines.append(_("Main opportunities: %(o)s.") % {"o": "; ".join(opportunities)})
    lines.append(_("Across 1,000 simulations the portfolio's net score lies between %(p10)+.3f and %(p90)+.3f "
                   "(P10-P90) and is positive in %(p)s of them.") % {
        "p10": r["p10"], "p90": r["p90"], "p": f"{r['p_positive']:.0%}"})
    return lines


def render_pdf(data: BriefingData, *, language: str = "en", paper: str = "a4", client: str = "", firm: str = "",
               with_charts: bool = True, progress: Callable[[int, int], None] | None = None) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        items = figures(data) if with_charts else []
        images = []
        for done, (caption, fig, height) in enumerate(items, start=1):
            png = figure_png(fig, height=height)
            images.append({"caption": caption, "src": "data:image/png;base64," + base64.b64encode(png).decode()})
            if progress:
                progress(done, len(items) + 1)
        chosen = [o for o in data.result["options"] if o["selected"]]
        html = render_to_string("briefings/briefing.html", {
            "d": data, "r": data.result, "chosen": chosen, "images": images, "summary": summary(data),
            "paper": "Letter" if paper == "letter" else "A4", "client": client, "firm": firm,
            "today": timezone.now().date(), "weights": weight_rows(data), "factors": factor_rows(data),
            "reasons": [{"mission": e["mission"], "reasons": [
                {"gate": data.gate_names.get(x["gate"], x["gate"]), "level": x["level"]} for x in e["reasons"]]}
                for e in data.result["reasons"]],
            "language": language,
        })
        pdf = HTML(string=html).write_pdf()
        if progress:
            progress(len(items) + 1, len(items) + 1)
        return pdf


def weight_rows(data: BriefingData) -> list[dict]:
    return [{"category": name, "weight": data.category_weights.get(code, 1.0)}
            for code, name in data.category_names.items()]


def factor_rows(data: BriefingData) -> list[dict]:
    contributions = {c["factor"]: c["contribution"] for c in data.result["contributions"]}
    rows = [{"name": data.factor_names[code], "kind": data.factor_kinds[code], "source": data.factor_sources[code],
             "contribution": contributions.get(code, 0.0), "weight": data.factor_weights.get(code, 1.0)}
            for code in data.factor_names]
    return sorted(rows, key=lambda r: r["contribution"])


def render_csv(data: BriefingData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for option in data.result["options"]:
        writer.writerow([cell(option[c] if c != "functions" else "+".join(option[c])) for c in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def render_xlsx(data: BriefingData, *, language: str = "en") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(language):
        book = Workbook()
        inputs = book.active
        inputs.title = _("Inputs")[:31]
        rows = [
            (_("Scenario"), data.name), (_("Contribution mode"), data.mode), (_("Personnel"), data.size),
            (_("Duration (months)"), data.duration_months), (_("Missions"), ", ".join(data.missions)),
            (_("Functions"), ", ".join(data.functions)), (_("Aggregation"), data.aggregation),
            (_("Strict gates"), ", ".join(data.strict_gates) or "–"),
            (_("Input fingerprint"), data.result["fingerprint"]), (_("Data up to"), str(data.data_date)),
            (_("Stale when exported"), _("yes") if data.stale else _("no")),
        ]
        rows += [(f"{_('Weight')}: {name}", data.category_weights.get(code, 1.0))
                 for code, name in data.category_names.items()]
        for row in rows:
            inputs.append([cell(v) for v in row])
        results = book.create_sheet(_("Results")[:31])
        results.append(CSV_COLUMNS)
        for option in data.result["options"]:
            results.append([cell(option[c] if c != "functions" else "+".join(option[c])) for c in CSV_COLUMNS])
        contributions = book.create_sheet(_("Contributions")[:31])
        contributions.append([_("Factor"), _("Kind"), _("Category"), _("Contribution to net score")])
        for c in data.result["contributions"]:
            contributions.append([cell(data.factor_names.get(c["factor"], c["factor"])),
                                  data.factor_kinds.get(c["factor"], ""),
                                  data.category_names.get(c["category"], c["category"]), c["contribution"]])
        sources = book.create_sheet(_("Sources")[:31])
        sources.append([_("Source"), _("Detail")])
        for f in data.data_files:
            sources.append([f["dataset"], f"{f['filename']} ({f['rows']} rows, to {f['last_month']})"])
        for code, name in data.factor_names.items():
            sources.append([cell(name), cell(data.factor_sources[code])])
        for sheet in book.worksheets:
            for header in sheet[1]:
                header.font = Font(bold=True)
            for column in sheet.columns:
                sheet.column_dimensions[column[0].column_letter].width = min(
                    60, max(12, *(len(str(c.value or "")) for c in column[:200])))
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
