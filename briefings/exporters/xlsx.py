from __future__ import annotations

import io

from django.utils.translation import gettext as _

from briefings.content import briefing_content, verdict_name
from briefings.exporters.base import Exporter
from briefings.exporters.csv import option_index, scored
from pkoanalysis.spreadsheets import formula_safe as cell
from risks import scale

SCORE = "+0.000;-0.000;0.000"
SHARE = "0%"
NUMBER = "0.000"
INDEX = "0"


class XlsxExporter(Exporter):
    """A workbook a client opens in Excel: a sheet per section, headers in the briefing's
    language, number formats, frozen header rows and filters; missions the scenario did not
    score are left empty, never 0."""

    identifier, extension = "xlsx", "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def content(self) -> bytes:
        from openpyxl import Workbook

        d, r, c = self.data, self.data.result, briefing_content(self.data)
        anchor = scale.anchor(r["options"])
        book = Workbook()
        summary = book.active
        summary.title = _("Summary")[:31]
        summary.append([_("Recommendation")])
        condition, caveat, risk, change = _("Condition"), _("Legal caveat"), _("Risk"), _("What would change it")
        lines = [c["rec"]["headline"], *c["rec"]["why"],
                 *[f"{condition}: {x['action']} ({x['gate']}) {x['mark']}" for x in c["rec"]["conditions"]],
                 *[f"{caveat}: {x['action']} ({x['gate']}) {x['mark']}" for x in c["rec"]["caveats"]],
                 *[f"{risk}: {x['name']} {x['mark']}: {x['mitigation']}" for x in c["rec"]["risks"]],
                 *[f"{change}: {line}" for line in c["rec"]["change"]],
                 c["rec"]["confidence"], c["rec"]["today"], c["rec"]["changes"], c["rec"]["partner"],
                 c["rec"]["when"], *c["rec"]["why_not"]]
        for line in filter(None, lines):
            summary.append([cell(line)])
        summary.column_dimensions["A"].width = 120

        inputs = self.sheet(book, _("Inputs"), [_("Item"), _("Value")])
        for row in [(_("Question"), c["question"]), (_("Scenario"), d.name), (_("Client"), self.client),
                    (_("Prepared by"), self.firm), (_("Contribution mode"), d.mode), (_("Personnel"), d.size),
                    (_("Duration (months)"), d.duration_months), (_("Missions"), ", ".join(d.missions)),
                    (_("Functions"), ", ".join(d.functions)), (_("Ranking"), d.aggregation),
                    (_("Gates applied strictly"), ", ".join(d.strict_gates) or "–"),
                    (_("Deal-breakers"), "; ".join(d.dealbreakers) or "–"),
                    (_("Input fingerprint"), r["fingerprint"]), (_("Data up to"), c["data_date"]),
                    (_("Stale when exported"), _("yes") if d.stale else _("no")),
                    (_("Index"), _("0 = not deploying, 100 = the best admissible mission under this scenario's mode, "
                                   "tasks and weights; empty for an option a safeguard gate or a deal-breaker excludes. "
                                   "Raw net score: opportunities minus risks, from which the index is read.")),
                    (_("Raw net score at index 100"), anchor if anchor is not None else "–")]:
            inputs.append([cell(v) for v in row])
        weight = _("Weight")
        for code, name in d.category_names.items():
            inputs.append([cell(f"{weight}: {name}"), float(d.category_weights.get(code, 1.0))])
            inputs.cell(inputs.max_row, 2).number_format = SHARE

        options = self.sheet(book, _("Options"), [
            _("Mission"), _("Chosen"), _("Functions"), _("Verdict"), _("Excluded by"), _("Index"), _("Index P10"),
            _("Index P50"), _("Index P90"), "P(>0)", _("Rank"), _("Raw net score"), _("Raw P10"), _("Raw P50"),
            _("Raw P90"), _("Risk (raw)"), _("Opportunity (raw)"), "TOPSIS", _("People"), _("Months"),
            _("Expected fatalities over the deployment"), _("Chance of at least one death"),
            _("Net cost to Mexico a year (US$)")])
        formats = [None, None, None, None, None, INDEX, INDEX, INDEX, INDEX, SHARE, "0", SCORE, SCORE, SCORE, SCORE,
                   NUMBER, NUMBER, NUMBER, "0", "0", NUMBER, "0.0%", "#,##0"]
        for o in sorted(r["options"], key=lambda o: (not o["selected"], not scored(o), -o["net"])):
            values = [d.option_label(o), _("yes") if o["selected"] else _("no"), ", ".join(d.function_names.get(f, f) for f in o["functions"]),
                      verdict_name(o["feasibility"]), o.get("excluded_by", "")]
            values += [option_index(o, k, anchor) for k in ("net", "p10", "p50", "p90")]
            values += ([o[k] for k in ("p_positive", "rank", "net", "p10", "p50", "p90", "risk", "opportunity", "topsis")]
                       if scored(o) else [None] * 9)
            values += [d.size, d.duration_months]
            values += ([o["expected_fatalities"], o["p_any_fatality"], o["net_cost_usd"]] if scored(o) else [None] * 3)
            self.row(options, values, formats)

        factors = self.sheet(book, _("Factors"), [_("Factor"), _("Kind"), _("Category"), _("Weight"),
                                                  _("Contribution (index points)"), _("Contribution (raw net score)"),
                                                  _("Mitigation"), _("Sources")])
        admissible = any(o["selected"] and not o.get("excluded_by") for o in r["options"])
        for f in c["factors"]:
            points = scale.index(f["contribution"], anchor) if admissible else None
            self.row(factors, [f["name"], f["kind"], f["category"], d.effective_weight(f["code"]), points,
                               f["contribution"], d.factor_mitigations.get(f["code"], ""), f["mark"]],
                     [None, None, None, SHARE, "+0.0;-0.0;0.0", "+0.0000;-0.0000;0.0000", None, None])

        gates = self.sheet(book, _("Safeguards"), [_("Mission"), _("Gate"), _("Verdict"), _("Sources")])
        for e in c["reasons"]:
            for x in e["reasons"]:
                self.row(gates, [e["mission"], x["gate"], x["verdict"], x["mark"]])

        data = self.sheet(book, _("Data"), [_("Data"), _("Rows"), _("From"), _("To"), _("Sources")])
        for f, shown in zip(d.data_files, c["data_files"], strict=True):
            self.row(data, [shown["name"], f["rows"], f["first_month"], f["last_month"], shown["mark"]],
                     [None, "#,##0", "yyyy-mm", "yyyy-mm", None])

        references = self.sheet(book, _("References"), [_("No."), _("Reference"), _("Note")])
        for b in c["bibliography"]:
            self.row(references, [b["number"], b["text"], b["note"]])
        for sheet in book.worksheets[1:]:
            for column in sheet.columns:
                width = max(len(str(x.value or "")) for x in column[:300])
                sheet.column_dimensions[column[0].column_letter].width = min(70, max(10, width + 2))
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def sheet(book, title: str, headers: list[str]):
        from openpyxl.styles import Alignment, Font, PatternFill

        sheet = book.create_sheet(title[:31])
        sheet.append(headers)
        for header in sheet[1]:
            header.font = Font(bold=True)
            header.fill = PatternFill("solid", fgColor="F0F3F6")
            header.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{sheet.cell(1, len(headers)).column_letter}1"
        return sheet

    @staticmethod
    def row(sheet, values: list, formats: list | None = None) -> None:
        sheet.append([cell(v) for v in values])
        for i, fmt in enumerate(formats or []):
            if fmt:
                sheet.cell(sheet.max_row, i + 1).number_format = fmt
        last = sheet.cell(1, sheet.max_column).column_letter
        sheet.auto_filter.ref = f"A1:{last}{sheet.max_row}"
