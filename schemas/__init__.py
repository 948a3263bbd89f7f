"""JSON schemas, shipped inside the package as bygdevekst_xl.schemas."""
