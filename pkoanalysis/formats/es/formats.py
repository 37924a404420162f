"""Numbers and dates for the site's Spanish (language code `es`), as read in Mexico.

Django's `es` locale writes 1 234,5 (Spain); Mexican readers write 1,234.5, as Django's own
`es_MX` locale does (NOM-008-SCFI-2002 allows either mark; the point is the common one). The site
keeps the one language code `es`, so the Mexican conventions come from here (settings
FORMAT_MODULE_PATH), and every page, chart (plotly `separators`, pkoanalysis.chartstyle) and
export follows them: "5 de diciembre de 2026", "julio de 2025", 1,234.5.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y \a \l\a\s H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
