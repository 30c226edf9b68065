package dev.trainlog.mongodb.internal.service;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The key type of the service's document maps and unique-index maps: H2's {@link ObjectDataType}, whose file
 * format it keeps, and whose order for keys it cannot store natively (the library's index keys, document
 * {@code _id}s) is the order of their Java-serialized bytes. That order is kept, computed without serializing
 * for the common key (one string, see {@link SerializedStringOrder}): serializing both keys at every step of
 * every B-tree search was three quarters of the service's CPU time per insert. A key holding a document is
 * compared as the library first builds it ({@link #canonical}): the bytes of a document read back from the
 * file differ from those of the same document built fresh (a hash table's size is part of them), so such
 * keys stopped being found once their page was read again, and upserts of them failed as duplicates.
 */
final class StoreKeyType extends ObjectDataType {

  @Override
  public int compare(Object a, Object b) {
    if (a instanceof KeyValue && b instanceof KeyValue) {
      String sa = singleString((KeyValue) a);
      String sb = singleString((KeyValue) b);
      if (sa != null && sb != null) {
        return SerializedStringOrder.compare(sa, sb);
      }
    }
    if (holdsMap(a) || holdsMap(b)) {
      return super.compare(canonical(a), canonical(b));
    }
    return super.compare(a, b);
  }

  /** The key's only value when it is a string short enough to serialize as one (not a "long string"). */
  private static String singleString(KeyValue key) {
    if (key.size() == 1 && key.get(0) instanceof String) {
      String s = (String) key.get(0);
      return s.length() <= SerializedStringOrder.MAX_CHARS ? s : null;
    }
    return null;
  }

  private static boolean holdsMap(Object o) {
    if (o instanceof Map) {
      return true;
    }
    if (o instanceof Iterable) {
      for (Object v : (Iterable<?>) o) {
        if (holdsMap(v)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * {@code o} as the library builds it from the wire: documents as new {@link Document}s filled in order,
   * collections as array lists (an index key as a new {@link KeyValue} of those), other values unchanged.
   */
  static Object canonical(Object o) {
    if (o instanceof KeyValue) {
      List<Object> values = new ArrayList<>();
      ((KeyValue) o).forEach(v -> values.add(canonical(v)));
      return new KeyValue(values);
    }
    if (o instanceof Map) {
      Document d = new Document();
      ((Map<?, ?>) o).forEach((k, v) -> d.put((String) k, canonical(v)));
      return d;
    }
    if (o instanceof Collection) {
      List<Object> list = new ArrayList<>();
      ((Collection<?>) o).forEach(v -> list.add(canonical(v)));
      return list;
    }
    return o;
  }
}
