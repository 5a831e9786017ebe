"""Run the benchmarks and write ``benchmarks/results/latest.{json,md}``.

python -m benchmarks            # everything
python -m benchmarks --quick    # fewer repeats
python -m benchmarks --only long --out benchmarks/results/long   # 30 minutes
python -m benchmarks --only canvas   # the canvas models' p(y | x) accuracy
python -m benchmarks --only classifiers  # discriminative yardsticks (minutes)
python -m benchmarks --only features # features against pixels, 10 to all labels
python -m benchmarks --only ddp      # training on 1 and 2 processes (torchrun)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from benchmarks import (
    app,
    canvas,
    classifiers,
    ddp,
    features,
    long_run,
    models,
    nade,
    pretrained,
)
from benchmarks.common import environment

SUITES = {
    "nade": nade.run,
    "models": models.run,
    "app": app.run,
    "pretrained": pretrained.run,
    "canvas": canvas.run,
    "classifiers": classifiers.run,
    "long": long_run.run,
    "ddp": ddp.run,
    "features": features.run,
}
#: Run by default; "long" (30 minutes), "ddp" (processes that need the whole
#: machine) and "classifiers" (networks trained for minutes) only when asked for.
DEFAULT = ["nade", "models", "pretrained", "canvas", "app"]
RESULTS = Path(__file__).resolve().parent / "results"


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value >= 0.1 else f"{value:.3g}"


def to_markdown(rows: list[dict[str, Any]], env: dict[str, Any]) -> str:
    """The results as a Markdown table, with the machine they were measured on."""
    lines = [
        "| benchmark | result | baseline (same run) | speed-up |",
        "|---|---|---|---|",
    ]
    for row in rows:
        result = f"{_fmt(float(row['value']))} {row['unit']}"
        if row.get("range"):
            result += f" ({row['range']})"
        if row.get("baseline"):
            value = _fmt(float(row["baseline_value"]))
            baseline = f"{value} {row['unit']} ({row['baseline']})"
            speedup = f"{float(row['speedup']):.1f}×"
        else:
            baseline = speedup = "—"
        lines.append(f"| {row['benchmark']} | {result} | {baseline} | {speedup} |")
    lines.append("")
    lines.append(
        f"torch {env['torch']}, {env['torch_threads']} threads, "
        f"{env['cpu_count']} CPUs ({env['cpu']}), Python {env['python']}."
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--only", choices=sorted(SUITES), action="append")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--checkpoint",
        action="append",
        metavar="NAME",
        help="with --only pretrained: measure only these shipped checkpoints",
    )
    args = parser.parse_args(argv)
    env = environment()
    rows: list[dict[str, Any]] = []
    for name in args.only or DEFAULT:
        print(f"running {name} …", file=sys.stderr)
        if name == "pretrained" and args.checkpoint:
            rows += pretrained.run(quick=args.quick, names=args.checkpoint)
        else:
            rows += SUITES[name](quick=args.quick)
    record = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": "python -m benchmarks " + " ".join(argv or sys.argv[1:]),
        "environment": env,
        "results": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(record, indent=2) + "\n")
    shipped = [row for row in rows if "checkpoint" in row]
    reading = [row for row in rows if row.get("suite") == "canvas"]
    others = [row for row in rows if "checkpoint" not in row and row not in reading]
    table = to_markdown(others, env) if others or not reading else ""
    if reading:
        table += "\n## Canvas models reading digits\n\n" + canvas.to_markdown(reading)
        table += canvas.environment_line(env)
    if shipped:
        table += "\n## Shipped models\n\n" + pretrained.to_markdown(shipped)
        table += "\nValidation NLL by training time:\n\n"
        table += pretrained.curves_markdown(shipped)
    (args.out / "latest.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
