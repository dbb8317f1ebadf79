"""The data generator against the Kaggle file it imitates, and against scipy for planted effects."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SEED_CSV, Warehouse, run_dbt
from pandas.testing import assert_frame_equal
from scipy import stats

from bench import generate
from bench.reference import customers as reference

ROWS = 200_000
SEED = 1
# Crosses a block boundary (65,536 rows), where a new random stream starts.
SMALL_ROWS = 70_000
PLANTS = {
    "churn~support_contacts:0.3": ("Target_Churn", "Num_of_Support_Contacts", 0.3),
    "spend~income:0.5": ("Total_Spend", "Annual_Income", 0.5),
    "satisfaction~support_contacts:-0.3": ("Satisfaction_Score", "Num_of_Support_Contacts", -0.3),
}
CATEGORY_COLUMNS = ["Gender", "Promotion_Response", "Email_Opt_In", "Target_Churn"]


def write(
    directory: Path, file_format: str, rows: int, seed: int = SEED, plants: tuple = ()
) -> Path:
    name = f"customers_{rows}_{seed}_{len(plants)}.{file_format}"
    parsed = [generate.parse_plant(text) for text in plants]
    return generate.generate(rows, seed, file_format, directory / name, parsed)


@pytest.fixture(scope="module")
def kaggle() -> pd.DataFrame:
    return pd.read_csv(SEED_CSV)


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


@pytest.fixture(scope="module")
def plain_csv(generated_dir: Path) -> Path:
    return write(generated_dir, "csv", ROWS)


@pytest.fixture(scope="module")
def plain(generated_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(write(generated_dir, "parquet", ROWS))


@pytest.fixture(scope="module")
def planted(generated_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(write(generated_dir, "parquet", ROWS, plants=tuple(PLANTS)))


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    return [column for column in frame.select_dtypes("number") if column != "Customer_ID"]


@pytest.mark.parametrize("file_format", generate.FORMATS)
def test_the_same_seed_writes_the_same_bytes(tmp_path: Path, file_format: str) -> None:
    plants = ("churn~support_contacts:0.3",)
    first = write(tmp_path / "first", file_format, SMALL_ROWS, plants=plants)
    second = write(tmp_path / "second", file_format, SMALL_ROWS, plants=plants)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("file_format", generate.FORMATS)
def test_another_seed_writes_other_customers(tmp_path: Path, file_format: str) -> None:
    one = write(tmp_path, file_format, SMALL_ROWS, seed=1)
    other = write(tmp_path, file_format, SMALL_ROWS, seed=2)
    assert one.read_bytes() != other.read_bytes()
    read = pd.read_csv if file_format == "csv" else pd.read_parquet
    assert (read(one)["Total_Spend"] != read(other)["Total_Spend"]).mean() > 0.99


def test_a_smaller_file_is_the_start_of_a_larger_one(tmp_path: Path) -> None:
    small = write(tmp_path, "csv", 1_000).read_bytes()
    large = write(tmp_path, "csv", SMALL_ROWS).read_bytes()
    assert large.startswith(small)


def test_the_csv_is_encoded_like_the_kaggle_file(plain_csv: Path) -> None:
    kaggle_lines = SEED_CSV.read_bytes().split(b"\n")
    lines = plain_csv.read_bytes().split(b"\n")
    assert lines[0] == kaggle_lines[0], "same header, same CRLF"
    assert lines[-1] == kaggle_lines[-1] == b"", "both end with a line end"
    assert all(line.endswith(b"\r") for line in lines[:-1])
    assert len(lines) - 2 == ROWS


def test_the_csv_spells_values_like_the_kaggle_file(plain_csv: Path, kaggle: pd.DataFrame) -> None:
    """Each column's values match the pattern the Kaggle file's values all match."""
    kaggle_text = pd.read_csv(SEED_CSV, dtype=str)
    text = pd.read_csv(plain_csv, dtype=str, nrows=20_000)
    patterns = {
        "integer": r"[1-9][0-9]*|0",
        # Two decimals at most, trailing zeros dropped: 453.8, 122, 0.05.
        "money": r"[0-9]+(\.[0-9]?[1-9])?",
        "boolean": r"TRUE|FALSE",
        "word": r"[A-Z][a-z]+",
    }
    for column in kaggle.columns:
        kaggle_spelling = [
            name
            for name, pattern in patterns.items()
            if kaggle_text[column].str.fullmatch(pattern).all()
        ]
        assert kaggle_spelling, f"{column}: no pattern fits the Kaggle file"
        assert text[column].str.fullmatch(patterns[kaggle_spelling[0]]).all(), column


def test_pandas_reads_both_formats_with_the_kaggle_files_types(
    plain_csv: Path, plain: pd.DataFrame, kaggle: pd.DataFrame
) -> None:
    assert_frame_equal(plain.dtypes.to_frame(), kaggle.dtypes.to_frame())
    assert_frame_equal(pd.read_csv(plain_csv), plain)


def test_parquet_columns_are_typed() -> None:
    kinds = {pa.int64(), pa.float64(), pa.bool_(), pa.string()}
    assert generate.SCHEMA.names == list(pd.read_csv(SEED_CSV, nrows=0).columns)
    assert {field.type for field in generate.SCHEMA} == kinds


def test_chunks_change_neither_the_values_nor_the_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks bound memory and make Parquet row groups; the random streams ignore them."""
    default_csv = write(tmp_path / "default", "csv", SMALL_ROWS)
    default_parquet = write(tmp_path / "default", "parquet", SMALL_ROWS)
    monkeypatch.setattr(generate, "CHUNK_BLOCKS", 1)
    monkeypatch.setattr(generate, "CHUNK_ROWS", generate.BLOCK_ROWS)
    small_csv = write(tmp_path / "small", "csv", SMALL_ROWS)
    small_parquet = write(tmp_path / "small", "parquet", SMALL_ROWS)
    assert small_csv.read_bytes() == default_csv.read_bytes()
    assert pq.read_metadata(default_parquet).num_row_groups == 1
    assert pq.read_metadata(small_parquet).num_row_groups == 2
    assert pq.read_table(small_parquet).equals(pq.read_table(default_parquet))


@pytest.mark.parametrize("file_format", generate.FORMATS)
def test_zero_rows_write_the_columns_only(tmp_path: Path, file_format: str) -> None:
    read = pd.read_csv if file_format == "csv" else pd.read_parquet
    empty = read(write(tmp_path, file_format, 0))
    assert list(empty.columns) == generate.SCHEMA.names
    assert empty.empty


def test_customer_ids_count_from_one(plain: pd.DataFrame) -> None:
    assert plain["Customer_ID"].tolist() == list(range(1, ROWS + 1))


def test_numbers_span_the_kaggle_ranges(plain: pd.DataFrame, kaggle: pd.DataFrame) -> None:
    """The generated range covers the Kaggle one and is at most 1 % wider.

    1,000 uniform draws fall short of their range's ends by about 0.2 % of it.
    """
    for column in numeric_columns(kaggle):
        low, high = plain[column].min(), plain[column].max()
        kaggle_low, kaggle_high = kaggle[column].min(), kaggle[column].max()
        assert low <= kaggle_low and high >= kaggle_high, column
        assert high - low <= 1.01 * (kaggle_high - kaggle_low), column


def test_money_has_whole_cents(plain: pd.DataFrame) -> None:
    for column in ["Annual_Income", "Total_Spend", "Average_Transaction_Amount"]:
        cents = plain[column] * 100
        assert np.allclose(cents, cents.round(), rtol=0, atol=1e-6), column


def test_categories_are_the_kaggle_ones(plain: pd.DataFrame, kaggle: pd.DataFrame) -> None:
    for column in CATEGORY_COLUMNS:
        assert set(plain[column]) == set(kaggle[column]), column


def test_category_shares_match_the_kaggle_file(plain: pd.DataFrame, kaggle: pd.DataFrame) -> None:
    """Within four standard errors of the two samples (the Kaggle file's 1,000 dominate)."""
    for column in CATEGORY_COLUMNS:
        kaggle_shares = kaggle[column].value_counts(normalize=True)
        shares = plain[column].value_counts(normalize=True)
        for value, share in kaggle_shares.items():
            standard_error = math.sqrt(share * (1 - share) * (1 / len(kaggle) + 1 / ROWS))
            assert shares[value] == pytest.approx(share, abs=4 * standard_error), (column, value)


def test_numeric_means_match_the_kaggle_file(plain: pd.DataFrame, kaggle: pd.DataFrame) -> None:
    for column in numeric_columns(kaggle):
        standard_error = kaggle[column].std() * math.sqrt(1 / len(kaggle) + 1 / ROWS)
        assert plain[column].mean() == pytest.approx(
            kaggle[column].mean(), abs=4 * standard_error
        ), column


def test_numeric_distributions_match_the_kaggle_file(
    plain: pd.DataFrame, kaggle: pd.DataFrame
) -> None:
    """Two-sample Kolmogorov-Smirnov per column, family-wise 0.1 % (Bonferroni).

    A lenient level because the Kaggle file is itself one noisy sample: its
    Average_Transaction_Amount has a KS p of about 0.001 against any uniform. A wrong shape or
    range still fails by far (a range 10 % too wide gives p < 1e-10 at these sizes).
    """
    columns = numeric_columns(kaggle)
    for column in columns:
        p_value = stats.ks_2samp(plain[column], kaggle[column]).pvalue
        assert p_value > 0.001 / len(columns), column


def test_without_plants_the_columns_are_uncorrelated(plain: pd.DataFrame) -> None:
    """Every pair within five standard errors of zero (1 / sqrt(n) for r near 0)."""
    correlations = plain.drop(columns=["Customer_ID", "Gender", "Promotion_Response"]).corr()
    off_diagonal = correlations.to_numpy()[~np.eye(len(correlations), dtype=bool)]
    assert np.abs(off_diagonal).max() < 5 / math.sqrt(ROWS)


@pytest.mark.parametrize("plant", PLANTS)
def test_a_planted_effect_has_the_requested_strength(planted: pd.DataFrame, plant: str) -> None:
    """Pearson r (point-biserial for churn) within four standard errors, (1 - r^2) / sqrt(n)."""
    target, source, strength = PLANTS[plant]
    if planted[target].dtype == bool:
        measured = stats.pointbiserialr(planted[target], planted[source])
    else:
        measured = stats.pearsonr(planted[source], planted[target])
    assert measured.statistic == pytest.approx(
        strength, abs=4 * (1 - strength**2) / math.sqrt(ROWS)
    )
    assert measured.pvalue < 1e-10


def test_a_plant_changes_only_its_target(plain: pd.DataFrame, planted: pd.DataFrame) -> None:
    targets = {target for target, _, _ in PLANTS.values()}
    untouched = [column for column in plain.columns if column not in targets]
    assert_frame_equal(planted[untouched], plain[untouched])
    for target in targets:
        assert (planted[target] != plain[target]).any(), target


def test_a_plant_keeps_its_targets_shares(plain: pd.DataFrame, planted: pd.DataFrame) -> None:
    for target in ["Target_Churn", "Satisfaction_Score"]:
        expected = plain[target].value_counts(normalize=True)
        shares = planted[target].value_counts(normalize=True).reindex(expected.index)
        assert np.allclose(shares, expected, atol=4 * math.sqrt(0.25 * 2 / ROWS)), target
    spend = planted["Total_Spend"]
    assert spend.min() >= plain["Total_Spend"].min() - 1
    assert spend.max() <= plain["Total_Spend"].max() + 1
    assert stats.ks_2samp(spend, plain["Total_Spend"]).pvalue > 0.001


def test_a_chain_of_plants_applies_the_source_first() -> None:
    chain = [
        generate.parse_plant(text)
        for text in ["churn~satisfaction:-0.2", "satisfaction~returns:0.3"]
    ]
    assert [str(plant) for plant in generate.in_dependency_order(chain)] == [
        "satisfaction~returns:0.3",
        "churn~satisfaction:-0.2",
    ]


@pytest.mark.parametrize(
    ("plants", "message"),
    [
        (["churn support 0.3"], "target~source:strength"),
        (["churn~gender:0.3"], "unknown column gender"),
        (["churn~churn:0.3"], "different columns"),
        (["churn~satisfaction:0.95"], "can only correlate between"),
        (["churn~returns:0.1", "churn~age:0.1"], "target of one plant only"),
        (["churn~returns:0.1", "returns~churn:0.1"], "cycle"),
    ],
)
def test_an_impossible_plant_is_refused_with_the_reason(plants: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate.in_dependency_order([generate.parse_plant(text) for text in plants])


def test_the_command_writes_the_file_it_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "customers.parquet"
    generate.main(
        ["--rows", "100", "--seed", "3", "--out", str(out), "--plant", "spend~income:0.5"]
    )
    printed = capsys.readouterr()
    assert printed.out.strip() == str(out)
    assert pq.read_metadata(out).num_rows == 100
    # tqdm's bar reaches every row, then one line says what was written where.
    assert "100/100" in printed.err
    assert printed.err.rstrip().splitlines()[-1].startswith(f"wrote 100 rows to {out} in ")


def test_the_command_is_silent_on_stderr_when_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate.main(["--rows", "100", "--out", str(tmp_path / "customers.csv"), "--quiet"])
    assert capsys.readouterr().err == ""


def test_the_command_refuses_an_extension_that_is_not_the_format(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        generate.main(["--rows", "10", "--format", "parquet", "--out", str(tmp_path / "x.csv")])


@pytest.mark.parametrize("file_format", generate.FORMATS)
def test_staging_reads_a_generated_file_as_pandas_does(tmp_path: Path, file_format: str) -> None:
    path = write(tmp_path, file_format, 20_000, plants=("churn~support_contacts:0.3",))
    db_path = tmp_path / "staging.duckdb"
    run_dbt(
        ["build", "--select", "+stg_customers", "customer_rejects"],
        db_path,
        dbt_vars={"raw_customers_path": str(path)},
    )
    staged = Warehouse(db_path).query("select * from stg_customers order by customer_id")
    assert_frame_equal(staged, reference.read_customers(path), check_dtype=False)
