"""Static files storage: whitenoise's hashed, compressed files, with ES module imports
rewritten to the hashed names too."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

_JS_MODULE_PATTERNS = ManifestStaticFilesStorage._js_module_import_aggregation_patterns[1]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    # Without this, `import … from "./tempo-plan.mjs"` asks for the unhashed name, which
    # whitenoise can only cache briefly; with it, every module is immutable and cached for
    # a year like the stylesheets. Django's switch covers *.js only; ours are *.mjs.
    support_js_module_import_aggregation = True
    _js_module_import_aggregation_patterns = ("*.mjs", _JS_MODULE_PATTERNS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        # The manifest never changes while the process runs, so each name is looked up
        # (and joined to STATIC_URL) once; every page names half a dozen files.
        if force or settings.DEBUG:
            return super().url(name, force)
        if name not in self._urls:
            self._urls[name] = super().url(name)
        return self._urls[name]
