"""IR -> the files of the generated SDK (view, templates, formatter, safe writing)."""
