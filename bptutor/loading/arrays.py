"""Training samples from a NumPy `.npz` archive, for the compact form (`samples: data.npz`).

The archive holds two arrays, under the keys `inputs` and `targets`:

    inputs    m rows, one per sample, of shape[0] numbers (an image of m × 28 × 28 is read
              row by row, as m × 784)
    targets   m rows of one number per output neuron, or, for two or more outputs, a
              1-D array of m class labels 0 … n−1 (label c is 1 at output c + 1, 0 elsewhere)

Reading is careful: the archive is read as bytes with a size limit, every member's
unpacked size is checked before it is unpacked, NumPy reads it with
`allow_pickle=False` (an object array is refused, never unpickled), and only whole
or floating-point numbers are taken, each finite and at most 1e6 in size. Every
problem is a ScenarioError naming the file and the key.
"""

from __future__ import annotations

import io
import math
import zipfile
from typing import Any

from bptutor.core.scenario import Samples
from bptutor.errors import printable
from bptutor.i18n import Message
from bptutor.loading.fields import MAX_ABS_NUMBER, MIN_ABS_NUMBER
from bptutor.loading.yamltree import Context, LocatedScalar

NPZ_KEYS = ("inputs", "targets")
NPZ_MEMBERS = tuple(f"{key}.npy" for key in NPZ_KEYS)
MAX_NPZ_MEMBER_BYTES = 512 * 1024 * 1024  # one array, unpacked
MAX_SAMPLE_VALUES = 20_000_000  # inputs and targets together, as Python numbers
MAX_HEADER_BYTES = 10_000  # an array's header (NumPy's own default limit)


def read_npz(
    ctx: Context, node: LocatedScalar, shown: str, data: bytes, input_count: int, output_count: int, limit: int
) -> Samples:
    """The samples of an `.npz` archive's `inputs` and `targets`, checked against the network's shape.

    `limit` is the largest number of samples; `shown` is the file's name as messages print it.
    """
    import numpy as np

    def refuse(key: str, reason: str | Message) -> Exception:
        return ctx.error(Message.of("npz.problem", file=shown, key=key, reason=reason), node, "samples")

    buffer = io.BytesIO(data)
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = {info.filename: info for info in archive.infolist()}
            headers = {name: _header(archive, name) for name in members if name in NPZ_MEMBERS}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ctx.error(Message.of("npz.not_archive", file=shown), node, "samples") from None
    keys = sorted(name.removesuffix(".npy") for name in members)
    if sorted(NPZ_KEYS) != keys:
        found = ", ".join(printable(key, 40) for key in keys) or "—"
        raise ctx.error(Message.of("npz.keys", file=shown, found=found), node, "samples")
    for key in NPZ_KEYS:
        if members[f"{key}.npy"].file_size > MAX_NPZ_MEMBER_BYTES:
            raise refuse(key, Message.of("npz.too_large", most=MAX_NPZ_MEMBER_BYTES // (1024 * 1024)))
        header = headers[f"{key}.npy"]
        if header is None:  # np.load below says what is wrong with it
            continue
        shape, dtype = header
        if dtype.kind not in "biuf":  # objects would need pickle: said before numpy says it
            raise refuse(key, Message.of("npz.dtype", dtype=printable(dtype, 40)))
        if math.prod(shape) * dtype.itemsize > members[f"{key}.npy"].file_size:  # a header that lies about its size
            raise refuse(key, Message.of("npz.short", shape=" × ".join(str(size) for size in shape)))
    arrays: dict[str, Any] = {}
    try:
        buffer.seek(0)  # the zip reader above moved it; np.load reads the archive from where it stands
        archive_file = np.load(buffer, allow_pickle=False, max_header_size=MAX_HEADER_BYTES)
    except Exception:
        raise ctx.error(Message.of("npz.not_archive", file=shown), node, "samples") from None
    with archive_file:
        for key in NPZ_KEYS:
            try:
                arrays[key] = archive_file[key]
            except Exception as problem:
                raise refuse(key, printable(problem, 200)) from None
    inputs, targets = arrays["inputs"], arrays["targets"]
    for key, array in arrays.items():
        if array.dtype.kind not in "biuf":
            raise refuse(key, Message.of("npz.dtype", dtype=printable(array.dtype, 40)))
        if array.ndim == 0 or array.shape[0] == 0:
            raise refuse(key, Message.of("npz.empty", shape=_shape(array)))
    count = inputs.shape[0]
    if count > limit:
        many = Message.of("count.samples")
        raise refuse("inputs", Message.of("scenario.too_many", many=many, count=count, limit=limit))
    if math.prod(inputs.shape[1:]) != input_count or inputs.ndim < 2:
        raise refuse("inputs", Message.of("npz.inputs_shape", shape=_shape(inputs), count=input_count))
    labels = targets.ndim == 1 and output_count >= 2
    if targets.shape[0] != count or (
        not labels and (targets.ndim > 2 or math.prod(targets.shape[1:]) != output_count)
    ):
        message = Message.of("npz.targets_shape", shape=_shape(targets), count=count, outputs=output_count)
        raise refuse("targets", message)
    if (inputs.size + count * output_count) > MAX_SAMPLE_VALUES:
        raise refuse("inputs", Message.of("npz.too_many_values", most=MAX_SAMPLE_VALUES))
    rows_in = _checked(inputs.reshape(count, input_count), lambda reason: refuse("inputs", reason))
    if labels:
        rows_out = _one_hot(targets, output_count, lambda reason: refuse("targets", reason))
    else:
        rows_out = _checked(targets.reshape(count, output_count), lambda reason: refuse("targets", reason))
    return Samples(rows_in, rows_out, f"{shown}: {count}")


def _header(archive: zipfile.ZipFile, member: str) -> tuple[tuple[int, ...], Any] | None:
    """(shape, dtype) that an archive member's .npy header declares, read before any array is made;
    None when the header cannot be read (np.load then says why)."""
    import numpy as np

    try:
        with archive.open(member) as stream:
            version = np.lib.format.read_magic(stream)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(stream, max_header_size=MAX_HEADER_BYTES)
            else:
                shape, _, dtype = np.lib.format.read_array_header_2_0(stream, max_header_size=MAX_HEADER_BYTES)
    except Exception:
        return None
    return tuple(int(size) for size in shape), dtype


def _shape(array: Any) -> str:
    return " × ".join(str(size) for size in array.shape) or "()"


def _checked(array: Any, refuse: Any) -> tuple[tuple[float, ...], ...]:
    """Rows of Python floats: every number finite, at most 1e6 in size, 0 or at least 1e-100."""
    import numpy as np

    values = array.astype(np.float64)
    size = np.abs(values)
    bad = ~np.isfinite(values) | (size > MAX_ABS_NUMBER) | ((size > 0) & (size < MIN_ABS_NUMBER))
    if bad.any():
        row, column = (int(index) for index in np.argwhere(bad)[0])
        found = repr(float(values[row, column]))
        raise refuse(Message.of("npz.bad_number", sample=row + 1, column=column + 1, found=found))
    return tuple(map(tuple, values.tolist()))


def _one_hot(labels: Any, outputs: int, refuse: Any) -> tuple[tuple[float, ...], ...]:
    """Class labels 0 … outputs − 1 as one-hot rows."""
    import numpy as np

    values = labels.astype(np.float64)
    bad = ~np.isfinite(values) | (values != np.round(values)) | (values < 0) | (values >= outputs)
    if bad.any():
        index = int(np.argwhere(bad)[0][0])
        raise refuse(Message.of("npz.bad_label", sample=index + 1, most=outputs - 1, found=repr(float(values[index]))))
    hot = [tuple(1.0 if j == c else 0.0 for j in range(outputs)) for c in range(outputs)]
    return tuple(hot[int(label)] for label in values.tolist())


__all__ = ["MAX_SAMPLE_VALUES", "NPZ_KEYS", "read_npz"]
