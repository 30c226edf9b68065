package dev.trainlog.benchmarks;

/** The fixed text under the results table: what each figure measures and against what. */
final class Methodology {

  private Methodology() {}

  static final String TEXT = """

      ## What is measured

      Medians over the samples of this run, with min–max; every baseline ran in the same run (B1 and B4
      in the same JMH invocation, B2, B3, B4 paired and B5 interleaved with TrainLog in the same JVM).
      No test asserts a time: the table only reports whether a target was met.

      - **B1** (JMH, `B1LogCallBenchmark`, `-prof gc`): one `dispatcher.step(n).scalar(..)×5
        .vector("gpu_util", u).log()` with three no-op backends sampled every 1, 10 and 100 steps at
        default channel settings (queue 8192, spill), against building the same record (a `MetricMap`
        of 6 entries with a copied `double[]`, wrapped in a `LogRecord`) and offering it
        to one `ArrayBlockingQueue` of 8192, twice: drained by a consumer thread (a real hand-off between
        threads, as TrainLog's), and with no consumer, cleared by the caller when full (the floor: an
        uncontended lock and no other thread to wake). Both are shown against the ≤ 3× target.
      - **B2** (`B2TrainingLoop`): ~100 µs of calibrated CPU work per step for 100k steps. TrainLog logs
        to TensorBoard every step, MongoDB (mongo-java-server, memory backend, over TCP) every 10 with
        `reduce: mean` and jsonl every 100; its time includes `close()`, which waits until every backend
        delivered. The naive dispatcher of seed 001 writes on the training thread: the TensorBoard event
        into a 64 KB buffered file stream, `insertOne` per MongoDB record, a JSON line per jsonl record.
        A fourth variant runs TrainLog's same channels and samplers into no-op backends: the training
        thread's own share of the slowdown.
        **The machine has 2 cores**: TrainLog's three workers and the in-process MongoDB server share the
        second core with each other and compete with the training thread whenever the OS schedules them
        on the first; on a real GPU job the training thread mostly waits on the GPU.
      - **B3** (`B3MongoIngest`): `log()` of 100k records then `flush()` until the server acknowledged
        them, against the raw driver (`insertMany` of 1000 unordered; `insertOne` per record on a fifth of
        the records), same server, same document shape (`_id`, exp_name, run, step, rank, node, metrics,
        config, timestamp). The raw variants build their documents inside the timed section. "default
        channel" logs faster than MongoDB takes records, so past 8192 queued records it spills to disk
        and replays; "block" makes `log()` wait instead.
      - **B4** (JMH, `B4TensorBoardBenchmark`, `@Param scalarsPerStep` 1 and 5): the TensorBoard
        backend's `write` of batches of 512 records (it encodes, or fills in the template of the shape
        it saw last, frames with CRC-32C and hands the bytes to the OS per batch), against a
        `BufferedOutputStream` writing the same framed bytes, encoded outside the timed region, and
        flushed per batch. Records are built as the dispatcher's step builder builds them (a
        `MetricMap` of boxed doubles); each batch is built just before its call
        (`@Setup(Level.Invocation)`), with steps rising across the run. The "built up front" rows cycle
        through 64 batches made at the start instead, so the records are cold in the CPU caches. The
        "without the file" rows run the backend's field-by-field encoder, which it uses for a record no
        template fits (map walk, encoding, framing with two CRC-32C into one buffer), and drop the bytes. Only the baseline's setup encodes the framed bytes,
        so that work does not run just before each TrainLog call.
      - **B4 paired** (`B4Paired`, 5 repeats of 2000 batches after 3 warm-up repeats): the same backend
        and the same buffered stream, timed batch by batch in alternation in one JVM (each round builds
        a batch and its framed bytes untimed, then times both writes, in turns first). JMH runs the two
        minutes apart in separate JVMs, and on this VM the cost of writing to a file drifts by up to 2×
        within minutes, so the JMH ratio moves between runs; the paired ratio moved by a few percent.
      - **B5** (`B5Mlflow`): an in-process MLflow-like server (`com.sun.net.httpserver`, JSON parsed,
        1000-metric limit, `Connection: close` on every answer). TrainLog: 20k steps × 5 scalars, every
        step kept, from building the dispatcher to `close()`. Naive: one `runs/log-metric` POST per
        metric over `java.net.http`, timed on 10k metrics and scaled ×10.
      - Every JVM but B6's runs with `-Xms1g -Xmx1g -XX:+AlwaysPreTouch`: on this VM the first touch
        of each new heap page is so slow that, without it, whole 1-second JMH iterations of the same
        code varied from 100 to 2,600 ns/op while the heap grew.
      - **B6** (`B6Outage`, own JVM with `-Xmx128m`): 1M steps of 6 metrics to three backends whose
        `open()` fails for the whole run (default queue 8192, spill; open retries back off to at most
        1 s instead of 30 s so the drain time is not a back-off sleep); then they come back and each must
        receive all records exactly once in step order. Heap figures come from GC notifications (heap
        pools only).
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
