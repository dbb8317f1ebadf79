"""Deterministic synthetic customers shaped like the Kaggle file, for scale tests and benchmarks.

    .venv/bin/python -m bench.generate --rows 1000000 --seed 7 --format parquet
    .venv/bin/python -m bench.generate --rows 200000 --plant churn~support_contacts:0.3

With --order-log it writes an order log instead (--rows order lines; bench/order_log.py says how
it is drawn, --value-dropout S plants a dependence of the dropout time on order value):

    .venv/bin/python -m bench.generate --order-log --rows 1000000 --format parquet

Writes the 15 columns of `seeds/raw_customers.csv` with its header names and encodings: CSV with
CRLF line ends, booleans TRUE/FALSE and money with at most two decimals and no trailing zeros
(453.8, 122); or Parquet typed int64 / double / bool / string, one row group per chunk. The file
goes to data/generated/ (ignored by git) unless --out names another path.

Each column is drawn on its own, as in the Kaggle file, which is close to independent uniform
noise. Ranges are the Kaggle file's (its minima and maxima sit at these ends); shares are its
counts out of 1,000. The plant name is what --plant calls the column.

    column                      plant name          values
    Customer_ID                                     1 .. rows, in order
    Age                         age                 integers 18-69, uniform
    Gender                                          Female 34.2 %, Male 33.4 %, Other 32.4 %
    Annual_Income               income              20.00-200.00 (thousand USD), every cent
                                                    equally likely
    Total_Spend                 spend               100.00-10000.00, every cent equally likely
    Years_as_Customer           tenure              integers 1-19, uniform
    Num_of_Purchases            purchases           integers 1-99, uniform
    Average_Transaction_Amount  avg_transaction     10.00-500.00, every cent equally likely
    Num_of_Returns              returns             integers 0-9, uniform
    Num_of_Support_Contacts     support_contacts    integers 0-4, uniform
    Satisfaction_Score          satisfaction        integers 1-5, uniform
    Last_Purchase_Days_Ago      last_purchase_days  integers 1-364, uniform
    Email_Opt_In                email_opt_in        TRUE 52.9 %
    Promotion_Response                              Ignored 30.1 %, Responded 33.8 %,
                                                    Unsubscribed 36.1 %
    Target_Churn                churn               TRUE 52.6 %

Planted effects. `--plant target~source:r` (repeatable) makes the target column depend on the
source column so that the Pearson correlation of the two columns as written is r, between -1
and 1; a boolean counts as TRUE = 1, so for churn r is the point-biserial correlation. Any two
columns with a plant name pair up, for example

    churn~support_contacts:0.3      churn rises with support contacts (point-biserial r = 0.3)
    spend~income:0.5                Total_Spend follows Annual_Income (Pearson r = 0.5)
    satisfaction~support_contacts:-0.3   more contacts, lower satisfaction

The target keeps its range and shares exactly: each column is drawn as a uniform number u pushed
through its quantile function, and a plant replaces the target's u by
Phi(rho * Phi^-1(u_source) + sqrt(1 - rho^2) * Phi^-1(u_target)), a Gaussian copula whose latent
correlation rho is solved numerically so that the written columns correlate by r. Only the
target column changes; every other column is byte for byte the one drawn without the plant. A
pair of columns reaches at most the |r| its shares allow (a boolean and a 5-level score cannot
correlate perfectly); a larger request fails and names the limit. A column is the target of one
plant at most; chains (a~b, b~c) are applied in dependency order.

Determinism. Rows are drawn in blocks of 65,536, block b from numpy's PCG64 seeded by
SeedSequence(seed, spawn_key=(b,)), each block drawing every column in full whatever the number
of rows asked. So the same arguments give a byte-identical file, another seed a different one,
and the first n rows of a larger file equal the n-row file with the same seed and plants.
"""

import argparse
import math
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri
from tqdm import tqdm

from bench import order_log

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = PROJECT_DIR / "data" / "generated"
FORMATS = ("csv", "parquet")
ID_HEADER = "Customer_ID"
BLOCK_ROWS = 1 << 16
# Rows written at once (and one Parquet row group): bounds memory to a few hundred MB.
CHUNK_BLOCKS = 8
CHUNK_ROWS = BLOCK_ROWS * CHUNK_BLOCKS
# Midpoints on (0, 1) over which a plant's correlation is integrated when solving for rho.
CALIBRATION_POINTS = 20_000
LATENT_CORRELATION_LIMIT = 1 - 1e-9


@dataclass(frozen=True)
class Discrete:
    """Finitely many values with probabilities; a larger uniform never draws an earlier value."""

    values: tuple[bool | int | str, ...]
    probabilities: tuple[float, ...]

    @cached_property
    def arrow_values(self) -> pa.Array:
        return pa.array(self.values)

    @property
    def arrow_type(self) -> pa.DataType:
        return self.arrow_values.type

    @cached_property
    def cuts(self) -> np.ndarray:
        """The uniform number where each value after the first begins."""
        return np.cumsum(self.probabilities)[:-1]

    @cached_property
    def numbers(self) -> np.ndarray:
        return np.asarray(self.values, dtype=float)

    @property
    def mean(self) -> float:
        return float(self.numbers @ np.asarray(self.probabilities))

    @property
    def std(self) -> float:
        return math.sqrt((self.numbers - self.mean) ** 2 @ np.asarray(self.probabilities))

    def codes(self, uniforms: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.cuts, uniforms, side="right")

    def sample(self, uniforms: np.ndarray) -> pa.Array:
        return self.arrow_values.take(self.codes(uniforms))

    def numeric(self, uniforms: np.ndarray) -> np.ndarray:
        return self.numbers[self.codes(uniforms)]

    def conditional_mean(self, latent: np.ndarray, rho: float) -> np.ndarray:
        """E[value | source latent] when this column's latent correlates with it by rho."""
        # value = first + sum of the steps whose cut the target's uniform passes.
        passes_cut = ndtr((rho * latent[:, None] - ndtri(self.cuts)) / math.sqrt(1 - rho**2))
        return self.numbers[0] + passes_cut @ np.diff(self.numbers)


@dataclass(frozen=True)
class Money:
    """Amounts with two decimals, every cent from low to high equally likely."""

    low_cents: int
    high_cents: int
    arrow_type = pa.float64()

    @property
    def cents_count(self) -> int:
        return self.high_cents - self.low_cents + 1

    @property
    def std(self) -> float:
        return math.sqrt((self.cents_count**2 - 1) / 12) / 100

    def numeric(self, uniforms: np.ndarray) -> np.ndarray:
        steps = np.minimum(np.floor(uniforms * self.cents_count), self.cents_count - 1)
        return (self.low_cents + steps) / 100

    def sample(self, uniforms: np.ndarray) -> pa.Array:
        return pa.array(self.numeric(uniforms))

    def conditional_mean(self, latent: np.ndarray, rho: float) -> np.ndarray:
        """E[value | source latent] when this column's latent correlates with it by rho."""
        # E[Phi(rho z + s e)] = Phi(rho z / sqrt(1 + s^2)); rounding to cents only shifts it.
        uniform_mean = ndtr(rho * latent / math.sqrt(2 - rho**2))
        return (self.low_cents + self.cents_count * uniform_mean) / 100


def integers(low: int, high: int) -> Discrete:
    count = high - low + 1
    return Discrete(tuple(range(low, high + 1)), (1 / count,) * count)


def money(low: int, high: int) -> Money:
    return Money(low * 100, high * 100)


@dataclass(frozen=True)
class Column:
    header: str
    plant_name: str | None
    distribution: Discrete | Money


COLUMNS = (
    Column("Age", "age", integers(18, 69)),
    Column("Gender", None, Discrete(("Female", "Male", "Other"), (0.342, 0.334, 0.324))),
    Column("Annual_Income", "income", money(20, 200)),
    Column("Total_Spend", "spend", money(100, 10_000)),
    Column("Years_as_Customer", "tenure", integers(1, 19)),
    Column("Num_of_Purchases", "purchases", integers(1, 99)),
    Column("Average_Transaction_Amount", "avg_transaction", money(10, 500)),
    Column("Num_of_Returns", "returns", integers(0, 9)),
    Column("Num_of_Support_Contacts", "support_contacts", integers(0, 4)),
    Column("Satisfaction_Score", "satisfaction", integers(1, 5)),
    Column("Last_Purchase_Days_Ago", "last_purchase_days", integers(1, 364)),
    Column("Email_Opt_In", "email_opt_in", Discrete((False, True), (0.471, 0.529))),
    Column(
        "Promotion_Response",
        None,
        Discrete(("Ignored", "Responded", "Unsubscribed"), (0.301, 0.338, 0.361)),
    ),
    Column("Target_Churn", "churn", Discrete((False, True), (0.474, 0.526))),
)
PLANTABLE = {column.plant_name: column for column in COLUMNS if column.plant_name}
SCHEMA = pa.schema(
    [(ID_HEADER, pa.int64())]
    + [(column.header, column.distribution.arrow_type) for column in COLUMNS]
)
PLANT_PATTERN = re.compile(r"(?P<target>\w+)~(?P<source>\w+):(?P<strength>[-+]?[0-9.]+)")


def planted_correlation(source: Column, target: Column, rho: float) -> float:
    """Pearson r of the two columns as written when their latent normals correlate by rho."""
    uniforms = (np.arange(CALIBRATION_POINTS) + 0.5) / CALIBRATION_POINTS
    source_values = source.distribution.numeric(uniforms)
    target_means = target.distribution.conditional_mean(ndtri(uniforms), rho)
    covariance = np.mean((source_values - source_values.mean()) * target_means)
    return float(covariance / (source.distribution.std * target.distribution.std))


@dataclass(frozen=True)
class Plant:
    """The target column drawn to correlate with the source column by strength (Pearson r)."""

    target: Column
    source: Column
    strength: float

    def __str__(self) -> str:
        return f"{self.target.plant_name}~{self.source.plant_name}:{self.strength:g}"

    @cached_property
    def latent_correlation(self) -> float:
        """The rho that makes the written columns correlate by strength."""
        lowest, highest = (
            planted_correlation(self.source, self.target, rho)
            for rho in (-LATENT_CORRELATION_LIMIT, LATENT_CORRELATION_LIMIT)
        )
        if not lowest < self.strength < highest:
            raise ValueError(
                f"--plant {self}: these two columns can only correlate between {lowest:.3f} and "
                f"{highest:.3f}; ask for a strength inside that range."
            )
        return brentq(
            lambda rho: planted_correlation(self.source, self.target, rho) - self.strength,
            -LATENT_CORRELATION_LIMIT,
            LATENT_CORRELATION_LIMIT,
            xtol=1e-12,
        )

    def apply(self, source_uniforms: np.ndarray, target_uniforms: np.ndarray) -> np.ndarray:
        """The target's uniforms, now tied to the source's through the Gaussian copula."""
        rho = self.latent_correlation
        # rng.random() can return 0, whose normal quantile is -inf.
        source_latent = ndtri(np.maximum(source_uniforms, np.finfo(float).tiny))
        target_noise = ndtri(np.maximum(target_uniforms, np.finfo(float).tiny))
        return ndtr(rho * source_latent + math.sqrt(1 - rho**2) * target_noise)


def parse_plant(text: str) -> Plant:
    """'churn~support_contacts:0.3' -> Plant; ValueError saying what is wrong otherwise."""
    match = PLANT_PATTERN.fullmatch(text.strip())
    if not match:
        raise ValueError(
            f"--plant {text!r}: write it as target~source:strength, e.g. spend~income:0.5."
        )
    names = {match["target"], match["source"]}
    if unknown := sorted(names - PLANTABLE.keys()):
        raise ValueError(
            f"--plant {text!r}: unknown column {', '.join(unknown)}; plantable columns are "
            f"{', '.join(PLANTABLE)} (Gender and Promotion_Response have no order)."
        )
    if len(names) == 1:
        raise ValueError(f"--plant {text!r}: the target and the source must be different columns.")
    plant = Plant(PLANTABLE[match["target"]], PLANTABLE[match["source"]], float(match["strength"]))
    plant.latent_correlation  # noqa: B018 - solve now, so a strength out of reach fails at once
    return plant


def in_dependency_order(plants: Sequence[Plant]) -> list[Plant]:
    """Plants ordered so that a column is planted before it serves as another plant's source."""
    targets = [plant.target.header for plant in plants]
    if len(set(targets)) < len(targets):
        raise ValueError("--plant: each column can be the target of one plant only.")
    ordered: list[Plant] = []
    pending = list(plants)
    while pending:
        pending_targets = {plant.target.header for plant in pending}
        ready = [plant for plant in pending if plant.source.header not in pending_targets]
        if not ready:
            raise ValueError(
                f"--plant: {', '.join(map(str, pending))} depend on each other in a cycle."
            )
        ordered += ready
        pending = [plant for plant in pending if plant not in ready]
    return ordered


def block_table(seed: int, block: int, rows: int, plants: Sequence[Plant]) -> pa.Table:
    """The first `rows` rows of block `block`: customers block * BLOCK_ROWS + 1 onwards."""
    random = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
    # Every column draws a full block, so a row's values never depend on how many rows are asked.
    uniforms = {column.header: random.random(BLOCK_ROWS)[:rows] for column in COLUMNS}
    for plant in plants:
        uniforms[plant.target.header] = plant.apply(
            uniforms[plant.source.header], uniforms[plant.target.header]
        )
    first_id = block * BLOCK_ROWS + 1
    ids = pa.array(np.arange(first_id, first_id + rows, dtype=np.int64))
    drawn = [column.distribution.sample(uniforms[column.header]) for column in COLUMNS]
    return pa.Table.from_arrays([ids, *drawn], schema=SCHEMA)


def chunks(rows: int, seed: int, plants: Sequence[Plant]) -> Iterator[pa.Table]:
    """The customers in tables of at most CHUNK_ROWS rows."""
    blocks = math.ceil(rows / BLOCK_ROWS)
    for first_block in range(0, blocks, CHUNK_BLOCKS):
        yield pa.concat_tables(
            block_table(seed, block, min(BLOCK_ROWS, rows - block * BLOCK_ROWS), plants)
            for block in range(first_block, min(first_block + CHUNK_BLOCKS, blocks))
        )


CSV_SCHEMA = pa.schema(
    [(field.name, pa.string()) if field.type == pa.bool_() else field for field in SCHEMA]
)


def as_kaggle_text(table: pa.Table) -> pa.Table:
    """Booleans spelled TRUE/FALSE as in the Kaggle file; numbers stay for the CSV writer."""
    return pa.Table.from_arrays(
        [
            pc.if_else(column, "TRUE", "FALSE") if column.type == pa.bool_() else column
            for column in table.columns
        ],
        schema=CSV_SCHEMA,
    )


def write_csv(path: Path, tables: Iterable[pa.Table]) -> None:
    # Arrow writes doubles in their shortest form (453.8, 122) like the Kaggle file; nothing
    # here needs quotes.
    options = pa_csv.WriteOptions(eol="\r\n", quoting_style="none", quoting_header="none")
    with pa_csv.CSVWriter(path, CSV_SCHEMA, write_options=options) as writer:
        for table in tables:
            writer.write_table(as_kaggle_text(table))


def write_parquet(path: Path, tables: Iterable[pa.Table]) -> None:
    with pq.ParquetWriter(path, SCHEMA) as writer:
        for table in tables:
            writer.write_table(table, row_group_size=CHUNK_ROWS)


WRITERS = {"csv": write_csv, "parquet": write_parquet}


def counted(tables: Iterable[pa.Table], bar: tqdm) -> Iterator[pa.Table]:
    """The tables, moving the progress bar on by each one's rows once it is written."""
    for table in tables:
        yield table
        bar.update(table.num_rows)


def generate(
    rows: int,
    seed: int,
    file_format: str,
    out: Path,
    plants: Sequence[Plant] = (),
    *,
    progress: bool = False,
) -> Path:
    """Writes `rows` customers to `out` and returns it; a partial file never takes its name.

    With progress, tqdm's bar on stderr, then a line saying what was written where.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    bar = tqdm(total=rows, unit="rows", unit_scale=True, disable=not progress, file=sys.stderr)
    try:
        with bar:
            tables = chunks(rows, seed, in_dependency_order(plants))
            WRITERS[file_format](partial, counted(tables, bar))
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    if progress:
        seconds = bar.format_dict["elapsed"]
        print(f"wrote {rows:,} rows to {out} in {seconds:.1f}s", file=sys.stderr)
    return out


def default_out(rows: int, seed: int, file_format: str, plants: Sequence[Plant]) -> Path:
    planted = "".join(
        f"_{plant.target.plant_name}-{plant.source.plant_name}{plant.strength:+g}"
        for plant in plants
    )
    return DEFAULT_OUT_DIR / f"customers_{rows}_seed{seed}{planted}.{file_format}"


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def plant_argument(text: str) -> Plant:
    try:
        return parse_plant(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Write deterministic synthetic customers shaped like the Kaggle file, or an"
        " order log (--order-log).",
        epilog="Column ranges, plant names and the meaning of a plant: see bench/generate.py.",
    )
    parser.add_argument(
        "--rows",
        type=non_negative_int,
        required=True,
        help="customers to write (order lines with --order-log)",
    )
    parser.add_argument("--seed", type=non_negative_int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--format", choices=FORMATS, help="csv or parquet (default: --out's extension, else csv)"
    )
    parser.add_argument(
        "--out", type=Path, help=f"file to write (default: under {DEFAULT_OUT_DIR})"
    )
    parser.add_argument(
        "--plant",
        type=plant_argument,
        action="append",
        default=[],
        metavar="TARGET~SOURCE:R",
        help="make TARGET correlate with SOURCE by Pearson r = R (repeatable)",
    )
    parser.add_argument(
        "--order-log", action="store_true", help="write an order log (bench/order_log.py)"
    )
    parser.add_argument(
        "--value-dropout",
        type=float,
        default=0.0,
        metavar="S",
        help="order log: customers spending more per order stay longer, lifetime mean x exp(S z)"
        " for z their standardised log order level (default 0: no dependence)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.order_log and args.plant:
        parser.error(
            "--plant plants columns of the customer file; an order log takes --value-dropout"
        )
    if args.value_dropout and not args.order_log:
        parser.error("--value-dropout plants into an order log: add --order-log")
    suffix = args.out.suffix.lower().lstrip(".") if args.out else ""
    if args.format is None:
        args.format = suffix if suffix in FORMATS else "csv"
    if args.out is not None and suffix != args.format:
        parser.error(
            f"--out {args.out} does not end in .{args.format}; staging picks its reader by the "
            "extension, so name the file after its format."
        )
    try:
        args.plant = in_dependency_order(args.plant)
    except ValueError as error:
        parser.error(str(error))
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.order_log:
        out = args.out or DEFAULT_OUT_DIR / order_log.default_name(
            args.rows, args.seed, args.format, args.value_dropout
        )
        order_log.write(
            args.rows, args.seed, args.format, out, args.value_dropout, progress=not args.quiet
        )
    else:
        out = args.out or default_out(args.rows, args.seed, args.format, args.plant)
        generate(args.rows, args.seed, args.format, out, args.plant, progress=not args.quiet)
    print(out)


if __name__ == "__main__":
    main()
