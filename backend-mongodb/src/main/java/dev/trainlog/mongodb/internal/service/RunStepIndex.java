package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * Beside the run index, each run's documents in {@value StepRanges#FIELD} order, so a read of a few step ranges of
 * a run (reached-within's bucket read) reaches only those instead of every step of the run. A document whose step
 * is not an integer (a double, an array, none) is kept under {@link #OTHER}, which every such read takes as well;
 * the server still matches the whole query. A store written before this map existed gets it built on the first
 * such read, from the run index and its records.
 */
final class RunStepIndex {

  private static final char SEPARATOR = '\u0000';

  /** Where documents whose step is not an integer are kept; sorts before every step key. */
  private static final String OTHER = "\u0001";

  private final MVMap<String, Object> steps;
  private final RunIndexBuild build;

  RunStepIndex(MVMap<String, Object> steps) {
    this.steps = steps;
    this.build = new RunIndexBuild(steps);
  }

  void add(String run, Document document, Object position) {
    steps.put(key(run, document.get(StepRanges.FIELD), position), position);
  }

  void remove(String run, Document document, Object position) {
    steps.remove(key(run, document.get(StepRanges.FIELD), position));
  }

  /** Empties the index of an empty collection: it is complete. */
  void clear() {
    build.clear();
  }

  /**
   * Whether the index is complete, after building it once when the store predates it: each entry of the run index
   * with the step of its document, taken from {@code stepOf} (its record, or the document); false when that failed.
   */
  boolean buildIfMissing(MVMap<String, Object> runIndex, String arrays, BiFunction<String, Object, Object> stepOf) {
    return build.ensure(runIndex, arrays,
        (run, runKey, position) -> steps.put(key(run, stepOf.apply(runKey, position), position), position));
  }

  /**
   * The run index keys and positions of {@code run}'s documents with a non-integer step, then of those in
   * {@code ranges}, read lazily (a range may hold most of a long run).
   */
  Stream<RunPathIndex.Entry> entries(String run, List<long[]> ranges) {
    String other = run + SEPARATOR + OTHER + SEPARATOR;
    Stream<RunPathIndex.Entry> out = range(other, other, run);
    for (long[] r : ranges) {
      out = Stream.concat(out, range(run + SEPARATOR + step(r[0]) + SEPARATOR, run + SEPARATOR + step(r[1]) + SEPARATOR,
          run));
    }
    return out;
  }

  /** The entries from the key range starting {@code from} through those starting {@code through}. */
  private Stream<RunPathIndex.Entry> range(String from, String through, String run) {
    return Stream.of(from).flatMap(start -> { // the cursor opens when the stream is read
      Cursor<String, Object> cursor = steps.cursor(start);
      // one key at a time, so the cursor's value is the current key's; the position is what follows the run,
      // the step and their separators (all steps are 16 digits)
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED), false)
          .takeWhile(key -> key.compareTo(through) < 0 || key.startsWith(through))
          .map(key -> new RunPathIndex.Entry(run + SEPARATOR + key.substring(through.length()), cursor.getValue()));
    });
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
