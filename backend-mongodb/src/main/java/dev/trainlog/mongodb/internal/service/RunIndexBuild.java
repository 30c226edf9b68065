package dev.trainlog.mongodb.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time build of a map kept beside the run index ({@link RunPathIndex}, {@link RunStepIndex}) in a store
 * written before it existed: from the run index's entries ({@code run SEPARATOR position} to position), in batches
 * each read with a fresh cursor, then marked complete, so a service stopped half way builds it again.
 */
final class RunIndexBuild {

  private static final Logger LOG = LoggerFactory.getLogger(RunIndexBuild.class);

  /** The key marking a map complete (no entry key is empty: each holds separators). */
  static final String COMPLETE = "";

  /** Entries of the run index read at a time: {@value}. */
  private static final int BATCH = 10_000;

  private static final char SEPARATOR = '\u0000';

  /** Adds one entry of the run index to the map being built. */
  interface Adder {
    void add(String run, String runKey, Object position);
  }

  private final MVMap<String, Object> target;
  private boolean failed;

  RunIndexBuild(MVMap<String, Object> target) {
    this.target = target;
  }

  /** Empties the map of an empty collection: it is complete. */
  void clear() {
    target.clear();
    target.put(COMPLETE, Boolean.TRUE);
  }

  /**
   * Whether the map is complete, after building it from {@code runIndex} when it is not. False when the build
   * failed (logged; this process does not try again, and its readers take the run index).
   */
  synchronized boolean ensure(MVMap<String, Object> runIndex, String arrays, Adder adder) {
    if (failed || target.containsKey(COMPLETE)) {
      return !failed;
    }
    long start = System.nanoTime();
    try {
      String from = null;
      while (true) {
        // a fresh cursor per batch: one held across the build's own writes may reach chunks H2 has since freed
        List<Map.Entry<String, Object>> batch = batch(runIndex, from);
        if (batch.isEmpty()) {
          break;
        }
        for (Map.Entry<String, Object> e : batch) {
          String key = e.getKey();
          adder.add(key.startsWith(arrays + SEPARATOR) ? arrays : key.substring(0, key.indexOf(SEPARATOR)), key,
              e.getValue());
        }
        from = batch.get(batch.size() - 1).getKey();
      }
    } catch (RuntimeException e) {
      failed = true;
      LOG.warn("store service: {} could not be built from the run index ({}); its reads take the run index",
          target.getName(), e.toString());
      return false;
    }
    target.put(COMPLETE, Boolean.TRUE);
    LOG.info("store service: {} built from the run index's {} entries in {} ms", target.getName(),
        runIndex.sizeAsLong(), (System.nanoTime() - start) / 1_000_000);
    return true;
  }

  /** Up to {@value #BATCH} entries of {@code runIndex} after the key {@code from} (from the first when null). */
  private static List<Map.Entry<String, Object>> batch(MVMap<String, Object> runIndex, String from) {
    List<Map.Entry<String, Object>> batch = new ArrayList<>(BATCH);
    Cursor<String, Object> cursor = runIndex.cursor(from);
    while (batch.size() < BATCH && cursor.hasNext()) {
      String key = cursor.next();
      if (!key.equals(from)) {
        batch.add(Map.entry(key, cursor.getValue()));
      }
    }
    return batch;
  }
}
