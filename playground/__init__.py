"""UI helpers shared by the pages: navigation, Plotly figure builders, query-param state, text formatting.

Math lives in attention_core; this package only draws and wires widgets.
"""
