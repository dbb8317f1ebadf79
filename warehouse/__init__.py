"""Python access to the warehouse's DuckDB file, shared by `make run` and the plots."""
