"""One replica: prepare the process (every import done, import-time heap frozen), tell first visits what they would
find out late (deploy/first_visit.py), then `streamlit run` inside it.

    python -m deploy.replica --server.port 8502      # the same options as `streamlit run attention_playground.py`

On a fresh `streamlit run`, the first students' sessions import the pages' modules in parallel threads; Python's
import locks then hand some of them half-initialised modules ("partially initialized module 'pandas'",
"deadlock detected by _ModuleLock", measured with 10 students arriving together). Importing everything first, in
one thread, before the server accepts anyone, removes that race. deploy/serve.py starts its replicas this way.
"""

from __future__ import annotations

import logging
import sys


def main(argv: list[str]) -> None:
    # Importing the pages' modules before Streamlit's runtime exists makes each st.cache_data decorator warn "No
    # runtime found"; harmless (a cache binds to the runtime's storage when first called), so quiet it here.
    logging.disable(logging.WARNING)
    try:
        from playground.server_tuning import prepare_server

        prepare_server()
    finally:
        logging.disable(logging.NOTSET)
    from streamlit.web import cli

    from deploy.first_visit import install

    install()
    sys.argv = ["streamlit", "run", "attention_playground.py", *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
