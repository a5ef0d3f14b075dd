"""What tests, benchmarks and deploy share: servers, ports, health checks, the browser's settings and the
Streamlit protocol client. It imports the product (to know its pages), never tests/ or benchmarks/.

    servers     free_port, nginx_path, wait_healthy, start_server / stop_server (one plain `streamlit run`)
    browser     Debian's Chromium and the flags this machine needs, APP_READY_JS, wait_until_rendered
    st_client   one browser tab over Streamlit's own WebSocket protocol, without a browser; warm_up
"""
