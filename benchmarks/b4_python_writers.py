"""B4's Python side: scalars per second of the Python TensorBoard writers, writing the run TrainLog writes.

Each writer logs the same steps and tags as B4VsPython's TrainLog side: "loss" alone (one scalar per
event), or loss, lr, grad_norm, tokens_per_s and epoch in one event (five per event). Each is timed
from making the writer to its close() returning, which flushes every event to the file.

  - torch: PyTorch's torch.utils.tensorboard.SummaryWriter (add_scalar; five per event through its
    file writer's add_summary, since add_scalars writes one run per tag)
  - tensorboard: tensorboard's own EventFileWriter (add_event), which PyTorch's writer wraps
  - tensorboardx: tensorboardX's SummaryWriter (add_scalar; five per event through add_summary)

A writer whose package does not import is reported with the reason instead of a rate.

Usage: python b4_python_writers.py STEPS OUT_DIR   (prints one JSON object on stdout)
"""

import json
import os
import shutil
import sys
import tempfile
import time

KEYS = ["loss", "lr", "grad_norm", "tokens_per_s", "epoch"]


def values(step):
    """The five values of a step, as B4's Java side computes them."""
    return [1.0 / (1.0 + step * 1e-3), 1e-4, 0.5 + (step % 7) * 0.01, 5120.0, step / 1000.0]


def torch_writer(log_dir, steps, scalars):
    from torch.utils.tensorboard import SummaryWriter
    from tensorboard.compat.proto.summary_pb2 import Summary

    start = time.perf_counter()
    writer = SummaryWriter(log_dir=log_dir)
    if scalars == 1:
        for step in range(steps):
            writer.add_scalar("loss", values(step)[0], step)
    else:
        file_writer = writer._get_file_writer()
        for step in range(steps):
            v = values(step)
            summary = Summary(value=[Summary.Value(tag=KEYS[k], simple_value=v[k]) for k in range(scalars)])
            file_writer.add_summary(summary, step)
    writer.close()
    return time.perf_counter() - start


def tensorboard_writer(log_dir, steps, scalars):
    from tensorboard.compat.proto.event_pb2 import Event
    from tensorboard.compat.proto.summary_pb2 import Summary
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    start = time.perf_counter()
    writer = EventFileWriter(log_dir)
    for step in range(steps):
        v = values(step)
        summary = Summary(value=[Summary.Value(tag=KEYS[k], simple_value=v[k]) for k in range(scalars)])
        writer.add_event(Event(wall_time=time.time(), step=step, summary=summary))
    writer.close()
    return time.perf_counter() - start


def tensorboardx_writer(log_dir, steps, scalars):
    from tensorboardX import SummaryWriter
    from tensorboardX.proto.summary_pb2 import Summary

    start = time.perf_counter()
    writer = SummaryWriter(logdir=log_dir)
    if scalars == 1:
        for step in range(steps):
            writer.add_scalar("loss", values(step)[0], step)
    else:
        file_writer = writer._get_file_writer()
        for step in range(steps):
            v = values(step)
            summary = Summary(value=[Summary.Value(tag=KEYS[k], simple_value=v[k]) for k in range(scalars)])
            file_writer.add_summary(summary, step)
    writer.close()
    return time.perf_counter() - start


WRITERS = {"torch": torch_writer, "tensorboard": tensorboard_writer, "tensorboardx": tensorboardx_writer}


def versions():
    found = {"python": sys.version.split()[0]}
    for name in ("torch", "tensorboard", "tensorboardX"):
        try:
            found[name] = __import__(name).__version__
        except Exception as e:  # a missing or broken package is reported, not fatal
            found[name] = "not importable: %s" % e
    return found


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out_dir = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="b4-python-")
    results = {"steps": steps, "versions": versions(), "runs": []}
    for scalars in (1, 5):
        for name, write in WRITERS.items():
            log_dir = os.path.join(out_dir, "%s-%d" % (name, scalars))
            shutil.rmtree(log_dir, ignore_errors=True)
            run = {"writer": name, "scalars_per_event": scalars}
            try:
                seconds = write(log_dir, steps, scalars)
                size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(log_dir) for f in fs)
                run.update(seconds=seconds, scalars_per_s=steps * scalars / seconds, bytes=size)
            except ImportError as e:
                run["error"] = "not importable: %s" % e
            shutil.rmtree(log_dir, ignore_errors=True)
            results["runs"].append(run)
    json.dump(results, sys.stdout)
    print()


if __name__ == "__main__":
    main()
