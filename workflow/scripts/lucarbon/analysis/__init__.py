"""Stage 4, analysis: results by main functional area class, regional differences, spatial
statistics, centres of gravity."""
