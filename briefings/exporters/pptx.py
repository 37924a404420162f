from __future__ import annotations

import io

from django.utils.translation import gettext as _

from briefings.charts import charts_for, figure_png
from briefings.content import briefing_content
from briefings.exporters.base import Exporter
from briefings.text import long_date

INK, MUTED, ACCENT = (0x1D, 0x27, 0x33), (0x5C, 0x6B, 0x7A), (0x1F, 0x5F, 0x8B)
REFERENCES_PER_SLIDE = 9
OPTIONS_PER_SLIDE = 10  # at most two lines a row: the table ends above the slide's foot
SAFEGUARDS_PER_SLIDE = 6  # a row lists up to a dozen safeguards in three lines


class PptxExporter(Exporter):
    """A 16:9 deck to present before sending the PDF (python-pptx): title, recommendation,
    options table, one chart per slide with its takeaway, sources. Text stays editable; charts
    are pictures."""

    identifier, extension = "pptx", "pptx"
    content_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

    def content(self) -> bytes:
        from pptx import Presentation
        from pptx.util import Inches

        self.deck = Presentation()
        self.deck.slide_width, self.deck.slide_height = Inches(13.333), Inches(7.5)
        c = briefing_content(self.data, slides=True, day=self.day)
        self.title_slide(c)
        self.recommendation_slide(c)
        self.conditions_slide(c)
        self.options_slide(c)
        self.safeguards_slide(c)
        self.change_slide(c)
        charts = charts_for(self.data, slides=True) if self.with_charts else []
        for done, chart in enumerate(charts, start=1):
            slide = self.slide(chart.caption)
            # A takeaway of up to two lines above the chart, the chart below it to the slide's foot.
            self.text(slide, chart.takeaway, top=1.2, height=0.8, size=16 if len(chart.takeaway) <= 130 else 14,
                      bold=True)
            png = figure_png(chart.figure, width=chart.width, height=chart.height)
            ratio = chart.height / chart.width
            height = min(5.1, 12.1 * ratio)
            width = height / ratio
            slide.shapes.add_picture(io.BytesIO(png), Inches((13.333 - width) / 2), Inches(2.2), Inches(width),
                                     Inches(height))
            self.report(done, len(charts) + 1)
        slide = self.slide(_("Data"))
        age = _("The newest UN data is from %(month)s, %(age)s on %(day)s: deployments and mandates may have changed "
                "since.") % {"month": c["data_date"], "age": c["data_age"], "day": long_date(self.day)}
        self.bullets(slide, [age, *[f"{f['name']}, {f['first']} – {f['last']} {f['mark']}" for f in c["data_files"]]],
                     top=1.3, size=16)
        refs = c["bibliography"]
        for start in range(0, len(refs), REFERENCES_PER_SLIDE):
            slide = self.slide(_("Sources") + (f" ({start // REFERENCES_PER_SLIDE + 1})" if len(refs) >
                                                 REFERENCES_PER_SLIDE else ""))
            self.bullets(slide, [f"[{b['number']}] {b['text']}" for b in refs[start:start + REFERENCES_PER_SLIDE]],
                         top=1.3, size=12, plain=True)
        buffer = io.BytesIO()
        self.deck.save(buffer)
        self.report(len(charts) + 1, len(charts) + 1)
        return buffer.getvalue()

    # Slides ------------------------------------------------------------------------------

    def title_slide(self, c: dict) -> None:
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[6])
        self.text(slide, _("Client briefing"), top=1.2, height=0.5, size=14, colour=MUTED)
        self.text(slide, c["question"], top=1.8, height=1.6, size=34, bold=True, colour=ACCENT)
        self.text(slide, self.data.name, top=3.5, height=0.6, size=20)
        prepared_for, prepared_by = _("Prepared for"), _("Prepared by")
        lines = []
        if self.client:
            lines.append(f"{prepared_for} {self.client}")
        if self.firm:
            lines.append(f"{prepared_by} {self.firm}")
        lines.append(long_date(self.day))
        lines.append(_("UN data up to %(month)s (%(age)s)") % {"month": c["data_date"], "age": c["data_age"]})
        self.bullets(slide, lines, top=4.6, size=16, plain=True)

    def recommendation_slide(self, c: dict) -> None:
        rec = c["rec"]
        slide = self.slide(_("Recommendation"))
        self.text(slide, rec["headline"], top=1.1, height=1.3, size=20 if len(rec["headline"]) <= 160 else 18,
                  bold=True)
        o = rec["option"]
        if o:
            rows = [(_("Option"), f"{o['label']}, {self.data.mode.lower()}"), (_("People"), o["people_text"]),
                    (_("Months"), o["months_text"]), (_("Expected fatalities over the deployment"), o["fatalities_text"]),
                    (_("Chance of at least one death"), o["p_any_text"]), (_("Net cost to Mexico a year"), o["cost_text"]),
                    (_("Deployable from"), o["ready_text"])]
            self.table(slide, [_("The recommended option's own figures"), ""], rows, top=2.6, left=0.6, width=5.4,
                       widths=[2.9, 2.5], size=13, merge_header=True)
            lines = [x for x in (rec["changes"], rec["partner"], rec["when"]) if x]
            self.bullets(slide, lines, top=2.6, size=15 if sum(map(len, lines)) <= 600 else 13, left=6.3, width=6.4)
        else:
            self.bullets(slide, rec["why_not"], top=2.6, size=16)
        slide = self.slide(_("Where Mexico serves today, and what this changes"))
        self.bullets(slide, [rec["today"], rec["changes"]], top=1.3, size=18)

    def conditions_slide(self, c: dict) -> None:
        rec = c["rec"]
        if rec["option"] is None:
            return
        slide = self.slide(_("Conditions, caveats and risks") if rec["conditions"] or rec["caveats"] else _("Why, and the risks"))
        condition, caveat, risk = _("Condition"), _("Legal caveat"), _("Risk")
        lines = [*rec["why"][:2]]
        lines += [f"{condition}: {x['action']} {x['mark']}".rstrip() for x in rec["conditions"]]
        lines += [f"{caveat}: {x['action']} {x['mark']}".rstrip() for x in rec["caveats"]]
        lines += [f"{risk}: {x['name']} {x['mark']} — {x['mitigation']}".rstrip(" —") for x in rec["risks"]]
        self.bullets(slide, lines, top=1.3, size=18 if len(lines) <= 5 else 16 if len(lines) <= 8 else 14)

    def safeguards_slide(self, c: dict) -> None:
        slide = self.slide(_("Safeguards: what each option must meet"))
        rows = [(o["mission"], o["verdict"], o["why"] or "–") for o in c["options"][:SAFEGUARDS_PER_SLIDE]]
        self.table(slide, [_("Mission"), _("Verdict"), _("Conditions, or why it cannot go ahead")], rows, top=1.3,
                   left=0.6, width=12.1, widths=[2.6, 1.7, 7.8], size=14)
        if len(c["options"]) > len(rows):
            self.text(slide, _("%(n)s more in the PDF and the workbook.") % {"n": len(c["options"]) - len(rows)},
                      top=7.0, height=0.4, size=12, colour=MUTED)

    def change_slide(self, c: dict) -> None:
        rec = c["rec"]
        slide = self.slide(_("What would change the answer"))
        lines = [line[:1].upper() + line[1:] + "." for line in rec["change"]]
        if rec["confidence"]:
            lines.append(rec["confidence"])
        lines.append(_("The newest UN data is from %(month)s (%(age)s): a newer report, a Council decision or the "
                       "2025-26 cuts can change the missions' figures.") % {"month": c["data_date"], "age": c["data_age"]})
        self.bullets(slide, lines, top=1.3, size=16)

    def options_slide(self, c: dict) -> None:
        from pptx.util import Inches, Pt

        slide = self.slide(_("The question's options, by verdict"))
        headers = [_("Mission"), _("Verdict"), _("Risk"), _("Opportunity"), c["score_header"], "P10", "P90", "P(>0)",
                   _("Rank (all missions)")]
        rows = c["options"][:OPTIONS_PER_SLIDE]
        shape = slide.shapes.add_table(len(rows) + 1, len(headers), Inches(0.6), Inches(1.3), Inches(12.1),
                                       Inches(0.42 * (len(rows) + 1)))
        table = shape.table
        for j, w in enumerate((2.6, 1.6, 0.95, 1.35, 1.0, 1.0, 1.0, 0.9, 1.7)):
            table.columns[j].width = Inches(w)
        for j, header in enumerate(headers):
            table.cell(0, j).text = header
        for i, o in enumerate(rows, start=1):
            for j, key in enumerate(("mission", "verdict", "risk", "opportunity", "net", "p10", "p90", "p_positive",
                                     "rank")):
                table.cell(i, j).text = str(o[key])
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(13)
        if len(c["options"]) > len(rows):
            self.text(slide, _("%(n)s more in the PDF and the workbook.") % {"n": len(c["options"]) - len(rows)},
                      top=7.0, height=0.4, size=12, colour=MUTED)

    # Helpers -----------------------------------------------------------------------------

    def slide(self, title: str):
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[6])
        # A long title (a chart's caption) takes a smaller size so that it stays on one line.
        self.text(slide, title, top=0.4, height=0.8, size=26 if len(title) <= 55 else 20 if len(title) <= 80 else 16,
                  bold=True, colour=ACCENT)
        return slide

    def text(self, slide, text: str, *, top: float, height: float, size: int, bold: bool = False,
             colour=INK) -> None:
        from pptx.dml.color import RGBColor
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(0.6), Inches(top), Inches(12.1), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, RGBColor(*colour)

    def table(self, slide, headers: list[str], rows: list[tuple], *, top: float, left: float, width: float,
              widths: list[float], size: int, merge_header: bool = False) -> None:
        from pptx.util import Inches, Pt

        shape = slide.shapes.add_table(len(rows) + 1, len(headers), Inches(left), Inches(top), Inches(width),
                                       Inches(0.4 * (len(rows) + 1)))
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = Inches(w)
        for j, header in enumerate(headers):
            table.cell(0, j).text = header
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                table.cell(i, j).text = str(value)
        if merge_header:
            table.cell(0, 0).merge(table.cell(0, len(headers) - 1))
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(size)

    def bullets(self, slide, lines: list[str], *, top: float, size: int, plain: bool = False, left: float = 0.6,
                width: float = 12.1) -> None:
        from pptx.dml.color import RGBColor
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(7.5 - top - 0.4))
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line if plain else f"• {line}"
            run.font.size, run.font.color.rgb = Pt(size), RGBColor(*INK)
            paragraph.space_after = Pt(6)
