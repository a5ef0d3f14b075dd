"""The floor: the smallest Streamlit + Plotly app that does what every playground page does, one slider and one
heatmap. The browser benchmarks measure it in the same run as the pages and report each page as a ratio to it, so
the figures say what the playground adds on top of Streamlit and Plotly themselves, on whatever machine they run.

    streamlit run benchmarks/floor_app.py

`python -m benchmarks.browser` presses an arrow key on its slider (key press -> settled);
`python -m benchmarks.cold_start --fresh-tab` opens it in a fresh browser context (navigation -> settled).
Same page config and theme (.streamlit/config.toml) as the playground; a 10 x 10 heatmap with its values printed
on the cells, like the playground's attention heatmaps. Deliberately nothing else.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

N = 10

st.set_page_config(page_title="Floor app", layout="wide")
st.title("Floor app")
temperature = st.slider("Temperature", 0.1, 3.0, 1.0, step=0.1, key="floor_temperature")
scores = np.sin(np.arange(N)[:, None] * 0.7 + np.arange(N)[None, :] * 1.3) * 3.0  # [n, n], fixed
weights = np.exp(scores / temperature)
weights /= weights.sum(axis=1, keepdims=True)  # [n, n], rows sum to 1
fig = go.Figure(go.Heatmap(z=weights, texttemplate="%{z:.2f}", colorscale="Blues", zmin=0, zmax=1))
fig.update_layout(height=450, margin=dict(l=10, r=10, t=40, b=10), title=f"Softmax at temperature {temperature:.1f}")
st.plotly_chart(fig, key="floor_chart")
