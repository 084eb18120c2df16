"""cchc: the static-site generator for a department's administrative-reform (CCHC) section.

Data flows one way: config -> content -> legal -> site (the model) -> render -> output.
`build.build_site` alone knows that order; `serve`, `publish`, `report` and `check` call it.
"""

__version__ = "0.1.0"
