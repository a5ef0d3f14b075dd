"""Serving the playground to a classroom: several Streamlit replicas behind nginx (see deploy/README.md)."""
