"""IR -> the files of the generated SDK (view, templates, black, safe writing)."""
