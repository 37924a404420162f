"""Text that a spreadsheet must show, never run: one rule for every CSV and XLSX we write
(the API's CSV tables and the briefings' CSV and XLSX)."""

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP's list),
# with the full-width forms some locales also accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def formula_safe(value):
    """A string that could run as a formula, prefixed with an apostrophe; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
