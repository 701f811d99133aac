"""Design-space exploration: multi-parameter sweep specs (grid, constraints, random / Latin-hypercube
samples), batched estimation of design points that share traces, the polars analysis (Pareto front,
Monte-Carlo accuracy statistics), the sweep report and plots, and the published-table reproductions.

Modules: `spec` (sweep files -> design points), `batch` (one process estimates a chunk of points),
`analysis` (polars tables, Pareto), `plots`, `sweep_report`, `networks` (ResNet-18 ImageNet table,
synthetic traces, shape-only traces for the average mode), `reproduce` (published tables).
"""
