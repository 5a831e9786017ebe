"""PNG and GIF writers, read back by Qt's image readers."""

import numpy as np
import pytest
from PySide6.QtGui import QImage, QImageReader

from models.imageio import image_grid, write_gif, write_png


def _gray(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    h, w = image.height(), image.width()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8)
    return raw.reshape(h, image.bytesPerLine())[:, :w].copy()


@pytest.mark.parametrize("shape", [(1, 1), (28, 28), (37, 113)])
def test_gif_frames_read_back_exactly(tmp_path, shape):
    rng = np.random.default_rng(0)
    # smooth ramps, noise (a table that fills and restarts) and flat frames
    frames = [
        rng.integers(0, 256, shape, dtype=np.uint8),
        np.full(shape, 200, np.uint8),
        (np.arange(np.prod(shape)) % 256).astype(np.uint8).reshape(shape),
    ]
    path = write_gif(tmp_path / "a.gif", frames, delay_ms=50)
    reader = QImageReader(str(path))
    assert reader.imageCount() == len(frames)
    for frame in frames:
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        assert np.array_equal(_gray(image), frame)
    assert reader.loopCount() == -1 or reader.loopCount() == 0  # forever


def test_big_noisy_frame_restarts_the_table(tmp_path):
    frame = np.random.default_rng(1).integers(0, 256, (200, 200), dtype=np.uint8)
    reader = QImageReader(str(write_gif(tmp_path / "b.gif", [frame])))
    assert np.array_equal(_gray(reader.read()), frame)


def test_png_reads_back(tmp_path):
    images = np.random.default_rng(2).random((5, 4, 3))
    grid = image_grid(images, columns=3, scale=2)
    image = QImage(str(write_png(tmp_path / "g.png", grid)))
    assert np.array_equal(_gray(image), grid)


def test_bad_frames_are_refused(tmp_path):
    with pytest.raises(ValueError, match="at least one"):
        write_gif(tmp_path / "x.gif", [])
    with pytest.raises(ValueError, match="same size"):
        write_gif(
            tmp_path / "x.gif", [np.zeros((2, 2), np.uint8), np.zeros((3, 2), np.uint8)]
        )
