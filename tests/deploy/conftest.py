"""Real servers for the deployment tests: Streamlit replicas (and nginx in front) started by deploy.serve. The
`nginx` fixture is in tests/conftest.py (the e2e class poll runs behind nginx too)."""
