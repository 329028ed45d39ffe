"""The couple report on the web: the page, its PDF and its JSON, built from what was shared."""
