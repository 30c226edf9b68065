package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
 * document's {@link CoverRecord}, so a read of covered fields need not decode the documents.
 */
final class RunFieldIndex extends Index<Object> {

  /** The indexed field: {@value}. */
  static final String FIELD = "run";

  /** The index's name (in {@code collStats}; {@code listIndexes} shows only the library's own): {@value}. */
  static final String NAME = "trainlog_run";

  private static final char SEPARATOR = '\u0000';

  /** What the cover map holds for a document whose covered fields cannot be kept exactly. */
  private static final byte[] UNCOVERED = new byte[0];

  private final MVMap<String, Object> map;
  private final MVMap<String, byte[]> cover;

  RunFieldIndex(MVMap<String, Object> map, MVMap<String, byte[]> cover) {
    super(NAME, List.of(new IndexKey(FIELD, true)), false);
    this.map = map;
    this.cover = cover;
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
    Object value = document.get(FIELD);
    if (value instanceof String) {
      String key = key((String) value, position);
      map.put(key, position);
      cover.put(key, coverOf(document));
    }
  }

  private static byte[] coverOf(Document document) {
    byte[] record = CoverRecord.of(document);
    return record == null ? UNCOVERED : record;
  }

  @Override
  public Object remove(Document document) {
    Object position = document.get("_id");
    Object value = document.get(FIELD);
    if (value instanceof String) {
      String key = key((String) value, position);
      map.remove(key);
      cover.remove(key);
    }
    return position;
  }

  @Override
  public boolean canHandle(Document query) {
    return query.get(FIELD) instanceof String;
  }

  @Override
  public Iterable<Object> getPositions(Document query) {
    String prefix = (String) query.get(FIELD) + SEPARATOR;
    List<Object> positions = new ArrayList<>();
    Cursor<String, Object> cursor = map.cursor(prefix);
    while (cursor.hasNext()) {
      if (!cursor.next().startsWith(prefix)) {
        break;
      }
      positions.add(cursor.getValue());
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
    Object before = oldDocument.get(FIELD);
    Object after = newDocument.get(FIELD);
    if (before instanceof String) {
      map.remove(key((String) before, position));
      cover.remove(key((String) before, position));
    }
    if (after instanceof String) {
      map.put(key((String) after, position), position);
      cover.put(key((String) after, position), coverOf(newDocument));
    }
  }

  @Override
  public void drop() {
    map.clear();
    cover.clear();
  }

  /**
   * The documents of the query's run, in index order, each as its {@link CoverRecord} when it has one and
   * as the whole document ({@code documents}) when not; a document stored before records were kept gets its
   * record now, so its next read is covered.
   */
  Stream<Document> coveredDocuments(Document query, Function<Object, Document> documents) {
    String prefix = (String) query.get(FIELD) + SEPARATOR;
    Cursor<String, Object> cursor = map.cursor(prefix);
    Iterator<Document> it = new Iterator<>() {
      private String next = advance();

      private String advance() {
        if (cursor.hasNext()) {
          String key = cursor.next();
          if (key.startsWith(prefix)) {
            return key;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Document next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        String key = next;
        Object position = cursor.getValue();
        next = advance();
        byte[] record = cover.get(key);
        if (record != null && record.length > 0) {
          return CoverRecord.read(record, position);
        }
        Document document = documents.apply(position);
        if (record == null) {
          cover.put(key, coverOf(document));
        }
        return document;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false);
  }

  private static String key(String value, Object position) {
    return value + SEPARATOR + position;
  }
}
