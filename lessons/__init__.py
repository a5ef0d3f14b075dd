"""lessons: the UI-free content behind the pages, pure Python/NumPy on top of `models` and `attention_core`.

embeddings (the hand-made lexicon), heads (hand-built multi-head heads), walkthrough (self-attention step by step),
projection (PCA for the "Apple" chart), speed (timing and cost models), quiz (the question bank), seq2seq_views
(what the bottleneck and reordering pages compute from the translators). Never imports Streamlit or Plotly.
"""

__all__ = ["embeddings", "guess", "heads", "lesson_steps", "projection", "quiz", "seq2seq_views", "speed", "walkthrough"]
