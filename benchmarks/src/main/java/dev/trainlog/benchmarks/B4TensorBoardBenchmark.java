package dev.trainlog.benchmarks;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
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

/**
 * B4 under JMH: records per second the TensorBoard backend writes, in batches of {@value
 * B4VsPython#BATCH} as its channel hands them over, through its public provider. Scalars per second
 * are records per second times {@link #scalarsPerStep}. The comparison with the Python writers is
 * {@link B4VsPython}'s; these rows show the backend alone, with no baseline.
 *
 * <p>The batch is built just before each call, outside the timed region, the way the dispatcher
 * hands a backend records the training thread created moments earlier; {@code trainlogColdRecords}
 * instead cycles through 32,768 records built at the start, which no longer sit in the CPU caches.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class B4TensorBoardBenchmark {

  private static final int BATCH = B4VsPython.BATCH;

  /** Scalars per record: 1 (a step logging only its loss) or 5 (a typical training step). */
  @Param({"1", "5"})
  public int scalarsPerStep;

  private final RunInfo run = Fixtures.run("b4");

  private Path dir;
  private LogBackend backend;
  private long nextStep;
  // prepared before each invocation
  private List<LogRecord> batch;
  // built once, for trainlogColdRecords
  private List<List<LogRecord>> coldBatches;
  private int nextCold;

  @Setup(Level.Trial)
  public void buildColdRecords() {
    coldBatches = new ArrayList<>();
    for (int b = 0; b < 64; b++) {
      coldBatches.add(B4VsPython.records(run, (long) b * BATCH, BATCH, scalarsPerStep));
    }
  }

  @Setup(Level.Iteration)
  public void open() throws Exception {
    dir = Fixtures.tempDir("b4");
    backend = Harness.tensorBoardBackend(run, dir.resolve("tb"), dir.resolve("data"));
    backend.open();
    // steps keep rising across iterations, as in one long run; the cold batches start over (every
    // 32,768 records the backend writes one SessionLog START and the config again, under 0.01% of its bytes)
    nextCold = 0;
  }

  /** The next batch, the step rising by one per record. */
  @Setup(Level.Invocation)
  public void nextBatch() {
    batch = B4VsPython.records(run, nextStep, BATCH, scalarsPerStep);
    nextStep += BATCH;
  }

  @TearDown(Level.Iteration)
  public void close() throws Exception {
    backend.close(RunStatus.FINISHED);
    Fixtures.deleteTree(dir);
  }

  /** "1 scalar per record", "5 scalars per record": how the B4 rows name a record shape. */
  static String perRecord(int scalars) {
    return scalars == 1 ? "1 scalar per record" : scalars + " scalars per record";
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
}
