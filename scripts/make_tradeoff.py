"""Make the counted models of the parameters-against-fit chart, and their results.

    python scripts/make_tradeoff.py [--data binarized-mnist]

Fits Markov AR-k for k = 1, 2, 4, 8, 16 along the raster order, and the
independent pixels, by counting (``ar-models fit``) on the training split of
binarized MNIST, α chosen on its validation split. AR-1 … AR-8 are written to
resources/checkpoints/ (they ship); AR-16 (about 205 MB) and the counted
independent model are written to a temporary folder and only their numbers
kept. Every row goes to resources/results/tradeoff-bmnist.json, which the app
and the README read.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from models.tradeoff import COUNTED, CountedModel, make_counted

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "resources" / "checkpoints"
RESULTS = ROOT / "resources" / "results" / "tradeoff-bmnist.json"
#: The independent pixels counted too, to compare with the shipped gradient fit.
INDEPENDENT = CountedModel("bernoulli-counted-bmnist", "bernoulli", {}, False)


def main() -> None:
    """Fit every counted model and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="binarized-mnist")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for model in (*COUNTED, INDEPENDENT):
            folder = SHIPPED if model.shipped else Path(scratch)
            how = "python scripts/make_tradeoff.py, that is: " + model.command
            run = make_counted(
                model.kind,
                model.settings,
                folder / model.name,
                data=args.data,
                name=model.name,
                notes=(
                    "Shipped with AR Explorer; fitted by counting (the "
                    f"maximum-likelihood table with Dirichlet smoothing); made by: "
                    f"{how}"
                ),
            )
            rows.append(
                {
                    "name": model.name,
                    "kind": model.kind,
                    "settings": model.settings,
                    "num_parameters": run.num_parameters,
                    "train_nll_nats": run.train_nll,
                    "valid_nll_nats": run.valid_nll,
                    "alpha": run.alpha,
                    "seconds": run.seconds,
                    "shipped": model.shipped,
                    "command": model.command,
                }
            )
            print(
                f"{model.name}: {run.num_parameters:,} parameters, valid "
                f"{run.valid_nll:.2f} nats, α = {run.alpha:g}, {run.seconds:.1f} s"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "data": args.data,
        "ordering": "raster",
        "method": "fitted by counting; α chosen on the validation split",
        "command": "python scripts/make_tradeoff.py",
        "models": rows,
    }
    RESULTS.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
