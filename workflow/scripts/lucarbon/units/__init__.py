"""Stage 1, units: the boundary file read as given, checked (validity, gaps, overlaps), dissolved
into the study units and their table."""
