"""The layered config (defaults, study, overrides), its short schema errors, and the cross-checks
against input tables run before any job."""
