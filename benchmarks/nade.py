"""NADE: the one-pass teacher-forced training and the O(H) sampler, each against
the naive way, measured in the same run.

Baselines, written as lean as we can:
- training: a Python loop over the 784 pixels that keeps a_i and adds one column
  of W per pixel (what public NADE implementations usually do);
- sampling: the contract's reference sampler, one full teacher-forced pass per
  pixel (``sample(naive=True)``).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from benchmarks.common import binary_batch, time_call
from models.nade import NADE
from models.registry import create


def loop_nll(model: NADE, x: torch.Tensor) -> torch.Tensor:
    """−log p(x) with a per-pixel Python loop (the baseline), ``(B,)``."""
    order = model.ordering
    xo = x.flatten(1)[:, order]  # (B, N)
    weight_in = model.weight_in.t()[order]  # (N, H)
    weight_out = model.weight_out[order]  # (N, H)
    bias_out = model.bias_out[order]  # (N,)
    pre = model.bias_hidden.expand(x.shape[0], -1)  # (B, H)
    logits = []
    for i in range(model.num_pixels):
        logits.append(torch.sigmoid(pre) @ weight_out[i] + bias_out[i])  # (B,)
        pre = pre + xo[:, i : i + 1] * weight_in[i]
    stacked = torch.stack(logits, dim=1)  # (B, N)
    return F.binary_cross_entropy_with_logits(stacked, xo, reduction="none").sum(1)


def _train_step(
    model: NADE, optimizer: torch.optim.Optimizer, x: torch.Tensor, loop: bool
) -> None:
    optimizer.zero_grad(set_to_none=True)
    nll = loop_nll(model, x) if loop else model.training_nll(x)
    nll.mean().backward()
    optimizer.step()


def run(quick: bool = False) -> list[dict[str, object]]:
    """Measure NADE (H = 500, 28×28, raster) training and sampling."""
    torch.manual_seed(0)
    hidden, batch = 500, 64
    model = create("nade", (28, 28), hidden=hidden)
    assert isinstance(model, NADE)
    x = binary_batch(batch)
    with torch.no_grad():  # the baseline computes the same numbers
        assert torch.allclose(loop_nll(model, x), model.training_nll(x), rtol=1e-4)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    repeats = 3 if quick else 8
    rows: list[dict[str, object]] = []
    fast = time_call(lambda: _train_step(model, optimizer, x, False), repeats=repeats)
    slow = time_call(
        lambda: _train_step(model, optimizer, x, True), repeats=max(2, repeats // 2)
    )
    rows.append(
        {
            "benchmark": "NADE training (H = 500, batch 64)",
            "unit": "images/s",
            "value": batch / fast["median_s"],
            "baseline": "per-pixel Python loop",
            "baseline_value": batch / slow["median_s"],
            "speedup": slow["median_s"] / fast["median_s"],
            "timings": {"fast": fast, "baseline": slow},
        }
    )
    model.eval()
    for n in (1, 16):
        fast = time_call(lambda n=n: model.sample(n, seed=0), repeats=repeats)
        slow = time_call(
            lambda n=n: model.sample(n, seed=0, naive=True),
            warmup=1,
            repeats=2 if quick else 3,
        )
        rows.append(
            {
                "benchmark": f"NADE sampling (H = 500, batch of {n})",
                "unit": "ms per image",
                "value": 1000 * fast["median_s"] / n,
                "baseline": "one full pass per pixel",
                "baseline_value": 1000 * slow["median_s"] / n,
                "speedup": slow["median_s"] / fast["median_s"],
                "timings": {"fast": fast, "baseline": slow},
            }
        )
    return rows
