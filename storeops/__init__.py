"""storeops: an operations dashboard for e-commerce teams (Streamlit + DuckDB)."""

__version__ = "0.1.0"
