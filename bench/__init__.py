"""Data generation, the pandas reference of the marts, and the benchmark."""
