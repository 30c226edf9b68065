package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * Beside the run index, the documents whose {@code _id} is a document (the series rollups: run, rank, metric
 * path, bucket) keyed by run and {@code _id.}{@value #FIELD} too, so a read of one metric of one run
 * ({@code run: "<id>", "_id.p": "<path>"}, the chart's) reaches only that metric's documents instead of every
 * metric's. A document whose {@code _id.p} is not a plain string (an array may hold the path) is kept under
 * {@link #OTHER}, which every such read takes as well; the server still matches the whole query, so the answer
 * is the one the run index gives. A store written before this map existed gets it built on its first such read.
 */
final class RunPathIndex {

  /** The field of {@code _id} this index adds to the run: {@value}. */
  static final String FIELD = "p";

  /** The query field this index answers: {@value}. */
  static final String QUERY_FIELD = "_id." + FIELD;

  private static final char SEPARATOR = '\u0000';

  /**
   * Where documents whose {@code _id.p} is anything but a {@link #plain} string are kept; no plain path's key
   * range holds another's or this one's.
   */
  private static final String OTHER = "\u0001";

  private final MVMap<String, Object> paths;
  private final RunIndexBuild build;

  RunPathIndex(MVMap<String, Object> paths) {
    this.paths = paths;
    this.build = new RunIndexBuild(paths);
  }

  /** Whether this index can narrow {@code query}: its {@code _id.p} is a plain string. */
  static boolean narrows(Document query) {
    return query.get(QUERY_FIELD) instanceof String;
  }

  /** Adds the document at {@code position}, kept in the run index under {@code run} (or its arrays' key). */
  void add(String run, Object position) {
    String key = key(run, position);
    if (key != null) {
      byte[] compact = CoverRecord.ofValue(position);
      paths.put(key, compact != null ? compact : position);
    }
  }

  void remove(String run, Object position) {
    String key = key(run, position);
    if (key != null) {
      paths.remove(key);
    }
  }

  /** Empties the index of an empty collection: it is complete. */
  void clear() {
    build.clear();
  }

  /**
   * Whether the index is complete, after building it from the run index when the store was written before it
   * existed: once, with no document read (the positions are the {@code _id}s); false when that failed.
   */
  boolean buildIfMissing(MVMap<String, Object> runIndex, String arrays) {
    return build.ensure(runIndex, arrays, (run, runKey, position) -> add(run, position));
  }

  /**
   * The positions, with their keys in the run index, of {@code runs}' documents whose {@code _id.p} may equal
   * {@code path}: in run index order (string order of the positions) for one key range, merged in {@code order} of
   * the positions when several ranges hold some.
   */
  List<Entry> entries(List<String> runs, String path, Comparator<Object> order) {
    List<Entry> out = new ArrayList<>();
    int ranges = 0;
    for (String run : runs) {
      for (String p : plain(path) ? List.of(path, OTHER) : List.of(OTHER)) {
        String prefix = run + SEPARATOR + p + SEPARATOR;
        int before = out.size();
        Cursor<String, Object> cursor = paths.cursor(prefix);
        while (cursor.hasNext()) {
          String key = cursor.next();
          if (!key.startsWith(prefix)) {
            break;
          }
          Object value = cursor.getValue();
          Object position = value instanceof byte[] b ? CoverRecord.readValue(b) : value;
          out.add(new Entry(run + SEPARATOR + key.substring(prefix.length()), position));
        }
        ranges += out.size() > before ? 1 : 0;
      }
    }
    if (ranges > 1) {
      out.sort((a, b) -> order.compare(a.position(), b.position()));
    }
    return out;
  }

  /**
   * As {@link #entries}, of every run: the whole index is walked (keys and compact positions, no record nor
   * document), keeping the entries of {@code path} and {@link #OTHER}, in {@code order} of the positions.
   */
  List<Entry> entriesOfEveryRun(String path, Comparator<Object> order) {
    List<Entry> out = new ArrayList<>();
    Cursor<String, Object> cursor = paths.cursor(null);
    while (cursor.hasNext()) {
      String key = cursor.next();
      if (key.equals(RunIndexBuild.COMPLETE)) {
        continue;
      }
      Object value = cursor.getValue();
      Object position = value instanceof byte[] b ? CoverRecord.readValue(b) : value;
      // run SEPARATOR path SEPARATOR position, read from the end: a run may hold the separator, a kept path not
      String runAndPath = key.substring(0, key.length() - String.valueOf(position).length() - 1);
      int last = runAndPath.lastIndexOf(SEPARATOR);
      String p = runAndPath.substring(last + 1);
      if (p.equals(OTHER) || p.equals(path) && plain(path)) {
        out.add(new Entry(runAndPath.substring(0, last) + SEPARATOR + position, position));
      }
    }
    out.sort((a, b) -> order.compare(a.position(), b.position()));
    return out;
  }

  /** A document's key in the run index (where its record is) and its position. */
  record Entry(String runKey, Object position) {}

  private static String key(String run, Object position) {
    if (!(position instanceof Document id)) {
      return null;
    }
    Object p = id.get(FIELD);
    String path = p instanceof String s && plain(s) ? s : OTHER;
    return run + SEPARATOR + path + SEPARATOR + position;
  }

  /** A path kept under its own key range: one without the separator or {@link #OTHER}'s character. */
  private static boolean plain(String path) {
    return path.indexOf(SEPARATOR) < 0 && path.indexOf(OTHER.charAt(0)) < 0;
  }
}
