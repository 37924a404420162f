from __future__ import annotations

import base64

from django.template.loader import render_to_string

from briefings.charts import charts_for, figure_png, validation_chart
from briefings.content import briefing_content
from briefings.exporters.base import Exporter
from briefings.text import long_date


class PdfExporter(Exporter):
    """The client briefing (WeasyPrint): cover, recommendation, options, charts, factors,
    method, data and a numbered bibliography."""

    identifier, extension, content_type = "pdf", "pdf", "application/pdf"

    def images(self) -> list[dict]:
        charts = charts_for(self.data) if self.with_charts else []
        images = []
        for done, chart in enumerate(charts, start=1):
            png = figure_png(chart.figure, height=chart.height)
            images.append({"caption": chart.caption, "takeaway": chart.takeaway,
                           "src": "data:image/png;base64," + base64.b64encode(png).decode()})
            self.report(done, len(charts) + 1)
        return images

    def content(self) -> bytes:
        from weasyprint import HTML

        images = self.images()
        check = validation_chart(self.data) if self.with_charts else None
        validation_image = ("data:image/png;base64," + base64.b64encode(figure_png(check.figure, height=check.height))
                            .decode()) if check else None
        html = render_to_string("briefings/briefing.html", {
            "d": self.data, "r": self.data.result, "c": briefing_content(self.data, day=self.day), "images": images, "validation_image": validation_image,
            "paper": "Letter" if self.paper == "letter" else "A4", "client": self.client, "firm": self.firm,
            "today": self.day, "today_text": long_date(self.day), "language": self.data.language,
        })
        pdf = HTML(string=html).write_pdf()
        self.report(len(images) + 1, len(images) + 1)
        return pdf
