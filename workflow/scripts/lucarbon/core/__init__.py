"""What every stage shares: verified atomic writing and table reading, logs, provenance, unit
conversions, names and codes as users write them, CRS checks, class breaks."""
