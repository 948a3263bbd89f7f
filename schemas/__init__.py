"""JSON schemas, shipped inside the package as bygdevekst_xl.schemas (read through
bygdevekst_xl.schema)."""
