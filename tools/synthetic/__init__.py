"""SYNTHETIC data generators (fixed seeds) for the demo, the geographic example study and the
Henan-extent performance study: tools, not part of the workflow library."""
