package dev.trainlog.cli.importing;

import dev.trainlog.api.Images;
import dev.trainlog.tensorboard.read.TbHistogram;
import dev.trainlog.tensorboard.read.TbRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Merges consecutive events of one file that share a step into one {@link ImportedStep}, as a
 * training loop would have logged them: PyTorch writes an event per {@code add_scalar}, and a
 * backend sampling every 10 steps counts steps, not events. A repeated tag starts a new step.
 * Histograms become a nested map of {@code min}, {@code max}, {@code num}, {@code sum} and {@code
 * mean} (when finite) and {@code counts} (the bucket counts as a vector; the bucket edges are not
 * kept); texts stay strings; PNG and JPEG images stay images. A step can also be cut at an offset ({@link
 * #cutAt}): where an earlier process sent the part of it it had read.
 */
final class StepGrouper {

  private final int fileIndex;
  private Map<String, Object> metrics;
  private long step;
  private long wallMillis;
  private long sequence;
  private long start;
  private long scalars;
  private long cut = -1;

  StepGrouper(int fileIndex) {
    this.fileIndex = fileIndex;
  }

  /** Adds a record holding values; returns the step it completed, or null. */
  ImportedStep add(TbRecord r) {
    ImportedStep done = null;
    if (metrics != null && (r.step() != step || repeats(r) || (start < cut && r.offset() >= cut))) {
      done = flush();
    }
    if (metrics == null) {
      metrics = new LinkedHashMap<>();
      step = r.step();
      wallMillis = Math.round(r.wallTime() * 1000);
      start = r.offset();
      sequence = Sequences.of(fileIndex, start);
    }
    metrics.putAll(r.scalars());
    scalars += r.scalars().size();
    r.histograms().forEach((tag, h) -> metrics.put(tag, histogram(h)));
    metrics.putAll(r.texts());
    // PNG and JPEG image summaries travel as images (each backend samples them by its images rule)
    r.images().forEach((tag, image) -> metrics.put(tag, Images.of(image)));
    return done;
  }

  /**
   * Ends the step being merged before the event at {@code offset}, whatever that event is: an earlier process sent
   * the events before it as one step, under the id of its first event, and the rest must go under an id of its own.
   */
  void cutAt(long offset) {
    cut = offset;
  }

  /** The offset of the first event of the step being merged: where a reader reads it again from. */
  long start() {
    return start;
  }

  /** The step being merged, or null if none. */
  ImportedStep flush() {
    if (metrics == null) {
      return null;
    }
    ImportedStep s = new ImportedStep(step, wallMillis, sequence, metrics);
    metrics = null;
    return s;
  }

  /** Scalars added so far. */
  long scalars() {
    return scalars;
  }

  private boolean repeats(TbRecord r) {
    for (String k : r.scalars().keySet()) {
      if (metrics.containsKey(k)) {
        return true;
      }
    }
    for (String k : r.histograms().keySet()) {
      if (metrics.containsKey(k)) {
        return true;
      }
    }
    for (String k : r.texts().keySet()) {
      if (metrics.containsKey(k)) {
        return true;
      }
    }
    for (String k : r.images().keySet()) {
      if (metrics.containsKey(k)) {
        return true;
      }
    }
    return false;
  }

  /** Non-finite sums are left out: a NaN would carry every such step past the samplers. */
  static Map<String, Object> histogram(TbHistogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("min", h.min());
    m.put("max", h.max());
    m.put("num", h.num());
    if (Double.isFinite(h.sum())) {
      m.put("sum", h.sum());
      if (h.num() > 0) {
        m.put("mean", h.sum() / h.num());
      }
    }
    m.put("counts", h.bucketCounts());
    return m;
  }
}
