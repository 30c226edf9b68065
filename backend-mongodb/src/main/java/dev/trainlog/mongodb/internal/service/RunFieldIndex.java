package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import dev.trainlog.mongodb.internal.service.CoveredQuery.Cover;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * A persistent, non-unique index on one string field ({@value #FIELD}), which the server library lacks
 * (it ignores non-unique indexes and scans): a query with {@code run: "<id>"} reads only that run's
 * documents. Kept in its own H2 map beside the collection, committed with it; the rest of the query is
 * still matched by the server, so the answer is the same as a full scan. A second map holds each
 * document's {@link CoverRecord}, so a read of covered fields need not decode the documents, and a third
 * ({@link RunPathIndex}) the documents of a run by their {@code _id.p}, so a read of one metric's series
 * rollups reaches only those.
 */
final class RunFieldIndex extends Index<Object> {

  /** The indexed field: {@value}. */
  static final String FIELD = "run";

  /** The index's name (in {@code collStats}; {@code listIndexes} shows only the library's own): {@value}. */
  static final String NAME = "trainlog_run";

  private static final char SEPARATOR = '\u0000';

  /** Where documents whose run is an array are kept (a run of this name would only add documents to match). */
  private static final String ARRAYS = "\u0000[]";

  /** What the cover map holds for a document whose covered fields cannot be kept exactly. */
  private static final byte[] UNCOVERED = new byte[0];

  private final MVMap<String, Object> map;
  private final MVMap<String, byte[]> cover;
  private final RunPathIndex paths;
  private final RunStepIndex steps;

  RunFieldIndex(MVMap<String, Object> map, MVMap<String, byte[]> cover, RunPathIndex paths, RunStepIndex steps) {
    super(NAME, List.of(new IndexKey(FIELD, true)), false);
    this.map = map;
    this.cover = cover;
    this.paths = paths;
    this.steps = steps;
  }

  // in the H2 backend a document's position is its _id
  @Override
  public Object getPosition(Document document) {
    return document.get("_id");
  }

  @Override
  public void checkAdd(Document document, MongoCollection<Object> collection) {
    // not unique: nothing can conflict
  }

  @Override
  public void add(Document document, Object position, MongoCollection<Object> collection) {
    String key = indexKey(document, position);
    if (key != null) {
      map.put(key, position);
      cover.put(key, coverOf(document));
      paths.add(runOf(document), position);
      steps.add(runOf(document), document, position);
    }
  }

  /** The run under which the index keeps {@code document} (indexed: its run is a string or an array). */
  private static String runOf(Document document) {
    return document.get(FIELD) instanceof String run ? run : ARRAYS;
  }

  /**
   * The document's key in the index: its run and position, or for a {@code run} that is an array (which an
   * equality or {@code $in} on {@code run} may match too) the position under {@link #ARRAYS}; null otherwise.
   */
  private static String indexKey(Document document, Object position) {
    Object value = document.get(FIELD);
    if (value instanceof String) {
      return key((String) value, position);
    }
    return value instanceof Collection ? key(ARRAYS, position) : null;
  }

  private static byte[] coverOf(Document document) {
    byte[] record = CoverRecord.of(document);
    return record == null ? UNCOVERED : record;
  }

  @Override
  public Object remove(Document document) {
    Object position = document.get("_id");
    String key = indexKey(document, position);
    if (key != null) {
      map.remove(key);
      cover.remove(key);
      paths.remove(runOf(document), position);
      steps.remove(runOf(document), document, position);
    }
    return position;
  }

  @Override
  public boolean canHandle(Document query) {
    return query.get(FIELD) instanceof String;
  }

  @Override
  public Iterable<Object> getPositions(Document query) {
    List<Object> positions = new ArrayList<>();
    for (String run : Stream.of((String) query.get(FIELD), ARRAYS).distinct().toList()) {
      String prefix = run + SEPARATOR;
      Cursor<String, Object> cursor = map.cursor(prefix);
      while (cursor.hasNext()) {
        if (!cursor.next().startsWith(prefix)) {
          break;
        }
        positions.add(cursor.getValue());
      }
    }
    return positions;
  }

  @Override
  public long getCount() {
    return map.sizeAsLong();
  }

  @Override
  public boolean isEmpty() {
    return map.isEmpty();
  }

  @Override
  public long getDataSize() {
    return getCount();
  }

  @Override
  public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    // not unique: nothing can conflict
  }

  @Override
  public void updateInPlace(Document oldDocument, Document newDocument, Object position,
      MongoCollection<Object> collection) {
    String before = indexKey(oldDocument, position);
    if (before != null) {
      map.remove(before);
      cover.remove(before);
      paths.remove(runOf(oldDocument), position);
      steps.remove(runOf(oldDocument), oldDocument, position);
    }
    add(newDocument, position, collection);
  }

  @Override
  public void drop() {
    map.clear();
    cover.clear();
    paths.clear();
    steps.clear();
  }

  /**
   * The documents of the query's run, in index order, each as its {@link CoverRecord} when it has one that
   * {@code accepted} allows and as the whole document ({@code documents}) when not; a document stored before
   * records (or current ones) were kept gets its record now, so its next read is covered.
   */
  Stream<Document> coveredDocuments(Document query, Cover accepted, Function<Object, Document> documents,
      Comparator<Object> order) {
    return documentsOf(List.of((String) query.get(FIELD)), accepted, documents, order);
  }

  /**
   * As {@link #coveredDocuments}, for a query that also names {@code _id.p} ({@link RunPathIndex#narrows}): only
   * the run's documents of that path are read (the path index is built first when the store predates it; all the
   * run's when that failed).
   */
  Stream<Document> pathDocuments(Document query, Cover accepted, Function<Object, Document> documents,
      Comparator<Object> order) {
    return pathDocuments(List.of((String) query.get(FIELD)), (String) query.get(RunPathIndex.QUERY_FIELD), accepted,
        documents, order).orElseGet(() -> coveredDocuments(query, accepted, documents, order));
  }

  /**
   * The documents of {@code runs} (of every run when null: the caller knows every document of the collection is
   * in this index) whose {@code _id.p} may be {@code path}, in the collection's order, each as its record when
   * {@code accepted} allows it; empty when the path index could not be built.
   */
  Optional<Stream<Document>> pathDocuments(List<String> runs, String path, Cover accepted,
      Function<Object, Document> documents, Comparator<Object> order) {
    if (!paths.buildIfMissing(map, ARRAYS)) {
      return Optional.empty();
    }
    List<RunPathIndex.Entry> entries = runs == null ? paths.entriesOfEveryRun(path, order)
        : paths.entries(Stream.concat(runs.stream(), Stream.of(ARRAYS)).distinct().toList(), path, order);
    return Optional.of(entries.stream()
        .map(e -> document(e.runKey(), e.position(), accepted == Cover.NONE ? null : cover.get(e.runKey()), accepted,
            documents))
        .filter(d -> d != null));
  }

  /**
   * For an aggregate of the {@link FirstPerRun} shape, which keeps of what it reads the same whatever the order:
   * the documents of {@code runs} as {@link #documentsOf} gives them, but of each run only the steps {@code match}
   * can match ({@link StepRanges}), read through the step index (built first when the store predates it) in step
   * order, lazily; empty when a run's steps are unbounded or the index could not be built. Documents whose run is
   * an array are read whole, as there.
   */
  Optional<Stream<Document>> stepDocuments(List<String> runs, Document match, Cover accepted,
      Function<Object, Document> documents, Comparator<Object> order) {
    Map<String, List<long[]>> ranges = new LinkedHashMap<>();
    for (String run : runs) {
      Optional<List<long[]>> r = StepRanges.of(match, run);
      if (r.isEmpty()) {
        return Optional.empty();
      }
      ranges.put(run, r.get());
    }
    if (!steps.buildIfMissing(map, ARRAYS, (key, position) -> stepOf(key, position, documents))) {
      return Optional.empty();
    }
    // an entry the build wrote while its document changed step may stand beside the current one: the document is
    // then read twice, which a $first per run after a $sort by the step cannot tell from once
    Stream<Document> read = ranges.entrySet().stream().flatMap(e -> steps.entries(e.getKey(), e.getValue()))
        .map(e -> document(e.runKey(), e.position(), accepted == Cover.NONE ? null : cover.get(e.runKey()), accepted,
            documents))
        .filter(d -> d != null);
    return Optional.of(Stream.concat(read, documentsOf(List.of(), accepted, documents, order)));
  }

  /** The step of the document at {@code position}, from its record when it has one. */
  private Object stepOf(String key, Object position, Function<Object, Document> documents) {
    byte[] record = cover.get(key);
    Document d = record != null && record.length > 0 ? CoverRecord.read(record, position) : documents.apply(position);
    return d == null ? null : d.get(StepRanges.FIELD);
  }

  /**
   * The document at {@code position} (run index key {@code key}) as {@code record} when {@code accepted} allows
   * it, otherwise whole, keeping its record now when it had none or a legacy one; null when it is gone (an entry
   * of {@link RunPathIndex} written by its build while the document was removed).
   */
  private Document document(String key, Object position, byte[] record, Cover accepted,
      Function<Object, Document> documents) {
    // an empty record marks a document that has none (either format); a legacy one lacks the rollups' fields
    boolean legacy = record != null && record.length > 0 && !CoverRecord.isCurrent(record);
    if (record != null && record.length > 0 && (accepted == Cover.ANY || !legacy)) {
      return CoverRecord.read(record, position);
    }
    Document document = documents.apply(position);
    if (document != null && accepted != Cover.NONE && (record == null || legacy)) {
      cover.put(key, coverOf(document));
    }
    return document;
  }

  /**
   * The runs {@code query} names exactly, {@code run: "<id>"} or {@code run: {$in: ["<id>", ...]}}, sorted;
   * empty when it names them any other way (then every document may match).
   */
  static Optional<List<String>> runsOf(Document query) {
    Object value = query.get(FIELD);
    if (value instanceof String) {
      return Optional.of(List.of((String) value));
    }
    if (value instanceof Document && ((Document) value).size() == 1
        && ((Document) value).get("$in") instanceof Collection) {
      Collection<?> in = (Collection<?>) ((Document) value).get("$in");
      if (in.stream().allMatch(String.class::isInstance)) {
        return Optional.of(in.stream().map(String.class::cast).distinct().sorted().toList());
      }
    }
    return Optional.empty();
  }

  /**
   * The documents of {@code runs}, merged in {@code order} of their positions (the collection's own order, so
   * a stage that keeps the first of equals sees them as a scan would; within a run the index holds string
   * positions in that order already), each as its record when {@code accepted} allows the one it has, otherwise whole.
   */
  Stream<Document> documentsOf(List<String> runs, Cover accepted, Function<Object, Document> documents,
      Comparator<Object> order) {
    List<RunCursor> cursors = Stream.concat(runs.stream().filter(r -> !r.equals(ARRAYS)), Stream.of(ARRAYS))
        .map(RunCursor::new).filter(RunCursor::hasEntry).toList();
    Iterator<Document> it;
    if (cursors.size() <= 1) {
      it = cursors.stream().flatMap(c -> Stream.iterate(c, RunCursor::hasEntry, RunCursor::advance)
          .map(r -> r.document(accepted, documents))).iterator();
    } else {
      PriorityQueue<RunCursor> heads = new PriorityQueue<>((a, b) -> order.compare(a.position, b.position));
      heads.addAll(cursors);
      it = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return !heads.isEmpty();
        }

        @Override
        public Document next() {
          RunCursor head = heads.poll();
          if (head == null) {
            throw new NoSuchElementException();
          }
          Document document = head.document(accepted, documents);
          if (head.advance().hasEntry()) {
            heads.add(head);
          }
          return document;
        }
      };
    }
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false);
  }

  /**
   * A position in one run's part of the index, with a second cursor over the records beside it: both maps
   * hold the same keys in the same order, so walking them together spares a search of the records per document.
   */
  private final class RunCursor {
    private final String prefix;
    private final Cursor<String, Object> cursor;
    private Cursor<String, byte[]> records;
    private String recordKey;
    private byte[] record;
    private String key;
    private Object position;

    RunCursor(String run) {
      this.prefix = run + SEPARATOR;
      this.cursor = map.cursor(prefix);
      advance();
    }

    boolean hasEntry() {
      return key != null;
    }

    RunCursor advance() {
      key = null;
      position = null;
      if (cursor.hasNext()) {
        String next = cursor.next();
        if (next.startsWith(prefix)) {
          key = next;
          position = cursor.getValue();
        }
      }
      return this;
    }

    /** The record of the current entry, or null when it has none (a document stored before records were kept). */
    private byte[] record() {
      if (records == null) {
        records = cover.cursor(key);
        nextRecord();
      }
      while (recordKey != null && recordKey.compareTo(key) < 0) {
        nextRecord();
      }
      return key.equals(recordKey) ? record : null;
    }

    private void nextRecord() {
      if (records.hasNext() && (recordKey = records.next()).startsWith(prefix)) {
        record = records.getValue();
      } else {
        recordKey = null;
        record = null;
      }
    }

    Document document(Cover accepted, Function<Object, Document> documents) {
      return RunFieldIndex.this.document(key, position, accepted == Cover.NONE ? null : record(), accepted, documents);
    }
  }

  private static String key(String value, Object position) {
    return value + SEPARATOR + position;
  }
}
