"""Stage 1, acquire: registry datasets fetched into a checksum-verified download cache (local or
remote), Zenodo registry rows."""
