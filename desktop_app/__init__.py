"""AR Explorer's Qt desktop application (widgets and workers; no model math)."""
