"""Unit conversions (definitions, not coefficients: coefficients live in data/ tables)."""

CO2_PER_C = 44.0 / 12.0  # molar masses: 1 t C = 44/12 t CO2
KG_PER_T = 1000.0  # also kgce per tce
M2_PER_HA = 10_000.0
YUAN_PER_10K_YUAN = 10_000.0
T_PER_10K_T = 10_000.0
