package dev.trainlog.benchmarks;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B1: what one {@code log()} of a 6-metric step costs the training thread with three backends
 * sampled every 1, 10 and 100 steps, beside the least a hand-off can cost: building the same record
 * and offering it to one {@link ArrayBlockingQueue} drained by another thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class B1LogCallBenchmark {

  /** A dispatcher with three no-op backends at default settings: every record goes to the journal once. */
  @State(Scope.Benchmark)
  public static class Dispatcher {
    LogDispatcher dispatcher;
    Path spool;
    long step;
    final double[] gpu = Fixtures.GPU_UTIL.clone();

    @Setup(Level.Trial)
    public void start() {
      spool = Fixtures.tempDir("b1");
      dispatcher = LogDispatcher.builder(Fixtures.run("b1"))
          .backend("every1", new NoopBackend(), SampleSpec.every(1), ChannelSettings.defaults())
          .backend("every10", new NoopBackend(), SampleSpec.every(10), ChannelSettings.defaults())
          .backend("every100", new NoopBackend(), SampleSpec.every(100), ChannelSettings.defaults())
          .journalDir(spool.resolve("journal")).deadLetterDir(spool.resolve("dead"))
          .shutdownHook(false).build();
    }

    @TearDown(Level.Trial)
    public void stop() {
      dispatcher.close(RunStatus.FINISHED, Duration.ofSeconds(60));
      // the readers run behind the caller; the journal holds what they have not read
      System.out.println("\nB1 dispatcher stats: " + dispatcher.stats());
      Fixtures.deleteTree(spool);
    }
  }

  /**
   * One bounded queue, cleared by the caller whenever it is full: the cheapest possible hand-off,
   * since no consumer ever contends for the queue's lock or has to be woken.
   */
  @State(Scope.Benchmark)
  public static class Baseline {
    final ArrayBlockingQueue<LogRecord> queue = new ArrayBlockingQueue<>(8192);
    final RunInfo run = Fixtures.run("b1-baseline");
    final double[] gpu = Fixtures.GPU_UTIL.clone();
    long step;
    long sequence;
  }

  /**
   * One bounded queue and a consumer thread that takes whatever arrives: what a hand-written
   * hand-off costs, including waking the consumer, which {@code offer} does for every record while
   * the consumer waits.
   */
  @State(Scope.Benchmark)
  public static class ConsumedBaseline {
    final ArrayBlockingQueue<LogRecord> queue = new ArrayBlockingQueue<>(8192);
    final RunInfo run = Fixtures.run("b1-baseline");
    final double[] gpu = Fixtures.GPU_UTIL.clone();
    long step;
    long sequence;
    Thread consumer;
    volatile boolean running = true;

    @Setup(Level.Trial)
    public void start() {
      consumer = new Thread(() -> {
        List<LogRecord> sink = new ArrayList<>(512);
        while (running) {
          try {
            LogRecord first = queue.poll(10, TimeUnit.MILLISECONDS);
            if (first != null) {
              sink.add(first);
              queue.drainTo(sink, 511);
              sink.clear();
            }
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "b1-baseline-consumer");
      consumer.setDaemon(true);
      consumer.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
      running = false;
      consumer.join();
    }
  }

  @Benchmark
  public void trainlog(Dispatcher s) {
    long n = s.step++;
    s.dispatcher.step(n)
        .scalar("loss", 0.25)
        .scalar("lr", 1e-4)
        .scalar("grad_norm", 0.5)
        .scalar("tokens_per_s", 5120.0)
        .scalar("epoch", n * 1e-3)
        .vector("gpu_util", s.gpu)
        .log();
  }

  @Benchmark
  public boolean baseline(Baseline s) {
    return offer(s.queue, s.run, s.gpu, s.step++, s.sequence++);
  }

  @Benchmark
  public boolean baselineWithConsumer(ConsumedBaseline s) {
    return offer(s.queue, s.run, s.gpu, s.step++, s.sequence++);
  }

  private static boolean offer(ArrayBlockingQueue<LogRecord> queue, RunInfo run, double[] gpu, long n, long seq) {
    // the record as the dispatcher's step builder makes it
    MetricMap.Builder m = MetricMap.builder(8);
    m.put("loss", 0.25);
    m.put("lr", 1e-4);
    m.put("grad_norm", 0.5);
    m.put("tokens_per_s", 5120.0);
    m.put("epoch", n * 1e-3);
    m.put("gpu_util", gpu.clone());
    LogRecord record = new LogRecord(run, n, seq, System.currentTimeMillis(), m.build(), false);
    if (!queue.offer(record)) {
      queue.clear();
      return false;
    }
    return true;
  }
}
