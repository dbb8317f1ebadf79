"""Charts and a findings report drawn from the warehouse's marts: `python -m plots`.

One figure (at least) per question of the study's Goal-Question-Metric tree, titled with the
question, and a report (HTML with the images embedded, and Markdown) with the scorecard's answer
to each question. Every number comes from the marts; the DuckDB file is opened read-only.
"""
