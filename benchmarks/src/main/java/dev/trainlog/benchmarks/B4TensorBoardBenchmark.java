package dev.trainlog.benchmarks;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.tensorboard.EventEncoder;
import dev.trainlog.tensorboard.ProtoBuffer;
import dev.trainlog.tensorboard.RecordFramer;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * B4: records per second the TensorBoard backend writes, in batches of {@value #BATCH} as its channel
 * hands them over, against a {@link BufferedOutputStream} writing the same framed bytes, encoded
 * outside the timed region. Both hand their bytes to the OS after every batch. Scalars per second
 * are records per second times {@link #scalarsPerStep}.
 *
 * <p>The batch is built just before each call, outside the timed region, the way the dispatcher
 * hands a backend records the training thread created moments earlier; {@code trainlogColdRecords}
 * instead cycles through 32,768 records built at the start, which no longer sit in the CPU caches.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class B4TensorBoardBenchmark {

  /** Records per {@code write} call: the channel's default batch size. */
  static final int BATCH = 512;

  /** The scalars of a training step, in the order the LoRA example logs them. */
  static final String[] KEYS = {"loss", "lr", "grad_norm", "tokens_per_s", "epoch"};

  /** Scalars per record: 1 (a step logging only its loss) or 5 (a typical training step). */
  @Param({"1", "5"})
  public int scalarsPerStep;

  private final RunInfo run = Fixtures.run("b4");
  // the backend's field-by-field encoder, without the file: makes the baseline's bytes (the backend's
  // templates write the same bytes, which its tests check) and is encodeOnly
  private final EventEncoder encoder = new EventEncoder();
  private final RecordFramer framer = new RecordFramer();
  private final ProtoBuffer buffer = new ProtoBuffer(64 * 1024);

  private Path dir;
  private LogBackend backend;
  private OutputStream stream;
  private long nextStep;
  // prepared before each invocation
  private List<LogRecord> batch;
  private byte[] framed;
  // built once, for trainlogColdRecords
  private List<List<LogRecord>> coldBatches;
  private int nextCold;

  @Setup(Level.Trial)
  public void buildColdRecords() {
    coldBatches = new ArrayList<>();
    for (int b = 0; b < 64; b++) {
      coldBatches.add(records((long) b * BATCH));
    }
  }

  @Setup(Level.Iteration)
  public void open() throws Exception {
    dir = Fixtures.tempDir("b4");
    backend = Harness.tensorBoardBackend(run, dir.resolve("tb"), dir.resolve("data"));
    backend.open();
    stream = new BufferedOutputStream(new FileOutputStream(dir.resolve("baseline.tfevents").toFile()), 64 * 1024);
    // steps keep rising across iterations, as in one long run; the cold batches start over (every
    // 32,768 records the backend writes one SessionLog START and the config again, under 0.01% of its bytes)
    nextCold = 0;
  }

  /**
   * The next batch, the step rising by one per record, and for the baseline its framed bytes. Only
   * the baseline's setup encodes: that work would otherwise run just before every TrainLog call and
   * push the backend's own data out of the CPU's first-level cache, which no dispatcher does.
   */
  @Setup(Level.Invocation)
  public void nextBatch(BenchmarkParams params) throws IOException {
    batch = records(nextStep);
    nextStep += BATCH;
    if (params.getBenchmark().endsWith(".baseline")) {
      encodeBatch(batch);
      framed = encodedBytes();
    }
  }

  @TearDown(Level.Iteration)
  public void close() throws Exception {
    backend.close(RunStatus.FINISHED);
    stream.close();
    Fixtures.deleteTree(dir);
  }

  /** "1 scalar per record", "5 scalars per record": how the B4 rows name a record shape. */
  static String perRecord(int scalars) {
    return scalars == 1 ? "1 scalar per record" : scalars + " scalars per record";
  }

  /** Records shaped like the dispatcher's: a {@link MetricMap} of boxed doubles, as {@code step(n).scalar(..)} builds it. */
  List<LogRecord> records(long firstStep) {
    List<LogRecord> records = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      long s = firstStep + i;
      double[] values = {Fixtures.loss(s), 1e-4, 0.5 + (s % 7) * 0.01, 5120.0, s / 1000.0};
      MetricMap.Builder m = MetricMap.builder(8);
      for (int k = 0; k < scalarsPerStep; k++) {
        m.put(KEYS[k], values[k]);
      }
      records.add(new LogRecord(run, s, s, 1_700_000_000_000L + s, m.build(), false));
    }
    return records;
  }

  /**
   * The events the backend writes for {@code records}, framed, into {@link #buffer}, as its encoder
   * makes them: encoding, in-place framing with two CRC-32C and {@code forEach} walk of the metric map.
   */
  int encodeBatch(List<LogRecord> records) {
    buffer.reset();
    for (int i = 0; i < records.size(); i++) {
      LogRecord r = records.get(i);
      int start = buffer.reserve(RecordFramer.HEADER_BYTES);
      int summary = encoder.beginSummaryEvent(buffer, r.timestampMillis() / 1000.0, r.step());
      // made per record as the backend does, so the JIT inlines it (see TensorBoardBackend.write)
      r.metrics().forEach((key, value) -> encoder.scalarValue(buffer, key, (Double) value));
      encoder.endSummaryEvent(buffer, summary);
      framer.frameInPlace(buffer, start);
    }
    return buffer.size();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void trainlog() throws Exception {
    backend.write(batch);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void trainlogColdRecords() throws Exception {
    List<LogRecord> cold = coldBatches.get(nextCold);
    nextCold = (nextCold + 1) & 63;
    backend.write(cold);
  }

  /**
   * The field-by-field encoder without the file — what the backend does for a record no template
   * fits: event encoding into one buffer, framed in place with two CRC-32C, the metric map walked
   * with {@code forEach} — and the bytes dropped after each batch. The backend writes the records of
   * a shape it has seen from a template instead, which this does not time.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int encodeOnly() {
    return encodeBatch(batch);
  }

  /** The bytes {@link #encodeBatch} made last, as a new array. */
  byte[] encodedBytes() {
    return buffer.toByteArray();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void baseline() throws IOException {
    stream.write(framed);
    stream.flush();
  }
}
