"""What a chapter kernel and the build agree on: payload MIME types and the environment the build sets."""
import re


FACT_MIME = "application/vnd.wmr.fact+json"
FIGURE_MIME = "application/vnd.wmr.figure+json"
TABLE_MIME = "application/vnd.wmr.table+json"
PROSE_MIME = "application/vnd.wmr.prose+json"   # a paragraph whose wording the data chose (Chapter.prose)

FIGURES_ENV = "WMR_FIGURES_DIR"   # where the chapter writes figure files while it runs (staged by the build)
INJECTED_ID = "injected-parameters"  # the id of the parameters cell the build inserts after the tagged one
READ_LOG_ENV = "WMR_READ_LOG"     # where every pinned file read is logged (its sha256 joins the cache key)
# the run's identity, set by the build from the edition config (notebooks never type it)
EDITION_ENV = "WMR_EDITION"       # the edition id, e.g. wmr-2026
CHAPTER_ENV = "WMR_CHAPTER"       # the chapter slug, e.g. regions
RUN_ENV = "WMR_RUN"               # the run key, e.g. africa (empty for a chapter run once)

# A MyST role in prose, captions and alt text: {fact}`name`, {param}`name`, {numref}`fig-x`, {cite}`key`.
ROLE_RE = re.compile(r"\{(?P<role>[a-z]+)\}`(?P<arg>[^`]+)`")
