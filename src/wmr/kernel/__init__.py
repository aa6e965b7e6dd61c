"""The kernel side: what chapter notebooks import (loaders, analysis, charts, the chapter API, formatting)."""
