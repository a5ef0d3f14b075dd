"""Plotly figure builders: `base` (the one frame and heatmap/bar builders), `palette` (every colour), and one module
per page (or pair of pages) that draws that page's charts. Arrays in, figures out; no math here."""
