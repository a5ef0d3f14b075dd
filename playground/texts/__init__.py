"""The prose each page shows, one module per page: sentences formatted from the numbers the page computed.
Functions take plain values and return Markdown strings; no Streamlit calls, no math beyond formatting."""
