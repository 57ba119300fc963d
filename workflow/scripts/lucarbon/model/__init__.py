"""Stage 3, model: the statistics tables, the carbon budget, the modified carbon compensation and
zoning, and their sensitivity."""
