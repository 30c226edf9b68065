package dev.trainlog.mongodb.internal;

import dev.trainlog.mongodb.schema.StoreSchema;

/**
 * The reversible mapping of metric keys to MongoDB field names. A '.' would split a key into a path
 * and a leading '$' reads as an operator (real MongoDB stores both but cannot index or query them),
 * so they are percent-encoded, and so is '%' itself so that decoding is exact.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>in a key</th><th>stored as</th></tr>
 *   <tr><td>{@code %}</td><td>{@code %25}</td></tr>
 *   <tr><td>{@code .}</td><td>{@code %2E}</td></tr>
 *   <tr><td>{@code $} (first character only)</td><td>{@code %24}</td></tr>
 *   <tr><td>NUL</td><td>{@code %00}</td></tr>
 * </table>
 * The rule itself lives in the public {@link StoreSchema}, which readers of the store use.
 */
public final class KeyEscaping {

  private KeyEscaping() {}

  /** The field name a metric key is stored under; a key needing no escape is returned as is. */
  public static String escape(String key) {
    return StoreSchema.escape(key);
  }

  /** The metric key a stored field name came from: the inverse of {@link #escape}. */
  public static String unescape(String field) {
    return StoreSchema.unescape(field);
  }
}
