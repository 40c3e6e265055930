"""Export a trainee's log to CSV and import it back, plus the CSV exports of Strong and Hevy.

Our own format has one row per set, so a spreadsheet can sort and filter it; the session
columns repeat on every row of a session. Exporting what an import saved gives back the
imported file byte for byte; cells a spreadsheet would run as formulas are neutralised
(formulas.py).

Imports are all or nothing: every row is checked first, with the rules of the set form a
person types into (checks.py), then duplicates are looked up (duplicates.py), and only then
is a file without a single bad row written, in one short transaction that does nothing but
write (save.py). Each source app is one adapter (adapters/). Give `import_csv` text, for an
upload for example `io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")`; a byte
order mark left in the text and CRLF line endings are tolerated.
"""

from training.csv_io.adapters.hevy import HEVY_COLUMNS
from training.csv_io.adapters.ours import HIPTHRUST_COLUMNS
from training.csv_io.adapters.strong import STRONG_COLUMNS, STRONG_OLDER_COLUMNS
from training.csv_io.errors import CsvImportError
from training.csv_io.export import export_csv
from training.csv_io.importing import ImportResult, import_csv

__all__ = [
    "HEVY_COLUMNS",
    "HIPTHRUST_COLUMNS",
    "STRONG_COLUMNS",
    "STRONG_OLDER_COLUMNS",
    "CsvImportError",
    "ImportResult",
    "export_csv",
    "import_csv",
]
