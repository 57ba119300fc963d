"""Stage 2, raster: land-cover checks, the unit grid, reclassification into land-use types and the
per-unit areas and transitions in one pass."""
