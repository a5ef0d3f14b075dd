"""lessons: the UI-free content behind the pages, pure Python/NumPy on top of `models` and `attention_core`.

defaults (what each page shows when it opens), embeddings (the hand-made lexicon), heads (hand-built multi-head heads), walkthrough (self-attention step by step),
projection (PCA for the "Apple" chart), speed (timing and cost models), quiz (the question bank), seq2seq_views
(what the bottleneck and reordering pages compute from the translators), coreference_views (what the Learning
page computes from the coreference model). Never imports Streamlit or Plotly.
"""

__all__ = ["coreference_views", "defaults", "embeddings", "guess", "heads", "lesson_steps", "projection", "quiz", "seq2seq_views", "speed", "walkthrough"]
