package dev.trainlog.query.internal;

import org.bson.Document;

/** Reading a dotted path out of nested documents and maps. */
public final class Paths {

  private Paths() {}

  /** The value at a dotted path of nested documents, or null. */
  public static Object at(Object root, String path) {
    Object v = root;
    int from = 0;
    while (v instanceof java.util.Map<?, ?> map) {
      int dot = path.indexOf('.', from);
      String part = dot < 0 ? path.substring(from) : path.substring(from, dot);
      v = map.get(part);
      if (dot < 0) {
        return v;
      }
      from = dot + 1;
    }
    return null;
  }

  /** The value at a dotted path of a document, or null. */
  public static Object at(Document d, String path) {
    return at((Object) d, path);
  }
}
