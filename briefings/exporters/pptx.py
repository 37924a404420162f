from __future__ import annotations

import io

from django.utils.translation import gettext as _

from briefings.charts import PRINT_WIDTH, charts_for, figure_png
from briefings.content import briefing_content
from briefings.exporters.base import Exporter
from briefings.text import long_date

INK, MUTED, ACCENT = (0x1D, 0x27, 0x33), (0x5C, 0x6B, 0x7A), (0x1F, 0x5F, 0x8B)
REFERENCES_PER_SLIDE = 9
OPTIONS_PER_SLIDE = 10  # at most two lines a row: the table ends above the slide's foot


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
        c = briefing_content(self.data, slides=True)
        self.title_slide(c)
        self.recommendation_slide(c)
        self.options_slide(c)
        charts = charts_for(self.data) if self.with_charts else []
        for done, chart in enumerate(charts, start=1):
            slide = self.slide(chart.caption)
            self.text(slide, chart.takeaway, top=1.3, height=0.6, size=16, bold=True)
            png = figure_png(chart.figure, height=chart.height)
            ratio = chart.height / PRINT_WIDTH
            height = min(5.4, 9.0 * ratio)
            width = height / ratio
            slide.shapes.add_picture(io.BytesIO(png), Inches((13.333 - width) / 2), Inches(1.95), Inches(width),
                                     Inches(height))
            self.report(done, len(charts) + 1)
        slide = self.slide(_("Data"))
        self.bullets(slide, [f"{f['name']}, {f['first']} – {f['last']} {f['mark']}" for f in c["data_files"]],
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
        prepared_for, prepared_by, data_up_to, inputs = _("Prepared for"), _("Prepared by"), _("Data up to"), _("Inputs")
        lines = []
        if self.client:
            lines.append(f"{prepared_for} {self.client}")
        if self.firm:
            lines.append(f"{prepared_by} {self.firm}")
        lines.append(long_date(self.day))
        lines.append(f"{data_up_to} {c['data_date']} · {inputs} {self.data.result['fingerprint'][:12]}")
        self.bullets(slide, lines, top=4.6, size=16, plain=True)

    def recommendation_slide(self, c: dict) -> None:
        rec = c["rec"]
        slide = self.slide(_("Recommendation"))
        self.text(slide, rec["headline"], top=1.15, height=1.0, size=18, bold=True)
        condition, risk = _("Condition"), _("Risk")
        lines = [*rec["why"][:2]]
        lines += [f"{condition}: {x['action']} {x['mark']}" for x in rec["conditions"]]
        lines += [f"{risk}: {x['name']} {x['mark']} — {x['mitigation']}".rstrip(" —") for x in rec["risks"]]
        if rec["confidence"]:
            lines.append(rec["confidence"])
        self.bullets(slide, lines, top=2.25, size=14 if len(lines) <= 7 else 12)

    def options_slide(self, c: dict) -> None:
        from pptx.util import Inches, Pt

        slide = self.slide(_("The options"))
        headers = [_("Mission"), _("Verdict"), _("Risk"), _("Opportunity"), _("Net"), "P10", "P90", "P(>0)", _("Rank")]
        rows = c["options"][:OPTIONS_PER_SLIDE]
        shape = slide.shapes.add_table(len(rows) + 1, len(headers), Inches(0.6), Inches(1.3), Inches(12.1),
                                       Inches(0.42 * (len(rows) + 1)))
        table = shape.table
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
                        run.font.size = Pt(12)
        if len(c["options"]) > len(rows):
            self.text(slide, _("%(n)s more in the PDF and the workbook.") % {"n": len(c["options"]) - len(rows)},
                      top=7.0, height=0.4, size=12, colour=MUTED)

    # Helpers -----------------------------------------------------------------------------

    def slide(self, title: str):
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[6])
        # A long title (a chart's caption) takes a smaller size so that it stays on one line.
        self.text(slide, title, top=0.4, height=0.8, size=26 if len(title) <= 55 else 20 if len(title) <= 80 else 17, bold=True, colour=ACCENT)
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

    def bullets(self, slide, lines: list[str], *, top: float, size: int, plain: bool = False) -> None:
        from pptx.dml.color import RGBColor
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(0.6), Inches(top), Inches(12.1), Inches(7.5 - top - 0.4))
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line if plain else f"• {line}"
            run.font.size, run.font.color.rgb = Pt(size), RGBColor(*INK)
            paragraph.space_after = Pt(6)
