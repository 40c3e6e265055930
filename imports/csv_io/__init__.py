"""Export a trainee's log to CSV and import it back, plus the CSV exports of Strong and Hevy.

Our own format has one row per set, so a spreadsheet can sort and filter it; the session
columns repeat on every row of a session. Exporting what an import saved gives back the
imported file byte for byte; cells a spreadsheet would run as formulas are neutralised
(formulas.py).

Imports are all or nothing: every row is checked first, with the rules of the set form a
person types into (checks.py), then duplicates are looked up (duplicates.py); that is the
preview (preview.py), which writes nothing. Only then is a file without a single bad row
written, in one short transaction that does nothing but write (save.py), exactly the
sessions the preview showed, as one import the trainee can undo (undo.py). Between the
preview and the save the upload waits on the server (pending.py). Each source app is one
adapter (adapters/). Give `preview_csv` the file's text, for an upload
`upload.read().decode("utf-8-sig")`; a byte order mark left in the text and CRLF line
endings are tolerated.
"""

from imports.csv_io.adapters.hevy import HEVY_COLUMNS
from imports.csv_io.adapters.ours import HIPTHRUST_COLUMNS
from imports.csv_io.adapters.strong import STRONG_COLUMNS, STRONG_OLDER_COLUMNS
from imports.csv_io.errors import CsvImportError
from imports.csv_io.export import export_csv
from imports.csv_io.importing import ImportResult, import_csv
from imports.csv_io.pending import PendingGone
from imports.csv_io.preview import Preview, preview_csv
from imports.csv_io.save import PreviewOutdated
from imports.csv_io.undo import undo_import

__all__ = [
    "HEVY_COLUMNS",
    "HIPTHRUST_COLUMNS",
    "STRONG_COLUMNS",
    "STRONG_OLDER_COLUMNS",
    "CsvImportError",
    "ImportResult",
    "PendingGone",
    "Preview",
    "PreviewOutdated",
    "export_csv",
    "import_csv",
    "preview_csv",
    "undo_import",
]
