"""The figures: each maps marts to one chart type of draw.py, titled with its question(s).

`CHARTS` lists every figure with the questions it answers; `draw_charts` draws them all. Each
chart function returns its Figure, so tests read the drawn values back and compare them with the
marts. Every number drawn or written comes from a mart.
"""

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from matplotlib import colors
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter, StrMethodFormatter

from plots import draw, style
from plots.formatting import count, p_value, percent
from plots.marts import Marts

# The measures of the customers mart in the marts' order, as a reader should see them.
MEASURE_LABELS = {
    "age": "age (years)",
    "annual_income_k_usd": "annual income (k USD)",
    "total_spend": "total spend (USD)",
    "years_as_customer": "tenure (years)",
    "num_purchases": "purchases (count)",
    "avg_transaction_amount": "average transaction (USD)",
    "num_returns": "returns (count)",
    "num_support_contacts": "support contacts (count)",
    "satisfaction_score": "satisfaction score (1-5)",
    "last_purchase_days_ago": "days since last purchase",
    "days_as_customer": "tenure (days)",
    "is_churned": "churned (1 = yes)",
    "is_email_opted_in": "email opt-in (1 = yes)",
    "gender": "gender",
    "promotion_response": "promotion response",
}

# Segment dimensions in the order charts list them; one the registry adds later comes last.
DIMENSION_LABELS = {
    "overall": "everyone",
    "gender": "gender",
    "age_band": "age band (years)",
    "income_band": "annual income band (USD)",
    "tenure_band": "tenure band",
    "spend_band": "total spend band (USD)",
    "satisfaction_score": "satisfaction score",
    "support_contacts_band": "support contacts",
    "promotion_response": "promotion response",
    "is_email_opted_in": "email opt-in",
    "engagement_segment": "engagement segment",
}

# Categorical churn factors read without the 1/0 coding of the correlation matrix.
FACTOR_LABELS = {**MEASURE_LABELS, "is_email_opted_in": "email opt-in"}
# The pairs the questions ask about, framed in the correlation matrix.
QUESTION_PAIRS = (
    ("annual_income_k_usd", "total_spend"),
    ("num_support_contacts", "satisfaction_score"),
)

# Tenure is in years on a customer snapshot, in days on an order log: the chart draws the
# metrics metric_distributions has.
ENGAGEMENT_METRICS = (
    "num_purchases",
    "last_purchase_days_ago",
    "years_as_customer",
    "days_as_customer",
    "num_returns",
)
SATISFACTION_METRICS = ("satisfaction_score",)
SIGNIFICANCE = "significant after Benjamini-Hochberg (adjusted p < 0.05)"
NOT_SIGNIFICANT = "not significant after adjustment"
WILSON = "whiskers: 95% Wilson interval"
UNTESTABLE = "not testable: no variation"
HALF_OF_CUSTOMERS = (0.5, "half of the customers")


@dataclass(frozen=True)
class Chart:
    """One figure: its file name (without .png), the questions it answers, and how to draw it."""

    name: str
    questions: tuple[str, ...]
    draw: Callable[[Marts], Figure]


def title(marts: Marts, *question_ids: str) -> str:
    """The question(s) the chart answers, as the scorecard words them."""
    return "\n".join(f"{qid}. {marts.question(qid)['question']}" for qid in question_ids)


def overall_customers(marts: Marts) -> int:
    return int(marts.churn_overview["customers"].iloc[0])


def in_dimension_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by dimension (DIMENSION_LABELS order, unknown ones last), then segment order."""
    known = list(DIMENSION_LABELS)
    rank = frame["dimension"].map(lambda name: known.index(name) if name in known else len(known))
    return (
        frame.assign(_rank=rank)
        .sort_values(["_rank", "dimension", "segment_order"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def dimension_label(dimension: str) -> str:
    return DIMENSION_LABELS.get(dimension, dimension.replace("_", " "))


def wrapped(labels: pd.Series, width: int = 12) -> list[str]:
    return ["\n".join(textwrap.wrap(str(label), width)) for label in labels]


def as_percent(axis: Axis) -> None:
    axis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))


def demographics_chart(marts: Marts) -> Figure:
    cells = marts.demographics.query("age_band != 'all' and gender != 'all'")
    age_bands = cells.sort_values("age_band_order")["age_band"].unique()
    genders = cells.sort_values("gender_order")["gender"].unique()
    grid = cells.pivot(index="age_band", columns="gender").reindex(age_bands)
    total = marts.demographics.query("age_band == 'all' and gender == 'all'")["customers"]
    figure, (counts_ax, spend_ax) = style.new_figure(
        title(marts, "Q1"),
        f"n = {count(total.iloc[0])} customers, by age band and gender. Left: "
        "customers in each cell; right: their mean total spend.",
        height=4.6,
        ncols=2,
    )
    positions = np.arange(len(age_bands))
    for ax, column, label in (
        (counts_ax, "customers", "customers"),
        (spend_ax, "mean_total_spend", "mean total spend (USD)"),
    ):
        values = grid[column].fillna(0) if column == "customers" else grid[column]
        series = [draw.Series(gender, values[gender].to_numpy()) for gender in genders]
        draw.grouped_bars(ax, positions, list(age_bands), series)
        ax.set(xlabel="age band (years)", ylabel=label)
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    counts_ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(genders))
    return figure


def spend_vs_income_chart(marts: Marts) -> Figure:
    overall = marts.spend_vs_income.query("dimension == 'overall'").iloc[0]
    sample = marts.customer_points
    drawn = len(sample.points)
    shown = (
        f"; every {sample.step}th customer by id drawn ({count(drawn)} points)"
        if sample.step > 1
        else ""
    )
    figure, (ax,) = style.new_figure(
        title(marts, "Q2"),
        f"n = {count(overall['n'])} customers{shown}. Line: least squares of spend on income; "
        f"Pearson r with its 95% Fisher-z interval and t-test p; Spearman rho = "
        f"{overall['spearman_rho']:.3f} ({p_value(overall['spearman_p_value'])}).",
        height=5.2,
    )
    draw.scatter_with_line(
        ax,
        sample.points["annual_income_k_usd"],
        sample.points["total_spend"],
        slope=overall["ols_slope"],
        intercept=overall["ols_intercept"],
        points_label=f"customers ({count(drawn)} drawn)",
        line_label=(
            f"spend = {overall['ols_intercept']:,.0f} + {overall['ols_slope']:,.2f} "
            "\N{MULTIPLICATION SIGN} income\n"
            f"r = {overall['pearson_r']:.3f} (95% CI {overall['pearson_r_ci_low']:.3f} to "
            f"{overall['pearson_r_ci_high']:.3f}), {p_value(overall['pearson_p_value'])}, "
            f"R² = {overall['r_squared']:.3f}"
        ),
    )
    ax.set(xlabel="annual income (thousand USD)", ylabel="total spend (USD)")
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncols=2)
    return figure


def engagement_segments_chart(marts: Marts) -> Figure:
    segments = marts.customer_engagement.sort_values("segment_order")
    figure, axes = style.new_figure(
        title(marts, "Q3"),
        f"n = {count(segments['customers'].sum())} customers in {len(segments)} RFM engagement "
        "segments (recency, frequency and spend scores 1-5 from quintile edges), most engaged "
        "first. Labels: share of all customers.",
        height=4.4,
        ncols=3,
    )
    positions = np.arange(len(segments))
    panels = (
        ("customers", "customers", [percent(share) for share in segments["customer_share"]]),
        ("mean_num_purchases", "mean purchases (count)", None),
        ("mean_last_purchase_days_ago", "mean days since last purchase", None),
    )
    for ax, (column, label, bar_labels) in zip(axes, panels, strict=True):
        draw.grouped_bars(
            ax,
            positions,
            list(segments["engagement_segment"]),
            [draw.Series(label, segments[column].to_numpy())],
            bar_labels=[bar_labels] if bar_labels else None,
        )
        ax.set(ylabel=label, xlabel="engagement segment")
        draw.slant_x_labels(ax)
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    return figure


def distribution_chart(marts: Marts, question_id: str, metrics: tuple[str, ...]) -> Figure:
    rows = in_dimension_order(marts.metric_distributions)
    metrics = tuple(metric for metric in metrics if metric in set(rows["metric"]))
    ncols = min(2, len(metrics))
    nrows = -(-len(metrics) // ncols)
    segments = rows[rows["metric"] == metrics[0]]
    positions = draw.grouped_positions(segments["dimension"].tolist())
    groups = ", ".join(
        ["everyone"] + [f"by {dimension_label(d)}" for d in segments["dimension"].unique()[1:]]
    )
    figure, axes = style.new_figure(
        title(marts, question_id),
        f"n = {count(segments['n'].iloc[0])} customers; {groups}. "
        "Box: first quartile to third quartile; line: median; whiskers: minimum to maximum.",
        height=(0.3 * (positions.max() + 2) + 0.6) * nrows,
        nrows=nrows,
        ncols=ncols,
        sharey=True,
    )
    for ax, metric in zip(axes, metrics, strict=False):
        stats = [
            draw.BoxStats(
                segment_tick_label(row.dimension, row.segment),
                row.min,
                row.q1,
                row.median,
                row.q3,
                row.max,
            )
            for row in rows[rows["metric"] == metric].itertuples()
        ]
        draw.boxes(ax, positions, stats)
        draw.label_groups(ax, group_labels(segments["dimension"]), positions, "y")
        ax.set(xlabel=MEASURE_LABELS[metric])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    return figure


def segment_tick_label(dimension: str, segment: str) -> str:
    return "everyone" if dimension == "overall" else str(segment)


def group_labels(dimensions: pd.Series) -> list[str]:
    """The heading of each segment's dimension; none for everyone (its tick says so)."""
    return ["" if d == "overall" else dimension_label(d) for d in dimensions]


def satisfaction_chart(marts: Marts) -> Figure:
    scores = marts.satisfaction_distribution.sort_values("satisfaction_score")
    overall = marts.metric_distributions.query(
        "metric == 'satisfaction_score' and dimension == 'overall'"
    ).iloc[0]
    figure, (ax,) = style.new_figure(
        title(marts, "Q4"),
        f"n = {count(scores['customers'].sum())} customers; mean score "
        f"{overall['mean']:.2f}, median {overall['median']:g}. Bars: share of customers giving "
        f"each score; {WILSON}.",
        height=4.2,
    )
    draw.grouped_bars(
        ax,
        np.arange(len(scores)),
        [str(score) for score in scores["satisfaction_score"]],
        [
            draw.Series(
                "share of customers",
                scores["share"].to_numpy(),
                scores["share_ci_low"].to_numpy(),
                scores["share_ci_high"].to_numpy(),
            )
        ],
        bar_labels=[[percent(share) for share in scores["share"]]],
    )
    ax.axhline(
        1 / len(scores),
        color=style.REFERENCE,
        linestyle="--",
        linewidth=1,
        label=f"equal shares: 1 in {len(scores)}",
    )
    ax.legend(loc="upper right")
    ax.set(xlabel="satisfaction score (1 = lowest, 5 = highest)", ylabel="share of customers")
    ax.set_ylim(0, max(0.3, scores["share_ci_high"].max() * 1.15))
    as_percent(ax.yaxis)
    return figure


def correlation_pair(marts: Marts, first: str, second: str) -> pd.Series:
    pairs = marts.metric_correlations
    chosen = ((pairs["metric_x"] == first) & (pairs["metric_y"] == second)) | (
        (pairs["metric_x"] == second) & (pairs["metric_y"] == first)
    )
    return pairs[chosen].iloc[0]


def support_vs_satisfaction_chart(marts: Marts) -> Figure:
    cells = marts.support_vs_satisfaction
    grid = cells.pivot(
        index="num_support_contacts", columns="satisfaction_score", values="share_within_contacts"
    ).sort_index()
    counts = cells.pivot(
        index="num_support_contacts", columns="satisfaction_score", values="customers"
    ).reindex(index=grid.index, columns=grid.columns)
    row_totals = cells.groupby("num_support_contacts")["support_contacts_customers"].first()
    pair = correlation_pair(marts, "num_support_contacts", "satisfaction_score")
    figure, (ax,) = style.new_figure(
        title(marts, "Q5"),
        f"n = {count(row_totals.sum())} customers. Each row: how the customers with that many "
        f"support contacts score their satisfaction (cell: share of the row, and customers). "
        f"Pearson r = {pair['pearson_r']:.3f} (95% CI {pair['pearson_r_ci_low']:.3f} to "
        f"{pair['pearson_r_ci_high']:.3f}), {p_value(pair['pearson_p_value'])}; Spearman rho "
        f"= {pair['spearman_rho']:.3f}.",
        height=0.55 * len(grid) + 1.4,
    )
    matrix = grid.to_numpy(dtype=float)
    draw.heatmap(
        ax,
        matrix,
        [f"{contacts} ({count(row_totals[contacts])} customers)" for contacts in grid.index],
        [str(score) for score in grid.columns],
        [
            [f"{share * 100:.1f}%\n({count(n)})" for share, n in zip(shares, ns, strict=True)]
            for shares, ns in zip(matrix, counts.to_numpy(), strict=True)
        ],
        colour_map=style.SEQUENTIAL_MAP,
        norm=colors.Normalize(0, np.nanmax(matrix)),
        colour_label="share of the row's customers",
    )
    as_percent(ax.figure.axes[-1].yaxis)
    ax.set(xlabel="satisfaction score (1 = lowest, 5 = highest)", ylabel="support contacts")
    return figure


def correlation_matrix_chart(marts: Marts) -> Figure:
    pairs = marts.metric_correlations
    measures = [m for m in MEASURE_LABELS if m in set(pairs["metric_x"]) | set(pairs["metric_y"])]
    position = {measure: index for index, measure in enumerate(measures)}
    # Lower triangle without the diagonal: row i > column j, so the first row and last column
    # would be empty and are left out.
    matrix = np.full((len(measures) - 1, len(measures) - 1), np.nan)
    text = [[""] * (len(measures) - 1) for _ in measures[1:]]
    for pair in pairs.itertuples():
        row, column = sorted((position[pair.metric_x], position[pair.metric_y]), reverse=True)
        matrix[row - 1, column] = pair.pearson_r
        text[row - 1][column] = (
            f"{two_decimals(pair.pearson_r)}{'*' if pair.is_significant else ''}"
        )
    outlined = [
        (max(position[a], position[b]) - 1, min(position[a], position[b]))
        for a, b in QUESTION_PAIRS
        if a in position and b in position
    ]
    significant = int(pairs["is_significant"].fillna(False).sum())
    figure, (ax,) = style.new_figure(
        title(marts, "Q2", "Q5"),
        f"Pearson r of every pair of the {len(measures)} measures, n = "
        f"{count(pairs['n'].max())} customers per pair. * = {SIGNIFICANCE} over the "
        f"{len(pairs)} pairs: {significant} of {len(pairs)}. Colour runs from -1 to 1, white at 0. "
        "Framed: spend with income (Q2), support contacts with satisfaction (Q5).",
        height=7.2,
    )
    draw.heatmap(
        ax,
        matrix,
        [MEASURE_LABELS[m] for m in measures[1:]],
        [MEASURE_LABELS[m] for m in measures[:-1]],
        text,
        colour_map=style.DIVERGING_MAP,
        norm=colors.Normalize(-1, 1),
        colour_label="Pearson r",
        outlined=outlined,
    )
    draw.slant_x_labels(ax)
    return figure


def two_decimals(value: float) -> str:
    """0.00 rather than -0.00 for a tiny negative value."""
    text = f"{value:.2f}"
    return text[1:] if text == "-0.00" else text


def segment_bars_chart(
    marts: Marts,
    question_id: str,
    rates: pd.DataFrame,
    series_column: str | None,
    *,
    overall: pd.Series,
    rate_words: str,
    bars: str,
    ylabel: str,
    reference: tuple[float, str] | None,
) -> Figure:
    """Rates by segment, segments grouped by dimension, one bar per series at each segment.

    The subtitle gives the overall row's n and rate with its interval ("52.9% opted in"), then
    says what the bars show.
    """
    rates = in_dimension_order(rates)
    segments = rates.drop_duplicates(["dimension", "segment"])
    positions = draw.grouped_positions(segments["dimension"].tolist())
    subtitle = (
        f"n = {count(overall['customers'])} customers; {percent(overall['rate'])} {rate_words} "
        f"(95% interval {percent(overall['rate_ci_low'])} to "
        f"{percent(overall['rate_ci_high'])}). Bars: {bars}; {WILSON}."
    )
    figure, (ax,) = style.new_figure(title(marts, question_id), subtitle, height=4.6)
    names = rates[series_column].unique() if series_column else [ylabel]
    series = []
    for name in names:
        one = rates[rates[series_column] == name] if series_column else rates
        one = segments[["dimension", "segment"]].merge(one, how="left")
        series.append(
            draw.Series(
                str(name),
                one["rate"].to_numpy(),
                one["rate_ci_low"].to_numpy(),
                one["rate_ci_high"].to_numpy(),
            )
        )
    tick_labels = [
        segment_tick_label(d, s)
        for d, s in zip(segments["dimension"], segments["segment"], strict=True)
    ]
    draw.grouped_bars(ax, positions, wrapped(pd.Series(tick_labels), 9), series)
    draw.label_groups(ax, group_labels(segments["dimension"]), positions, "x")
    if reference is not None:
        level, label = reference
        ax.axhline(level, color=style.REFERENCE, linestyle="--", linewidth=1, label=label)
    ax.set(ylabel=ylabel, xlabel="segment", ylim=(0, 1))
    as_percent(ax.yaxis)
    ax.legend(loc="upper right", ncols=len(series) + 1, bbox_to_anchor=(1, -0.16))
    return figure


def email_opt_in_chart(marts: Marts) -> Figure:
    return segment_bars_chart(
        marts,
        "Q6",
        marts.email_opt_in,
        None,
        overall=marts.email_opt_in.query("dimension == 'overall'").iloc[0],
        rate_words="opted in",
        bars="opt-in rate of each segment",
        ylabel="opted in to email",
        reference=HALF_OF_CUSTOMERS,
    )


def promotion_response_chart(marts: Marts) -> Figure:
    responses = marts.promotion_response.sort_values("response_order")
    overall = responses.query("dimension == 'overall' and promotion_response == 'Responded'")
    return segment_bars_chart(
        marts,
        "Q7",
        responses,
        "promotion_response",
        overall=overall.iloc[0],
        rate_words="responded",
        bars="share of each segment giving each response",
        ylabel="share of the segment's customers",
        reference=HALF_OF_CUSTOMERS,
    )


def churn_by_segment_chart(marts: Marts) -> Figure:
    rows = in_dimension_order(marts.churn_by_segment)
    overview = marts.churn_overview.iloc[0]
    positions = draw.grouped_positions(rows["dimension"].tolist()) + 1
    figure, (ax,) = style.new_figure(
        title(marts, "Q8"),
        f"n = {count(overview['customers'])} customers, {count(overview['churned_customers'])} "
        f"churned: {percent(overview['churn_rate'])} (95% interval "
        f"{percent(overview['churn_rate_ci_low'])} to {percent(overview['churn_rate_ci_high'])}"
        f"); one-sided exact binomial test of churn > 50%: {p_value(overview['p_value'])}. "
        f"Dots: churn rate of each segment; {WILSON}; dashed line and band: everyone's rate and "
        "interval.",
        height=0.21 * (positions.max() + 3) + 0.9,
    )
    ax.axvspan(
        overview["churn_rate_ci_low"],
        overview["churn_rate_ci_high"],
        color=style.MUTED,
        alpha=0.18,
        linewidth=0,
    )
    ax.axvline(
        overview["churn_rate"],
        color=style.REFERENCE,
        linestyle="--",
        linewidth=1,
        label=f"everyone: {percent(overview['churn_rate'])}",
    )
    ax.axvline(0.5, color=style.MUTED, linestyle=":", linewidth=1.2, label="50%: churn = retention")
    draw.dots_with_whiskers(
        ax,
        positions,
        [segment_tick_label(d, s) for d, s in zip(rows["dimension"], rows["segment"], strict=True)],
        rows["churn_rate"],
        rows["churn_rate_ci_low"],
        rows["churn_rate_ci_high"],
        highlighted=(rows["p_value_adjusted"] < 0.05).to_numpy(),
        highlight_label=f"differs from the rest, {SIGNIFICANCE}",
        plain_label=f"segment, {NOT_SIGNIFICANT}",
    )
    draw.label_groups(ax, group_labels(rows["dimension"]), positions, "y")
    ax.set(xlabel="churn rate (share of the segment's customers who churned)", xlim=(0, 1))
    as_percent(ax.xaxis)
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.045 * 11 / figure.get_figheight()))
    return figure


def points(share: float) -> str:
    """A difference of two rates in percentage points, signed, one decimal at most: '+5',
    '-12.5', '0'."""
    text = f"{round(100 * share, 1):+g}"
    return "0" if text in {"+0", "-0"} else text


def verdict_counts(verdicts: pd.Series) -> str:
    """How many rows have each verdict, in words: '0 effect, 10 no meaningful effect, ...'."""
    return ", ".join(
        f"{int((verdicts == verdict).sum())} {verdict}" for verdict in style.VERDICT_MARKERS
    )


VERDICT_KEY = (
    "Orange: effect; blue diamond: no meaningful effect (its thick bar lies inside the band); "
    "grey, hollow and dashed: inconclusive."
)
EQUIVALENCE_BAR = (
    "the equivalence interval (1 - 2 alpha, 90% by default) the verdict holds against the "
    "shaded margin"
)


def churn_difference_chart(marts: Marts) -> Figure:
    rows = in_dimension_order(marts.churn_by_segment)
    rows = rows[rows["churn_rate_difference"].notna()].reset_index(drop=True)
    (margin,) = rows["equivalence_margin"].unique()
    positions = draw.grouped_positions(rows["dimension"].tolist()) + 1
    figure, (ax,) = style.new_figure(
        title(marts, "Q8"),
        f"n = {count(overall_customers(marts))} customers. Dot: each segment's churn rate minus "
        f"that of the rest of its dimension; whiskers: its 95% Newcombe interval; thick bar: "
        f"{EQUIVALENCE_BAR} of \N{PLUS-MINUS SIGN}{points(margin)[1:]} points. "
        f"{VERDICT_KEY} Segments: {verdict_counts(rows['verdict'])}.",
        height=0.21 * (positions.max() + 3) + 0.9,
    )
    draw.intervals_against_margin(
        ax,
        positions,
        [segment_tick_label(d, s) for d, s in zip(rows["dimension"], rows["segment"], strict=True)],
        verdicts=rows["verdict"],
        equivalence_low=rows["churn_rate_difference_equivalence_low"],
        equivalence_high=rows["churn_rate_difference_equivalence_high"],
        margin=margin,
        margin_label=f"equivalence margin \N{PLUS-MINUS SIGN}{points(margin)[1:]} points",
        values=rows["churn_rate_difference"],
        ci_low=rows["churn_rate_difference_ci_low"],
        ci_high=rows["churn_rate_difference_ci_high"],
        headroom=1.8,
    )
    draw.label_groups(ax, group_labels(rows["dimension"]), positions, "y")
    as_points(ax.xaxis)
    ax.set(xlabel="churn rate of the segment minus the rest (percentage points)")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.045 * 11 / figure.get_figheight()), ncols=4)
    return figure


def as_points(axis: Axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda share, _: points(share)))


def churn_drivers_chart(marts: Marts) -> Figure:
    drivers = marts.churn_drivers
    panels = [
        (kind, drivers[drivers["factor_type"] == kind]) for kind in ("numeric", "categorical")
    ]
    panels = [(kind, rows) for kind, rows in panels if len(rows)]
    figure, axes = style.new_figure(
        title(marts, "Q9"),
        f"n = {count(overall_customers(marts))} customers, {len(drivers)} factors, each judged "
        "in the units of its test: numeric factors by the point-biserial r (dot; > 0: churned "
        "customers have higher values), categorical ones by the churn-rate difference of each "
        "of their levels from the rest (the bar spans every level's interval). "
        f"Thick bar: {EQUIVALENCE_BAR}. {VERDICT_KEY} P-values adjusted by Benjamini-Hochberg "
        f"over the {int(drivers['p_value'].notna().sum())} tested. "
        f"Factors: {verdict_counts(drivers['verdict'])}.",
        height=0.34 * len(drivers) + 0.9 * len(panels),
        nrows=len(panels),
        gridspec_kw={"height_ratios": [len(rows) + 1.5 for _, rows in panels]},
    )
    for ax, (kind, rows) in zip(axes, panels, strict=True):
        rows = rows.assign(
            largest=rows[["equivalence_low", "equivalence_high"]].abs().max(axis=1)
        ).sort_values(["largest", "factor"], ascending=[False, True])
        (margin,) = rows["equivalence_margin"].unique()
        numeric = kind == "numeric"
        margin_text = f"{margin:.2g}" if numeric else f"{points(margin)[1:]} points"
        draw.intervals_against_margin(
            ax,
            np.arange(len(rows)),
            [FACTOR_LABELS.get(factor, factor) for factor in rows["factor"]],
            verdicts=rows["verdict"],
            equivalence_low=rows["equivalence_low"],
            equivalence_high=rows["equivalence_high"],
            margin=margin,
            margin_label=f"equivalence margin \N{PLUS-MINUS SIGN}{margin_text}",
            values=rows["effect_size"] if numeric else None,
        )
        symbol = "r" if numeric else "V"
        for position, row in enumerate(rows.itertuples()):
            ax.annotate(
                # a factor without a test (no variation) has no verdict and no bar
                UNTESTABLE
                if pd.isna(row.p_value_adjusted)
                else f"{symbol} = {row.effect_size:.2f}, adjusted {p_value(row.p_value_adjusted)}",
                xy=(1, position),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        limit = max(2 * margin, 1.2 * rows["largest"].fillna(0).max())
        ax.set_xlim(-limit, limit)
        if numeric:
            ax.set(xlabel="point-biserial r with churn")
        else:
            as_points(ax.xaxis)
            ax.set(xlabel="churn rate of a level minus the rest (percentage points)")
    # One legend for both panels: each margin band, and each verdict drawn, once.
    entries = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
    figure.legend(entries.values(), entries.keys(), loc="outside lower left", ncols=len(entries))
    return figure


def retention_chart(marts: Marts) -> Figure:
    rows = marts.cohort_retention.sort_values(["cohort_month", "months_since_first_order"])
    shares = rows.pivot(
        index="cohort_month", columns="months_since_first_order", values="retention_rate"
    )
    sizes = rows.groupby("cohort_month")["cohort_customers"].first()
    # Each cohort's cells as far as its months have ended: later cohorts have fewer.
    text = [
        [percent(share, 0) if not np.isnan(share) else "" for share in cohort_shares]
        for cohort_shares in shares.to_numpy()
    ]
    # Month 3 framed in every cohort that reached it: the scorecard's headline (GQM.md).
    month_three = shares.get(3, pd.Series(np.nan, index=shares.index)).to_numpy(dtype=float)
    outlined = [(row, 3) for row, share in enumerate(month_three) if not np.isnan(share)]
    figure, (ax,) = style.new_figure(
        title(marts, "Q10"),
        f"n = {count(sizes.sum())} customers in {len(sizes)} cohorts by the month of their first "
        "purchase. Cells: share of the cohort with a purchase in each month since the first "
        "(month 0 = the month of the first purchase), for the months that ended by the snapshot "
        "date. Framed: month 3, the scorecard's month-3 retention.",
        height=max(2.4, 0.32 * len(sizes) + 1.4),
    )
    draw.heatmap(
        ax,
        shares.to_numpy(dtype=float),
        [f"{cohort:%Y-%m} (n = {count(size)})" for cohort, size in sizes.items()],
        [str(month) for month in shares.columns],
        text,
        colour_map=style.SEQUENTIAL_MAP,
        norm=colors.Normalize(0, 1),
        colour_label="share of the cohort buying",
        outlined=outlined,
    )
    ax.set(xlabel="months since the first purchase", ylabel="cohort (first-purchase month)")
    return figure


CHARTS = (
    Chart("q1_demographics", ("Q1",), demographics_chart),
    Chart("q2_spend_vs_income", ("Q2",), spend_vs_income_chart),
    Chart("q2_q5_correlation_matrix", ("Q2", "Q5"), correlation_matrix_chart),
    Chart("q3_engagement_segments", ("Q3",), engagement_segments_chart),
    Chart(
        "q3_engagement_distributions",
        ("Q3",),
        partial(distribution_chart, question_id="Q3", metrics=ENGAGEMENT_METRICS),
    ),
    Chart("q4_satisfaction_distribution", ("Q4",), satisfaction_chart),
    Chart(
        "q4_satisfaction_by_segment",
        ("Q4",),
        partial(distribution_chart, question_id="Q4", metrics=SATISFACTION_METRICS),
    ),
    Chart("q5_support_vs_satisfaction", ("Q5",), support_vs_satisfaction_chart),
    Chart("q6_email_opt_in", ("Q6",), email_opt_in_chart),
    Chart("q7_promotion_response", ("Q7",), promotion_response_chart),
    Chart("q8_churn_by_segment", ("Q8",), churn_by_segment_chart),
    Chart("q8_churn_difference_from_rest", ("Q8",), churn_difference_chart),
    Chart("q9_churn_drivers", ("Q9",), churn_drivers_chart),
    Chart("q10_cohort_retention", ("Q10",), retention_chart),
)


def drawn_charts(marts: Marts) -> list[Chart]:
    """The charts of CHARTS that answer a question the input can answer (gqm_scorecard.status):
    an order log has no age, income or satisfaction, and draws no chart of them."""
    return [
        chart
        for chart in CHARTS
        if any(marts.question(qid)["status"] == "answered" for qid in chart.questions)
    ]


def draw_charts(marts: Marts) -> dict[str, Figure]:
    """Every chart the input can answer (drawn_charts), by name, in the house style."""
    with style.context():
        return {chart.name: chart.draw(marts) for chart in drawn_charts(marts)}
