"""The briefing formats: identifier -> exporter class (see base.Exporter)."""

from briefings.exporters.base import Exporter, ExportFile, file_name
from briefings.exporters.csv import CsvExporter
from briefings.exporters.pdf import PdfExporter
from briefings.exporters.pptx import PptxExporter
from briefings.exporters.xlsx import XlsxExporter

EXPORTERS: dict[str, type[Exporter]] = {e.identifier: e for e in (PdfExporter, PptxExporter, XlsxExporter,
                                                                   CsvExporter)}

__all__ = ["EXPORTERS", "ExportFile", "Exporter", "file_name"]
