#!/usr/bin/env python3
"""Writes hparams-logs/: two PyTorch training runs that record their hyperparameters the way most
PyTorch users do, with SummaryWriter.add_hparams at the end of training, and hparams-expected.json:
what the writer was given. Run by hand once (CI needs no Python), in the venv of make_fixtures.py:

    /tmp/tbvenv/bin/python make_hparams_fixtures.py   # from this folder; replaces hparams-logs/

Layout: hparams-logs/sdxl-lora/{rank64,rank32}/ hold the runs' scalars; add_hparams adds a
sub-directory named by the time it was called (e.g. rank64/1796582225.4079337/) holding the session
start (PyTorch writes every number, integers included, as a double), an experiment summary, a session
end and the metric ("hparam/final_loss", at step 0 unless global_step is given), at the time of the
call. The steps' wall times are given to the writer (one a second from when the script runs), so the
runs' first and last event times (file version, steps, add_hparams) are read back with TensorBoard's
own loader into hparams-expected.json.
"""
import json
import math
import os
import shutil
import socket
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LOGS = os.path.join(HERE, "hparams-logs")
BASE = float(math.floor(time.time()))  # the steps come a second apart from now on, as a trainer's would
STEPS = 20

RUNS = {
    "rank64": {"lr": 0.1, "batch_size": 256, "optimizer": "adamw", "ema": True},
    "rank32": {"lr": 0.05, "batch_size": 256, "optimizer": "adamw", "ema": True},
}


def wall_times(run_dir):
    """Every event's wall time in the run's files and its add_hparams directory, read back by TensorBoard."""
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
    times = []
    for root, _, files in os.walk(run_dir):
        for f in files:
            if "tfevents" in f:
                times.extend(e.wall_time for e in EventFileLoader(os.path.join(root, f)).Load())
    return times


def main():
    from torch.utils.tensorboard import SummaryWriter
    shutil.rmtree(LOGS, ignore_errors=True)
    expected = {"runs": {}}
    for i, (name, hparams) in enumerate(RUNS.items()):
        d = os.path.join(LOGS, "sdxl-lora", name)
        w = SummaryWriter(d)
        start = BASE + 100 * i
        losses = []
        for step in range(STEPS):
            loss = 1.0 / (1 + step * hparams["lr"])
            losses.append(loss)
            w.add_scalar("loss", loss, step, walltime=start + step)
        before = set(os.listdir(d))
        w.add_hparams(hparams, {"hparam/final_loss": losses[-1]})
        sub = (set(os.listdir(d)) - before).pop()
        w.close()
        times = wall_times(d)
        expected["runs"][name] = {"hparams": hparams, "hparams_dir": sub, "steps": STEPS,
                                  "first_wall_time": min(times), "last_wall_time": max(times),
                                  "final_loss": losses[-1]}
    host = socket.gethostname()
    for root, _, files in os.walk(LOGS):
        for f in files:
            if host in f:
                os.rename(os.path.join(root, f), os.path.join(root, f.replace(host, "host")))
    with open(os.path.join(HERE, "hparams-expected.json"), "w") as out:
        json.dump(expected, out, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()
