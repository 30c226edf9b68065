package dev.trainlog.benchmarks;

/** The fixed text under the results table: what each figure measures and against what. */
final class Methodology {

  private Methodology() {}

  static final String TEXT = """

      ## What is measured

      Medians over the samples of this run, with min–max; every baseline ran in the same run (B1 in the
      same JMH invocation, B2, B3 and B5 interleaved with TrainLog in the same JVM, B4's Python writers
      in a Python process started between TrainLog's runs by the same harness).
      No test asserts a time: the table only reports whether a target was met.

      - **B1** (JMH, `B1LogCallBenchmark`, `-prof gc`): one `dispatcher.step(n).scalar(..)×5
        .vector("gpu_util", u).log()` with three no-op backends sampled every 1, 10 and 100 steps at
        default settings (every record appended to the journal once; the readers sample it), against building the same record (a `MetricMap`
        of 6 entries with a copied `double[]`, wrapped in a `LogRecord`) and offering it
        to one `ArrayBlockingQueue` of 8192, twice: drained by a consumer thread (a real hand-off between
        threads, as TrainLog's), and with no consumer, cleared by the caller when full (the floor: an
        uncontended lock and no other thread to wake). Both are shown against the ≤ 3× target.
      - **B2** (`B2TrainingLoop`): ~100 µs of calibrated CPU work per step for 100k steps. TrainLog logs
        to TensorBoard every step, MongoDB (mongo-java-server, memory backend, over TCP) every 10 with
        `reduce: mean` and jsonl every 100; its time includes `close()`, which waits until every backend
        delivered. The naive dispatcher of seed 001 writes on the training thread: the TensorBoard backend
        called with one record at a time (each call hands its event to the OS), `insertOne` per MongoDB
        record, a JSON line per jsonl record into a buffered stream.
        A fourth variant runs TrainLog's same readers and samplers into no-op backends: the training
        thread's own share of the slowdown. A fifth runs the first with `durability: fsync` (the journal
        and cursors forced every second).
        **The machine has 2 cores**: TrainLog's three readers and the in-process MongoDB server share the
        second core with each other and compete with the training thread whenever the OS schedules them
        on the first; on a real GPU job the training thread mostly waits on the GPU.
      - **B3** (`B3MongoIngest`): `log()` of 100k records then `flush()` until the server acknowledged
        them, against the raw driver (`insertMany` of 1000 unordered; `insertOne` per record on a fifth of
        the records), same server, same document shape (`_id`, exp_name, run, step, rank, node, metrics,
        config, timestamp). The raw variants build their documents inside the timed section. Every
        record goes to the journal first and the MongoDB reader follows at its own pace; `on-full: block`
        only matters past `journal.max-size`, so the two TrainLog rows time the same path.
      - **B4** (`B4VsPython`, 100k steps, 3 repeats after 3 warm-up runs): scalars per second written
        to TensorBoard through the user-facing API, against the Python writers writing the same run (the
        same steps and tags: `loss` alone, one scalar per event, or loss, lr, grad_norm, tokens_per_s and
        epoch in one event). TrainLog: a `LogDispatcher` built from YAML with one `tensorboard` backend
        (`every: 1`) logging every step, timed from `fromYaml` until `close()` returned (every record in
        the file, forced to disk), with the default settings and with
        `on-full: block`, three runs of each per repeat; and the backend's `write` alone, batches of
        512 built outside the timed region. Python (`benchmarks/b4_python_writers.py`, one process per
        repeat, run by the harness between TrainLog's runs; `run.sh` uses the venv `B4_VENV` and makes it
        with `B4_MAKE_VENV=1`): PyTorch's `torch.utils.tensorboard.SummaryWriter`, tensorboard's own
        `EventFileWriter` (which PyTorch's writer wraps) and tensorboardX's `SummaryWriter`, each timed
        from making the writer until `close()` returned; one scalar per event with `add_scalar`
        (`add_event` for `EventFileWriter`), five per event with one `Summary` of five values through
        the file writer's `add_summary`. The target, ≥ 20× the faster Python writer, is judged on the
        default channel.
      - **B4 under JMH** (`B4TensorBoardBenchmark`, `@Param scalarsPerStep` 1 and 5): the backend's
        `write` of batches of 512 records through its public provider, no baseline. Records are built as
        the dispatcher's step builder builds them (a `MetricMap` of boxed doubles); each batch is built
        just before its call (`@Setup(Level.Invocation)`), with steps rising across the run. The "built
        up front" rows cycle through 64 batches made at the start instead, so the records are cold in
        the CPU caches.
      - **B5** (`B5Mlflow`): an in-process MLflow-like server (`com.sun.net.httpserver`, JSON parsed,
        1000-metric limit, `Connection: close` on every answer). TrainLog: 20k steps × 5 scalars, every
        step kept, from building the dispatcher to `close()`. Naive: one `runs/log-metric` POST per
        metric over `java.net.http`, timed on 10k metrics and scaled ×10.
      - Every JVM but B6's runs with `-Xms1g -Xmx1g -XX:+AlwaysPreTouch`: on this VM the first touch
        of each new heap page is so slow that, without it, whole 1-second JMH iterations of the same
        code varied from 100 to 2,600 ns/op while the heap grew.
      - **B6** (`B6Outage`, own JVM with `-Xmx64m`): 1M steps of 6 metrics to three backends whose
        `open()` fails for the whole run (the records wait in the journal; open retries back off to at most
        1 s instead of 30 s so the drain time is not a back-off sleep); then they come back and each must
        receive all records exactly once in step order. Heap figures come from GC notifications (heap
        pools only).
      - **B7** (`B7Crash`): a child JVM logs steps to a JSON-lines backend as fast as it can, printing
        every 100th step once its `log()` returned; it is killed with SIGKILL after 200,000 steps; a
        second process on the same journal only drains and closes. Counted: steps reported as logged
        that never reached the file, with `durability: process` and `fsync`. Also the time `build()`
        takes over a 1 GiB journal left behind (recovery scan and counting each backend's records behind).
      - **B8** (`B8CompareReport`, own JVM with a 4 GB heap): 10 runs × 100k steps (1M documents of
        the backend's shape, inserted with `insertMany`; runs documents with their summary) in
        mongo-java-server's memory backend over TCP. `trainlog compare <experiment> --metric loss --out
        FILE` in this JVM (connect, read the runs, one query per run, downsampling, HTML with uPlot
        inlined, written to disk) against the raw driver's `find` with the same filter (`{run, rank}`)
        and projection (step, timestamp, `metrics.loss`) iterating the same 1M documents, alternated,
        in the same JVM. Also the report's size, and `trainlog runs` over 1,000 runs (read from the
        runs collection alone).
      """;
}
