"""The Streamlit app: reads the graph only through kg.queries."""
