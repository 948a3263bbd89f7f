"""Example budget specs, shipped inside the package as bygdevekst_xl.examples."""
