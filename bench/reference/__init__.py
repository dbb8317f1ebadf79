"""An independent pandas/scipy implementation of the marts, one module per area."""
