package dev.trainlog.core.internal.sampling;

import static dev.trainlog.core.internal.sampling.Fixtures.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.core.spec.SampleSpec;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The "skip, no reduce" path runs for almost every step of every backend, so it must not allocate.
 * Measured with the JVM's per-thread allocation counter over many offers of a skipped record.
 */
class SkipPathAllocationTest {

  private static final int WARM_UP = 20_000;
  private static final int MEASURED = 100_000;

  private static double bytesPerSkippedOffer(RecordSampler sampler) {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeThat(bean).isInstanceOf(com.sun.management.ThreadMXBean.class);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    assumeThat(mx.isThreadAllocatedMemorySupported()).isTrue();
    LogRecord skipped = rec(7, "loss", 0.5, "lr", 1e-4, "gpu_util", new double[] {78, 82}, "eval/acc", 0.9);
    long sink = 0;
    for (int i = 0; i < WARM_UP; i++) {
      sink += sampler.offer(skipped) == null ? 0 : 1;
    }
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < MEASURED; i++) {
      sink += sampler.offer(skipped) == null ? 0 : 1;
    }
    long after = mx.getThreadAllocatedBytes(tid);
    assertThat(sink).isZero();
    return (after - before) / (double) MEASURED;
  }

  @Test
  void skippingAWholeRecordAllocatesNothing() {
    double bytes = bytesPerSkippedOffer(RecordSampler.of(SampleSpec.every(1000)));
    assertThat(bytes).isLessThan(1.0);
  }

  @Test
  void skippingARecordWithOverridesAndAKeyFilterAllocatesNothing() {
    RecordSampler s = RecordSampler.of(SampleSpec.every(1000).override("eval/*",
        SampleSpec.every(500)).keys(List.of(), List.of("debug/*")));
    double bytes = bytesPerSkippedOffer(s);
    assertThat(bytes).isLessThan(1.0);
  }
}
