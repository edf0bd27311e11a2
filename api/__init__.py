"""rckg's HTTP interface (FastAPI). It uses `graph` and never the reverse."""
