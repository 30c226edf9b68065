package dev.trainlog.core;

import dev.trainlog.api.MetricMap;

/**
 * Collects one step's metrics for {@link LogDispatcher#step(long)}:
 * {@code dispatcher.step(n).scalar("loss", x).vector("gpu_util", u).log()}. Not thread-safe; get a
 * new one per step (it is cheap: what it collects becomes the record's map).
 */
public final class StepBuilder {

  private final LogDispatcher dispatcher;
  private final long step;
  private final MetricMap.Builder metrics = MetricMap.builder(8);
  private boolean force;
  private boolean logged;

  StepBuilder(LogDispatcher dispatcher, long step) {
    this.dispatcher = dispatcher;
    this.step = step;
  }

  public StepBuilder scalar(String key, double value) {
    open(key).put(key, value);
    return this;
  }

  /** A vector such as per-GPU utilisation; the array is copied, so the caller may reuse it. */
  public StepBuilder vector(String key, double[] values) {
    if (values == null) {
      throw new IllegalArgumentException("step " + step + ": vector '" + key + "' is null");
    }
    open(key).put(key, values.clone());
    return this;
  }

  public StepBuilder text(String key, String value) {
    open(key).put(key, value);
    return this;
  }

  /** Any value {@link LogDispatcher#log(long, Map)} accepts (numbers, arrays, lists, maps, strings). */
  public StepBuilder value(String key, Object value) {
    open(key).put(key, value);
    return this;
  }

  /** Sends this record past every sampler (an eval result, the last step). */
  public StepBuilder force() {
    this.force = true;
    return this;
  }

  /** Logs the record; a builder logs once, so call {@code step(n)} again for the next record. */
  public void log() {
    dispatcher.logBuilt(step, open().build(), force);
    logged = true;
  }

  private MetricMap.Builder open(String key) {
    if (key == null) {
      throw new IllegalArgumentException("step " + step + ": a metric key is null");
    }
    return open();
  }

  private MetricMap.Builder open() {
    if (logged) {
      throw new IllegalStateException("this step(" + step + ") builder was logged already; start the next record"
          + " with dispatcher.step(n)");
    }
    return metrics;
  }
}
