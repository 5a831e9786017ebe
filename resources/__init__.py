"""AR Explorer's bundled resources (installed as ``ar_explorer_resources``).

``data/mnist_5k.npz`` — 5,000 MNIST digits with labels (see ``data/README.md``).
"""
