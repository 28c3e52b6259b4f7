"""results.xlsx read back with openpyxl (Debian's python3-openpyxl) and compared, sheet by sheet
and cell by cell, with the CSV files of the same run (docs/metrics.md, "results.xlsx"): the same
header, the same rows, numbers equal to the CSV's to the 16 significant digits an xlsx stores,
times as date-times, empty fields as empty cells; rates in a percent format, the header row
frozen, an autofilter over each table, misses filled red."""

import csv
import datetime

import openpyxl
import pytest

from conftest import SOURCE_DIR, cli

SCENARIO = SOURCE_DIR / "tests/scenarios/good/three_regions_week.json"
RED = "FFC7CE"


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("workbook") / "out"
    cli("run", SCENARIO, "--replications", "2", "--seed", "4", "--out", out)
    return out


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def sheet_sources(out):
    """Each sheet's CSV rows (header first), by workbook_sheets' rule: the files per grain where
    the run writes them, else intervals.csv's hour, day and week rows."""

    def grain(file, interval):
        if file and (out / file).exists():
            return read_csv(out / file)
        rows = read_csv(out / "intervals.csv")
        column = rows[0].index("interval")
        return [rows[0]] + [r for r in rows[1:] if r[column] == interval]

    finest = sorted(p.name for p in out.glob("intervals_*.csv"))
    intervals = read_csv(out / finest[0]) if finest else grain(None, "hour")
    return {
        "Scorecard": read_csv(out / "scorecard.csv"),
        "Intervals": intervals,
        "Daily": grain("daily.csv", "day"),
        "Weekly": grain("weekly.csv", "week"),
        "Agents": read_csv(out / "agents.csv"),
        "Variance": read_csv(out / "variance.csv"),
    }


def same(cell, text):
    """Whether a cell holds what the CSV field says."""
    if text == "":
        return cell is None
    if isinstance(cell, datetime.datetime):
        return cell == datetime.datetime.fromisoformat(text.rstrip("Z"))
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        # libxlsxwriter writes numbers with 16 significant digits ("%.16G").
        return float(cell) == float(f"{float(text):.16G}")
    return cell == text


def test_every_sheet_equals_its_csv_cell_by_cell(run_out):
    book = openpyxl.load_workbook(run_out / "results.xlsx")
    sources = sheet_sources(run_out)
    assert book.sheetnames == list(sources)
    checked = 0
    for name, rows in sources.items():
        sheet = book[name]
        assert sheet.max_row == len(rows), name
        values = list(sheet.iter_rows(values_only=True))
        assert len(values) == len(rows), name
        for r, (cells, fields) in enumerate(zip(values, rows)):
            cells = list(cells) + [None] * (len(fields) - len(cells))
            assert len(cells) == len(fields), (name, r)
            for c, (cell, field) in enumerate(zip(cells, fields)):
                assert same(cell, field), (name, r + 1, rows[0][c], cell, field)
                checked += 1
    assert checked > 10_000


def test_formats_frozen_header_and_filter(run_out):
    book = openpyxl.load_workbook(run_out / "results.xlsx")
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        last = sheet.cell(1, sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
        assert all(c.font.b for c in sheet[1]), sheet.title
    daily = book["Daily"]
    header = [c.value for c in daily[1]]
    rate = daily.cell(2, header.index("sla_attainment_mean") + 1)
    assert isinstance(rate.value, float) and "%" in rate.number_format
    assert daily.cell(2, header.index("start_utc") + 1).is_date
    assert "min" in daily.cell(2, header.index("asa_minutes_mean") + 1).number_format
    agents = book["Agents"]
    header = [c.value for c in agents[1]]
    assert "%" in agents.cell(2, header.index("utilisation_mean") + 1).number_format
    assert "0.00" in agents.cell(2, header.index("cost_mean") + 1).number_format
    # The scorecard's values take their row's unit: shares as percentages, cases as counts.
    card = book["Scorecard"]
    header = [c.value for c in card[1]]
    for row in card.iter_rows(min_row=2):
        unit = row[header.index("unit")].value
        value = row[header.index("value_mean")]
        if value.value is None:
            continue
        if unit in ("share", "change"):
            assert "%" in value.number_format, row[0].value
        elif unit == "cases":
            assert value.number_format == "#,##0.0"


def test_misses_are_red_and_only_misses(run_out):
    book = openpyxl.load_workbook(run_out / "results.xlsx")
    card = book["Scorecard"]
    header = [c.value for c in card[1]]
    verdicts = [row[header.index("verdict")] for row in card.iter_rows(min_row=2)]
    misses = [c for c in verdicts if c.value == "miss"]
    assert misses, "the small scenario misses some target"
    for cell in verdicts:
        red = cell.fill.fgColor.rgb.endswith(RED)
        assert red == (cell.value == "miss"), cell.value
    variance = book["Variance"]
    header = [c.value for c in variance[1]]
    threshold = 0.10  # the scenario's sla.forecast_variance_max (default)
    for row in variance.iter_rows(min_row=2):
        v = row[header.index("variance")]
        if v.value is None:
            continue
        assert v.fill.fgColor.rgb.endswith(RED) == (abs(v.value) > threshold)
        flagged = row[header.index("flagged")]
        assert flagged.fill.fgColor.rgb.endswith(RED) == (flagged.value == "yes")


def test_same_seed_same_bytes(run_out, tmp_path):
    again = tmp_path / "again"
    cli("run", SCENARIO, "--replications", "2", "--seed", "4", "--out", again)
    assert (again / "results.xlsx").read_bytes() == (run_out / "results.xlsx").read_bytes()
