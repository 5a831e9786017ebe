"""The ordering study: runs under several orderings, their summaries, the results."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from models.checkpoint import read_metadata
from models.data import load_splits
from models.errors import ConfigError, DataError
from models.ordering_study import (
    STUDY_ORDERINGS,
    OrderingRun,
    OrderingStudy,
    StudyEnded,
    StudyRunEnded,
    StudyRunStarted,
    StudyTrainEvent,
    aggregate,
    check_study,
    load_study,
    markdown_table,
    read_run,
    run_ordering_study,
)
from models.run_setup import RunData, RunSettings
from models.trainer import EpochEnded, RunEnded, RunStarted, TrainConfig


@pytest.fixture(scope="module")
def data() -> RunData:
    splits = load_splits("mnist-5k")
    return RunData(
        "mnist-5k",
        splits["train"].subset(slice(0, 96)),
        splits["test"].subset(slice(0, 40)),
        "test",
    )


def _settings(kind: str = "nade", epochs: int = 2) -> RunSettings:
    model = {"hidden": 4} if kind == "nade" else {}
    return RunSettings(
        kind,
        model,
        TrainConfig(epochs=epochs, batch_size=32, lr=3e-3, num_samples=0, seed=5),
    )


def test_every_named_ordering_but_custom_is_compared() -> None:
    assert STUDY_ORDERINGS == (
        "raster",
        "column",
        "snake",
        "diagonal",
        "hilbert",
        "spiral",
        "random",
    )


def test_a_study_trains_each_ordering_and_seed_and_sums_each_run_up(
    data: RunData, tmp_path: Path
) -> None:
    events: list[object] = []
    ended = run_ordering_study(
        _settings(),
        data,
        ("snake", "random"),
        seeds=(0, 1),
        out_dir=tmp_path,
        name="n-{ordering}-s{seed}",
        on_event=events.append,
    )
    assert ended.status == "finished"
    assert events[-1] is ended
    # seeds vary slowest: every ordering gets seed 0 before any gets seed 1
    started = [e for e in events if isinstance(e, StudyRunStarted)]
    assert [(e.index, e.total, e.ordering, e.seed) for e in started] == [
        (0, 4, "snake", 0),
        (1, 4, "random", 0),
        (2, 4, "snake", 1),
        (3, 4, "random", 1),
    ]
    for index, run in enumerate(ended.runs):
        inner = [
            e.event
            for e in events
            if isinstance(e, StudyTrainEvent) and e.index == index
        ]
        assert isinstance(inner[0], RunStarted)
        assert isinstance(inner[-1], RunEnded)
        valid = {e.epoch: e.valid_nll for e in inner if isinstance(e, EpochEnded)}
        assert sorted(valid) == [1, 2]
        best_epoch = min(valid, key=lambda k: valid[k] or 0.0)
        assert run.best_epoch == best_epoch
        assert run.best_valid_nll == pytest.approx(valid[best_epoch])
        assert run.epochs == 2 and run.status == "finished" and run.seconds > 0
        # the checkpoint records the same run, and read_run sums it up the same
        path = tmp_path / f"n-{run.ordering}-s{run.seed}"
        record = read_metadata(path)
        assert record["config"]["ordering"] == run.ordering
        assert record["training"]["config"]["seed"] == run.seed
        again = read_run(path)
        assert (again.ordering, again.seed, again.best_epoch, again.epochs) == (
            run.ordering,
            run.seed,
            run.best_epoch,
            2,
        )
        assert again.best_valid_nll == pytest.approx(run.best_valid_nll)
    ended_events = [e for e in events if isinstance(e, StudyRunEnded)]
    assert [e.run for e in ended_events] == list(ended.runs)
    # the random ordering follows the seed
    first = read_metadata(tmp_path / "n-random-s0")["ordering"]
    second = read_metadata(tmp_path / "n-random-s1")["ordering"]
    assert first != second
    assert [r.ordering for r in ended.results] == ["snake", "random"]
    assert all(r.n == 2 for r in ended.results)


def test_stop_ends_the_current_run_and_starts_no_other(data: RunData) -> None:
    from models.trainer import TrainControl

    control = TrainControl()
    events: list[object] = []

    def on_event(event: object) -> None:
        events.append(event)
        if isinstance(event, StudyTrainEvent) and isinstance(event.event, EpochEnded):
            control.stop()

    ended = run_ordering_study(
        _settings(epochs=3),
        data,
        ("raster", "column", "spiral"),
        on_event=on_event,
        control=control,
    )
    assert ended.status == "cancelled"
    assert [r.ordering for r in ended.runs] == ["raster"]
    assert ended.runs[0].status == "cancelled"
    assert ended.runs[0].epochs == 1
    assert not any(
        isinstance(e, StudyRunStarted) and e.ordering != "raster" for e in events
    )
    assert isinstance(events[-1], StudyEnded)


@pytest.mark.parametrize(
    ("orderings", "seeds", "words"),
    [
        ((), (0,), "at least one ordering"),
        (("raster",), (), "at least one seed"),
        (("raster", "snake", "raster"), (0,), "ordering named twice: raster"),
        (("raster",), (1, 1), "seed named twice: 1"),
        (("custom",), (0,), "cannot compare the ordering 'custom'"),
        (("zigzag",), (0,), "cannot compare the ordering 'zigzag'"),
    ],
)
def test_a_bad_study_is_refused_before_any_run(
    data: RunData,
    orderings: tuple[str, ...],
    seeds: tuple[int, ...],
    words: str,
) -> None:
    with pytest.raises(ConfigError, match=words):
        check_study(_settings(), data, orderings, seeds)


def test_a_raster_only_model_refuses_other_orderings_before_training(
    data: RunData, tmp_path: Path
) -> None:
    events: list[object] = []
    with pytest.raises(ConfigError, match="ordering"):
        run_ordering_study(
            _settings("pixelcnn"),
            data,
            ("raster", "snake"),
            out_dir=tmp_path,
            on_event=events.append,
        )
    assert events == []
    assert list(tmp_path.iterdir()) == []


def _run(ordering: str, seed: int, nll: float | None, epoch: int = 3) -> OrderingRun:
    return OrderingRun(
        ordering, seed, nll, None if nll is None else epoch, 5, 60.0 * (seed + 1)
    )


def test_aggregate_gives_mean_sample_std_min_and_max_over_seeds() -> None:
    runs = [
        _run("snake", 2, 93.0, 4),
        _run("raster", 0, 90.0),
        _run("snake", 0, 91.0, 5),
        _run("raster", 1, 92.0),
        _run("snake", 1, 92.0, 5),
        _run("spiral", 0, None),  # stopped before any validation
    ]
    snake, raster = aggregate(runs)  # in order of first appearance
    assert (raster.ordering, raster.n, raster.mean, raster.low, raster.high) == (
        "raster",
        2,
        91.0,
        90.0,
        92.0,
    )
    assert raster.std == pytest.approx(2**0.5)  # sample std: divide by n − 1
    assert snake.seeds == (0, 1, 2)
    assert snake.best_epochs == (5, 5, 4)
    assert snake.std == pytest.approx(1.0)
    assert snake.seconds == pytest.approx(120.0)
    assert snake.overlaps(raster)
    assert "within the spread between seeds" in snake.compare(raster)
    assert "1.00 nats worse than raster" in snake.compare(raster)
    far = aggregate([_run("column", 0, 80.0), _run("column", 1, 81.0)])[0]
    assert "10.50 nats better than raster" in far.compare(raster)
    assert "outside the spread" in far.compare(raster)
    one = aggregate([_run("hilbert", 0, 95.0)])[0]
    assert one.std is None
    assert "spread between seeds is unknown" in one.compare(raster)
    assert one.describe() == "95.00 nats (1 seed)"
    assert snake.describe() == "92.00 ± 1.00 nats (3 seeds, 91.00–93.00)"


def test_markdown_table_puts_the_best_mean_first_and_compares_with_raster() -> None:
    results = aggregate(
        [
            _run("raster", 0, 90.0),
            _run("raster", 1, 92.0),
            _run("column", 0, 88.0, 2),
            _run("column", 1, 89.0, 3),
        ]
    )
    lines = markdown_table(results).splitlines()
    assert lines[0].startswith("| ordering | best valid NLL")
    assert lines[2] == "| column | 88.50 ± 0.71 | 88.00–89.00 | -2.50 | 2, 3 | 1.5 |"
    assert lines[3] == "| raster | 91.00 ± 1.41 | 90.00–92.00 | — | 3, 3 | 1.5 |"
    assert statistics.stdev([88.0, 89.0]) == pytest.approx(0.7071, abs=1e-4)


def _study() -> OrderingStudy:
    return OrderingStudy(
        "NADE",
        "binarized MNIST",
        "10 epochs",
        "python scripts/ordering_study.py",
        (_run("raster", 0, 90.0), _run("snake", 0, None)),
    )


def test_a_results_file_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "study.json"
    path.write_text(_study().to_json())
    assert load_study(path) == _study()
    assert load_study(path).result("snake") is None  # no validation NLL
    assert load_study(path).result("raster").mean == 90.0  # type: ignore[union-attr]


def _hostile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(format="other"), "not an ordering study"),
        (lambda d: d.pop("command"), "command and runs missing"),
        (lambda d: d.update(runs="many"), "command and runs missing"),
        (lambda d: d["runs"][0].update(ordering="custom"), "run 1: no known ordering"),
        (lambda d: d["runs"][0].update(seed=-1), "run 1: seed and epochs"),
        (lambda d: d["runs"][0].update(seed=True), "run 1: seed and epochs"),
        (lambda d: d["runs"][1].update(best_valid_nll="low"), "run 2: best_valid"),
        (lambda d: d["runs"][0].update(best_epoch=None), "run 1: best_valid"),
        (lambda d: d["runs"][0].update(seconds=-2), "run 1: seconds"),
        (lambda d: d["runs"].extend([d["runs"][0]] * 1000), "more than 1000 runs"),
    ],
)
def test_a_malformed_results_file_is_one_clear_error(
    tmp_path: Path, change: object, words: str
) -> None:
    record = _study().to_dict()
    change(record)  # type: ignore[operator]
    with pytest.raises(DataError, match=words):
        load_study(_hostile(tmp_path, json.dumps(record)))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000, "nests too deeply"),
        ('{"format": ' + "9" * 5000 + "}", "too many digits"),
        ('{"runs": [1e999]}', "too large for a float"),
        ("not json", "not valid JSON"),
    ],
)
def test_hostile_json_is_refused(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(DataError, match=words):
        load_study(_hostile(tmp_path, text))


def test_a_huge_or_irregular_file_is_refused_without_reading_it(
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 1_000_001)
    with pytest.raises(DataError, match="larger than"):
        load_study(big)
    with pytest.raises(DataError, match="folder"):
        load_study(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="FIFO"):
        load_study(fifo)
    with pytest.raises(DataError, match=r"missing\.json"):
        load_study(tmp_path / "missing.json")


SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "ordering_study.py"


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )


def test_the_script_aggregates_finished_runs_and_lists_the_rest(
    data: RunData, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    ended = run_ordering_study(
        _settings(epochs=2),
        data,
        ("raster", "snake"),
        seeds=(0, 1),
        out_dir=runs,
        name="nade-h100-{ordering}-s{seed}",
    )
    # a run stopped after one of its two epochs is not finished
    run_ordering_study(
        _settings(epochs=1),
        data,
        ("spiral",),
        seeds=(0,),
        out_dir=runs,
        name="nade-h100-{ordering}-s{seed}",
    )
    out, table = tmp_path / "results.json", tmp_path / "table.md"
    done = _script(
        "--runs", str(runs), "--aggregate-only", "--epochs", "2",
        "--orderings", "raster", "snake", "spiral", "--seeds", "0", "1",
        "--out", str(out), "--markdown", str(table),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "left out: nade-h100-spiral-s0, nade-h100-spiral-s1" in done.stderr
    study = load_study(out)
    assert [r.ordering for r in study.results] == ["raster", "snake"]
    for mine, read in zip(ended.results, study.results, strict=True):
        assert read.seeds == mine.seeds == (0, 1)
        assert read.values == pytest.approx(mine.values)
        assert read.best_epochs == mine.best_epochs
    assert table.read_text() == markdown_table(study.results)
    assert study.result("spiral") is None

    # what is left to train: exactly the study's command, finished runs skipped
    plan = _script(
        "--runs", str(runs), "--dry-run", "--epochs", "2",
        "--orderings", "raster", "spiral", "--seeds", "0",
    )  # fmt: skip
    assert plan.returncode == 0, plan.stderr
    assert plan.stdout.splitlines() == [
        "-m models train --kind nade --data binarized-mnist --set hidden=100 "
        "--ordering spiral --set ordering_seed=0 --seed 0 --epochs 2 --lr 0.001 "
        f"--batch-size 64 --out {runs} --name nade-h100-spiral-s0 --quiet"
    ]
