#!/usr/bin/env python3
"""Writes the TensorBoard event-file fixtures of backend-tensorboard's reader tests, with the real
Python writers, and expected.json: what each writer was given. Run by hand once (CI needs no Python):

    python3 -m venv /tmp/tbvenv
    /tmp/tbvenv/bin/pip install tensorboard tensorboardX numpy pillow
    /tmp/tbvenv/bin/pip install --no-deps torch      # a CPU build; torch.utils.tensorboard needs no more
    /tmp/tbvenv/bin/python make_fixtures.py          # from this folder; replaces logs/ and expected.json

Layout written under logs/:
    tbx/run/            tensorboardX: add_scalar, add_histogram, add_text, add_image
    tbx/run/pair/{train,val}/   tensorboardX add_scalars (nested directories)
    tbx/run/<time>/     tensorboardX add_hparams
    torch/run/          PyTorch: add_scalar (simple_value, new_style float, new_style double),
                        add_histogram, add_text, add_image
    torch/run/pair_{train,val}/  PyTorch add_scalars (directories named <tag>_<key>)
    torch/run/<time>/   PyTorch add_hparams
    tb/run/             tensorboard's own EventFileWriter, two files: rank-0 scalar tensors (float in
                        float_val, double in tensor_content, plugin metadata on the first event only),
                        a [k,3] histogram tensor, a text tensor, an image, HParams session start/end
Host names in file names are replaced by "host" so that the fixtures do not depend on this machine.
"""
import json
import math
import os
import shutil
import socket
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LOGS = os.path.join(HERE, "logs")
BASE = 1764950400.0  # wall times are given to the writers, so the expectations hold them exactly
SPECIAL = [0.5, float("nan"), float("inf"), float("-inf"), -1.25, 3.0e-7]

expected = {"runs": {}}


def run(name):
    return expected["runs"].setdefault(name, {
        "scalars": [], "histograms": [], "texts": [], "hparams": None, "session_end": None, "skipped": {}})


def num(v):
    """JSON has no NaN or infinities: those go as strings, as TensorBoard's JSON API writes them."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def scalar(r, tag, step, wall, value, precision):
    run(r)["scalars"].append({"tag": tag, "step": step, "wall_time": wall, "value": num(value), "precision": precision})


def histo_stats(r, tag, step, wall, values):
    v = np.asarray(values, dtype=np.float64)
    run(r)["histograms"].append({"tag": tag, "step": step, "wall_time": wall, "min": float(v.min()),
                                 "max": float(v.max()), "num": float(v.size), "sum": float(v.sum()),
                                 "sum_squares": float((v * v).sum())})


def image():
    return np.array([[[255, 0], [0, 255]], [[0, 0], [0, 0]], [[0, 255], [255, 0]]], dtype=np.uint8)  # CHW


def with_tensorboardx():
    from tensorboardX import SummaryWriter
    d = os.path.join(LOGS, "tbx", "run")
    w = SummaryWriter(d)
    for step, v in enumerate(SPECIAL):
        w.add_scalar("loss", v, step, walltime=BASE + step)
        scalar("tbx/run", "loss", step, BASE + step, v, "float32")
    values = np.linspace(-1.0, 2.0, 50)
    w.add_histogram("weights", values, 7, walltime=BASE + 7)
    histo_stats("tbx/run", "weights", 7, BASE + 7, values)
    w.add_text("note", "hello **tensorboardX**", 8, walltime=BASE + 8)
    run("tbx/run")["texts"].append({"tag": "note/text_summary", "step": 8, "wall_time": BASE + 8,
                                    "text": "hello **tensorboardX**"})
    w.add_image("img", image(), 9, walltime=BASE + 9)
    run("tbx/run")["skipped"]["image"] = 1
    for step in range(3):
        pair = {"train": 1.0 / (step + 1), "val": 2.0 / (step + 1)}
        w.add_scalars("pair", pair, step, walltime=BASE + 20 + step)
        for key, v in pair.items():
            scalar("tbx/run/pair/" + key, "pair", step, BASE + 20 + step, v, "float32")
    before = set(os.listdir(d))
    w.add_hparams({"lr": 1e-4, "optimizer": "adamw", "ema": True, "rank": 64}, {"hp/acc": 0.75}, global_step=3)
    sub = (set(os.listdir(d)) - before).pop()
    r = run("tbx/run/" + sub)
    r["hparams"] = {"lr": 1e-4, "optimizer": "adamw", "ema": True, "rank": 64.0}
    r["session_end"] = "SUCCESS"
    r["scalars"].append({"tag": "hp/acc", "step": 3, "wall_time": None, "value": 0.75, "precision": "float32"})
    r["skipped"]["hparams/experiment"] = 1
    w.close()


def with_torch():
    from torch.utils.tensorboard import SummaryWriter
    d = os.path.join(LOGS, "torch", "run")
    w = SummaryWriter(d)
    for step, v in enumerate(SPECIAL):
        w.add_scalar("loss", v, step, walltime=BASE + step)
        scalar("torch/run", "loss", step, BASE + step, v, "float32")
        w.add_scalar("loss_new", v, step, walltime=BASE + step, new_style=True)
        scalar("torch/run", "loss_new", step, BASE + step, v, "float32")
        precise = v / 3.0 if math.isfinite(v) else v
        w.add_scalar("loss_double", precise, step, walltime=BASE + step, new_style=True, double_precision=True)
        scalar("torch/run", "loss_double", step, BASE + step, precise, "float64")
    values = np.arange(-5.0, 20.0) * 0.5
    w.add_histogram("weights", values, 7, walltime=BASE + 7)
    histo_stats("torch/run", "weights", 7, BASE + 7, values)
    w.add_text("note", "hello *PyTorch* ✓", 8, walltime=BASE + 8)
    run("torch/run")["texts"].append({"tag": "note/text_summary", "step": 8, "wall_time": BASE + 8,
                                      "text": "hello *PyTorch* ✓"})
    w.add_image("img", image(), 9, walltime=BASE + 9)
    run("torch/run")["skipped"]["image"] = 1
    for step in range(3):
        pair = {"train": 1.0 / (step + 1), "val": 2.0 / (step + 1)}
        w.add_scalars("pair", pair, step, walltime=BASE + 20 + step)
        for key, v in pair.items():
            scalar("torch/run/pair_" + key, "pair", step, BASE + 20 + step, v, "float32")
    before = set(os.listdir(d))
    w.add_hparams({"lr": 3e-4, "optimizer": "sgd", "ema": False, "rank": 32}, {"hp/acc": 0.5}, global_step=3)
    sub = (set(os.listdir(d)) - before).pop()
    r = run("torch/run/" + sub)
    # PyTorch's hparams() tests for int before bool, and a Python bool is an int: False is written as 0.0
    r["hparams"] = {"lr": 3e-4, "optimizer": "sgd", "ema": 0.0, "rank": 32.0}
    r["session_end"] = "SUCCESS"
    r["scalars"].append({"tag": "hp/acc", "step": 3, "wall_time": None, "value": 0.5, "precision": "float32"})
    r["skipped"]["hparams/experiment"] = 1
    w.close()


def with_event_file_writer():
    from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2
    from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter
    from google.protobuf import struct_pb2

    d = os.path.join(LOGS, "tb", "run")
    r = "tb/run"

    def metadata(plugin, content=b""):
        return summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(
            plugin_name=plugin, content=content))

    def shape(*dims):
        return tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=s) for s in dims])

    def event(step, wall, *values):
        return event_pb2.Event(step=step, wall_time=wall, summary=summary_pb2.Summary(value=list(values)))

    # first file: scalar tensors; plugin metadata only on a tag's first event, as TF2 writes them
    w = EventFileWriter(d, filename_suffix=".a")
    for step, v in enumerate(SPECIAL):
        first = step == 0
        f = summary_pb2.Summary.Value(tag="acc_f32", tensor=tensor_pb2.TensorProto(
            dtype=1, tensor_shape=shape(), float_val=[v]), metadata=metadata("scalars") if first else None)
        precise = v / 7.0 if math.isfinite(v) else v
        dbl = summary_pb2.Summary.Value(tag="acc_f64", tensor=tensor_pb2.TensorProto(
            dtype=2, tensor_shape=shape(), tensor_content=struct.pack("<d", precise)),
            metadata=metadata("scalars") if first else None)
        w.add_event(event(step, BASE + step, f, dbl))
        scalar(r, "acc_f32", step, BASE + step, v, "float32")
        scalar(r, "acc_f64", step, BASE + step, precise, "float64")
    w.close()

    # second file (sorts after the first): histogram tensor, text, image, hparams
    w = EventFileWriter(d, filename_suffix=".b")
    buckets = [[-1.0, 0.0, 3.0], [0.0, 1.0, 5.0], [1.0, 2.5, 2.0]]
    w.add_event(event(10, BASE + 10, summary_pb2.Summary.Value(
        tag="activations", metadata=metadata("histograms"), tensor=tensor_pb2.TensorProto(
            dtype=2, tensor_shape=shape(3, 3), double_val=[x for row in buckets for x in row]))))
    run(r)["histograms"].append({"tag": "activations", "step": 10, "wall_time": BASE + 10, "buckets": buckets})
    text = "a *markdown* text from EventFileWriter"
    w.add_event(event(11, BASE + 11, summary_pb2.Summary.Value(
        tag="caption", metadata=metadata("text"), tensor=tensor_pb2.TensorProto(
            dtype=7, tensor_shape=shape(), string_val=[text.encode()]))))
    run(r)["texts"].append({"tag": "caption", "step": 11, "wall_time": BASE + 11, "text": text})
    w.add_event(event(12, BASE + 12, summary_pb2.Summary.Value(tag="picture", image=summary_pb2.Summary.Image(
        height=1, width=1, colorspace=1, encoded_image_string=b"\x89PNG not really"))))
    run(r)["skipped"]["image"] = 1
    w.add_event(event(12, BASE + 12, summary_pb2.Summary.Value(
        tag="curve", metadata=metadata("pr_curves"), tensor=tensor_pb2.TensorProto(
            dtype=1, tensor_shape=shape(6, 1), float_val=[1, 2, 3, 4, 5, 6]))))
    run(r)["skipped"]["pr_curves"] = 1
    hparams = {"lr": 0.01, "model": "SDXL", "use_ema": True}
    start = plugin_data_pb2.SessionStartInfo(group_name="group-1", start_time_secs=BASE)
    for k, v in hparams.items():
        if isinstance(v, bool):
            start.hparams[k].CopyFrom(struct_pb2.Value(bool_value=v))
        elif isinstance(v, str):
            start.hparams[k].CopyFrom(struct_pb2.Value(string_value=v))
        else:
            start.hparams[k].CopyFrom(struct_pb2.Value(number_value=v))
    content = plugin_data_pb2.HParamsPluginData(session_start_info=start).SerializeToString()
    w.add_event(event(0, BASE + 13, summary_pb2.Summary.Value(
        tag="_hparams_/session_start_info", metadata=metadata("hparams", content),
        tensor=tensor_pb2.TensorProto(dtype=1, tensor_shape=shape(0)))))
    end = plugin_data_pb2.SessionEndInfo(status=api_pb2.STATUS_FAILURE, end_time_secs=BASE + 14)
    content = plugin_data_pb2.HParamsPluginData(session_end_info=end).SerializeToString()
    w.add_event(event(0, BASE + 14, summary_pb2.Summary.Value(
        tag="_hparams_/session_end_info", metadata=metadata("hparams", content),
        tensor=tensor_pb2.TensorProto(dtype=1, tensor_shape=shape(0)))))
    run(r)["hparams"] = hparams
    run(r)["session_end"] = "FAILURE"
    run(r)["group_name"] = "group-1"
    w.close()


def strip_host_names():
    host = socket.gethostname()
    for root, _, files in os.walk(LOGS):
        for f in files:
            if host in f:
                os.rename(os.path.join(root, f), os.path.join(root, f.replace(host, "host")))


def main():
    shutil.rmtree(LOGS, ignore_errors=True)
    with_tensorboardx()
    with_torch()
    with_event_file_writer()
    strip_host_names()
    for r in expected["runs"].values():
        r["files"] = None
    for name in expected["runs"]:
        files = sorted(f for f in os.listdir(os.path.join(LOGS, name)) if "tfevents" in f)
        expected["runs"][name]["files"] = files
    with open(os.path.join(HERE, "expected.json"), "w") as out:
        json.dump(expected, out, indent=1, sort_keys=True, allow_nan=False)
        out.write("\n")


if __name__ == "__main__":
    main()
