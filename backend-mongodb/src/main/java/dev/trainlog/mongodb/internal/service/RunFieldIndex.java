package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * A persistent, non-unique index on one string field ({@value #FIELD}), which the server library lacks
 * (it ignores non-unique indexes and scans): a query with {@code run: "<id>"} reads only that run's
 * documents. Kept in its own H2 map beside the collection, committed with it; the rest of the query is
 * still matched by the server, so the answer is the same as a full scan.
 */
final class RunFieldIndex extends Index<Object> {

  /** The indexed field: {@value}. */
  static final String FIELD = "run";

  /** The index's name (in {@code collStats}; {@code listIndexes} shows only the library's own): {@value}. */
  static final String NAME = "trainlog_run";

  private static final char SEPARATOR = '\u0000';

  private final MVMap<String, Object> map;

  RunFieldIndex(MVMap<String, Object> map) {
    super(NAME, List.of(new IndexKey(FIELD, true)), false);
    this.map = map;
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
      map.put(key((String) value, position), position);
    }
  }

  @Override
  public Object remove(Document document) {
    Object position = document.get("_id");
    Object value = document.get(FIELD);
    if (value instanceof String) {
      map.remove(key((String) value, position));
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
    if (before == null ? after != null : !before.equals(after)) {
      if (before instanceof String) {
        map.remove(key((String) before, position));
      }
      if (after instanceof String) {
        map.put(key((String) after, position), position);
      }
    }
  }

  @Override
  public void drop() {
    map.clear();
  }

  private static String key(String value, Object position) {
    return value + SEPARATOR + position;
  }
}
