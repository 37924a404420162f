"""The decision engine: pure numpy/pandas/scipy, no Django, no I/O.

model        what an option is, its exposures and expected scores (size, duration, cost, hazard)
hazard       data-calibrated fatality rates (Gamma-Poisson), P(at least one fatality)
uncertainty  Monte Carlo over every uncertain input, correlated draws (Gaussian copula)
mcda         weighted sum, TOPSIS over admissible options, ranks
smaa         SMAA-2: rank acceptability, central weights, confidence factors
sensitivity  tornado from each input's own P10/P90, break-even weights
gates        safeguard gates and deal-breakers
feasibility  the one feasibility rule every surface uses: gates, share caps, unit sizes, mandates, readiness
elicitation  weights from swing ratings, ranks (rank-order centroid), AHP (eigenvector, CR), groups
evaluate     the full pass over a grid, as the app and the benchmark run it

Each module states its formulas and units in its docstring.
"""
