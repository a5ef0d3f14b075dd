"""Charts, from builder to the spec Streamlit is given; nothing here imports Streamlit.

Builders: `base` (the one frame, SpecFigure, heatmap and bar builders), `palette` (every colour, by role), and one
module per page (or pair of pages) drawing that page's charts: arrays in, plain Plotly dicts out, no math. On its way
to the screen every chart then takes the steps that `render.py` explains, in order: `display_modes`, `look`,
`margins`, the camera button's config; playground/export.chart sends the result.
"""
