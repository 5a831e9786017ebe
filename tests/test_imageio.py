"""PNG and GIF writers, read back by Qt's image readers."""

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage, QImageReader

from models.errors import ARExplorerError
from models.imageio import ImageWriteError, image_grid, write_gif, write_png


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


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_png_replaces_a_file_whole_and_leaves_no_temporary_file(tmp_path):
    old = np.full((3, 4), 7, np.uint8)
    new = np.random.default_rng(3).integers(0, 256, (9, 5), dtype=np.uint8)
    path = write_png(tmp_path / "deep" / "er" / "p.png", old)  # makes its folder
    assert path == tmp_path / "deep" / "er" / "p.png"
    write_png(path, new)
    assert np.array_equal(_gray(QImage(str(path))), new)
    assert sorted(p.name for p in path.parent.iterdir()) == ["p.png"]
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_a_link_to_a_png_keeps_pointing_at_the_new_image(tmp_path):
    target = write_png(tmp_path / "real.png", np.zeros((2, 2), np.uint8))
    link = tmp_path / "link.png"
    link.symlink_to(target)
    picture = np.full((2, 3), 90, np.uint8)
    assert write_png(link, picture) == link
    assert link.is_symlink()
    assert np.array_equal(_gray(QImage(str(target))), picture)


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("folder", "cannot write an image over a folder"),
        ("file.txt/x.png", r"cannot write here \(Not a directory\)"),
        ("file.txt/sub/x.png", r"cannot write here \(Not a directory\)"),
    ],
)
@pytest.mark.parametrize("writer", ["png", "gif"])
def test_unwritable_places_are_one_clear_error(tmp_path, where, message, writer):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "inside.png").write_bytes(b"kept")
    (tmp_path / "file.txt").write_text("kept")
    path = tmp_path / where
    image = np.zeros((2, 2), np.uint8)
    with pytest.raises(ImageWriteError, match=message) as caught:
        if writer == "png":
            write_png(path, image)
        else:
            write_gif(path, [image])
    error = caught.value
    assert isinstance(error, ARExplorerError)
    assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
    assert (tmp_path / "file.txt").read_text() == "kept"
    assert (tmp_path / "folder" / "inside.png").read_bytes() == b"kept"
    assert _leftovers(tmp_path) == _leftovers(tmp_path / "folder") == []


def test_a_fifo_or_device_is_never_written_over(tmp_path):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    for path in (fifo, Path(os.devnull)):
        with pytest.raises(ImageWriteError, match=r"over a (FIFO|character device)"):
            write_png(path, np.zeros((2, 2), np.uint8))
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


_WRITE_UNDER_A_SIZE_LIMIT = """
import resource, sys
import numpy as np
from models.errors import ARExplorerError
from models.imageio import write_png

# files may grow to 1 KB here: a bigger write fails part-way (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
noise = np.random.default_rng(0).integers(0, 256, (200, 200), dtype=np.uint8)
try:
    write_png(sys.argv[1], noise)
except ARExplorerError as exc:
    print(exc)
    sys.exit(2)
"""


def test_an_existing_png_survives_a_write_that_fails_part_way(tmp_path):
    old = np.arange(12, dtype=np.uint8).reshape(3, 4)
    path = write_png(tmp_path / "samples.png", old)
    before = path.read_bytes()
    # SIGXFSZ ignored: the write returns an error instead of killing the process
    done = subprocess.run(
        [sys.executable, "-c", _WRITE_UNDER_A_SIZE_LIMIT, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: signal.signal(signal.SIGXFSZ, signal.SIG_IGN),
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout.strip() == (
        f"{path}: cannot write (File too large); the file already there is unchanged"
    )
    assert path.read_bytes() == before
    assert np.array_equal(_gray(QImage(str(path))), old)
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_folder_keeps_the_png_there(tmp_path):  # pragma: no cover
    folder = tmp_path / "ro"
    path = write_png(folder / "p.png", np.zeros((2, 2), np.uint8))
    before = path.read_bytes()
    folder.chmod(0o500)
    try:
        with pytest.raises(ImageWriteError, match="Permission denied"):
            write_png(path, np.full((2, 2), 9, np.uint8))
    finally:
        folder.chmod(0o700)
    assert path.read_bytes() == before
