package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beside the run index, each run's documents in {@value StepRanges#FIELD} order, so a read of a few step ranges of
 * a run (reached-within's bucket read) reaches only those instead of every step of the run. A document whose step
 * is not an integer (a double, an array, none) is kept under {@link #OTHER}, which every such read takes as well;
 * the server still matches the whole query. A store written before this map existed gets it built on the first
 * such read, from the run index and its records.
 */
final class RunStepIndex {

  private static final Logger LOG = LoggerFactory.getLogger(RunStepIndex.class);

  private static final char SEPARATOR = '\u0000';

  /** Where documents whose step is not an integer are kept; sorts before every step key. */
  private static final String OTHER = "\u0001";

  /** The key marking the map complete. */
  private static final String COMPLETE = "";

  private final MVMap<String, Object> steps;
  private boolean failed;

  RunStepIndex(MVMap<String, Object> steps) {
    this.steps = steps;
  }

  void add(String run, Document document, Object position) {
    steps.put(key(run, document.get(StepRanges.FIELD), position), position);
  }

  void remove(String run, Document document, Object position) {
    steps.remove(key(run, document.get(StepRanges.FIELD), position));
  }

  /** Empties the index of an empty collection: it is complete. */
  void clear() {
    steps.clear();
    steps.put(COMPLETE, Boolean.TRUE);
  }

  /**
   * Whether the index is complete, after building it once when the store predates it: each entry of the run index
   * ({@code run SEPARATOR position}) with the step of its document, taken from {@code stepOf} (its record, or the
   * document). False when the build failed (logged; this process does not try again).
   */
  synchronized boolean buildIfMissing(MVMap<String, Object> runIndex, String arrays,
      Function<Map.Entry<String, Object>, Object> stepOf) {
    if (failed || steps.containsKey(COMPLETE)) {
      return !failed;
    }
    long start = System.nanoTime();
    try {
      String from = null;
      while (true) {
        List<Map.Entry<String, Object>> batch = RunPathIndex.batch(runIndex, from);
        if (batch.isEmpty()) {
          break;
        }
        for (Map.Entry<String, Object> e : batch) {
          String key = e.getKey();
          String run = key.startsWith(arrays + SEPARATOR) ? arrays : key.substring(0, key.indexOf(SEPARATOR));
          steps.put(key(run, stepOf.apply(e), e.getValue()), e.getValue());
        }
        from = batch.get(batch.size() - 1).getKey();
      }
    } catch (RuntimeException e) {
      failed = true;
      LOG.warn("store service: the step index {} could not be built ({}); step ranges of a run take the run index",
          steps.getName(), e.toString());
      return false;
    }
    steps.put(COMPLETE, Boolean.TRUE);
    LOG.info("store service: the step index {} built from the run index's {} entries in {} ms", steps.getName(),
        runIndex.sizeAsLong(), (System.nanoTime() - start) / 1_000_000);
    return true;
  }

  /** The run index keys and positions of {@code run}'s documents in {@code ranges}, and of its non-integer steps. */
  List<RunPathIndex.Entry> entries(String run, List<long[]> ranges) {
    List<RunPathIndex.Entry> out = new ArrayList<>();
    String other = run + SEPARATOR + OTHER + SEPARATOR;
    read(other, other, run, out);
    for (long[] r : ranges) {
      read(run + SEPARATOR + step(r[0]) + SEPARATOR, run + SEPARATOR + step(r[1]) + SEPARATOR, run, out);
    }
    return out;
  }

  /** Adds the entries from the key range starting {@code from} through those starting {@code through}. */
  private void read(String from, String through, String run, List<RunPathIndex.Entry> out) {
    Cursor<String, Object> cursor = steps.cursor(from);
    while (cursor.hasNext()) {
      String key = cursor.next();
      if (key.compareTo(through) < 0 || key.startsWith(through)) {
        // the position is what follows the run, the step and their separators
        out.add(new RunPathIndex.Entry(run + SEPARATOR + key.substring(through.length()), cursor.getValue()));
      } else {
        break;
      }
    }
  }

  private static String key(String run, Object step, Object position) {
    String s = step instanceof Long || step instanceof Integer ? step(((Number) step).longValue()) : OTHER;
    return run + SEPARATOR + s + SEPARATOR + position;
  }

  /** A step as 16 hexadecimal digits that sort as the numbers do (the sign bit flipped). */
  private static String step(long step) {
    String hex = Long.toHexString(step ^ Long.MIN_VALUE);
    return "0".repeat(16 - hex.length()) + hex;
  }
}
