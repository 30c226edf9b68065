package dev.trainlog.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The metrics of a record as the dispatcher makes them: an unmodifiable map in the order the keys
 * were logged, kept as two arrays. {@link #forEach} walks the arrays without an iterator; everything
 * else sees a plain {@code Map}, equal to any other map with the same entries.
 */
public final class MetricMap extends AbstractMap<String, Object> {

  /** Entries up to which a look-up by key scans the keys: {@value}; larger maps build an index once. */
  static final int SCAN_LIMIT = 8;

  private static final MetricMap EMPTY = new MetricMap(new String[0], new Object[0], 0);

  private final String[] keys;
  private final Object[] values;
  private final int size;
  private volatile Map<String, Integer> index;
  private Set<Map.Entry<String, Object>> entries;

  private MetricMap(String[] keys, Object[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  /** An empty map. */
  public static MetricMap of() {
    return EMPTY;
  }

  /** {@code map}'s entries in its iteration order; {@code map} itself when it is a {@code MetricMap}. */
  public static MetricMap copyOf(Map<String, ?> map) {
    if (map instanceof MetricMap) {
      return (MetricMap) map;
    }
    Builder b = new Builder(map.size());
    map.forEach(b::put);
    return b.build();
  }

  /** A builder with room for {@code expectedSize} entries before it grows. */
  public static Builder builder(int expectedSize) {
    return new Builder(expectedSize);
  }

  @Override
  public int size() {
    return size;
  }

  /** The key at {@code position} (0 is the first logged), for walking the map without an iterator. */
  String keyAt(int position) {
    Objects.checkIndex(position, size);
    return keys[position];
  }

  /** The value at {@code position}, see {@link #keyAt}. */
  Object valueAt(int position) {
    Objects.checkIndex(position, size);
    return values[position];
  }

  /** The position of {@code key}, or -1. */
  public int indexOf(Object key) {
    if (size <= SCAN_LIMIT) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }
    Map<String, Integer> byKey = index;
    if (byKey == null) {
      byKey = new HashMap<>(size * 2);
      for (int i = 0; i < size; i++) {
        byKey.put(keys[i], i);
      }
      index = byKey;
    }
    Integer i = byKey.get(key);
    return i == null ? -1 : i;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < size; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    Set<Map.Entry<String, Object>> set = entries;
    if (set == null) {
      set = new Entries();
      entries = set;
    }
    return set;
  }

  private final class Entries extends AbstractSet<Map.Entry<String, Object>> {

    @Override
    public int size() {
      return size;
    }

    @Override
    public Iterator<Map.Entry<String, Object>> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < size;
        }

        @Override
        public Map.Entry<String, Object> next() {
          if (next >= size) {
            throw new NoSuchElementException();
          }
          int i = next++;
          return new SimpleImmutableEntry<>(keys[i], values[i]);
        }
      };
    }
  }

  /**
   * Collects entries in order; putting a key again replaces its value in place, as a {@code
   * LinkedHashMap} does. Keys must not be null. Not thread-safe, and done once {@link #build} is called.
   */
  public static final class Builder {

    private String[] keys;
    private Object[] values;
    private int size;
    private Map<String, Integer> index;
    private boolean built;

    private Builder(int expectedSize) {
      int capacity = Math.max(4, expectedSize);
      keys = new String[capacity];
      values = new Object[capacity];
    }

    public Builder put(String key, Object value) {
      Objects.requireNonNull(key, "key");
      if (built) {
        throw new IllegalStateException("this MetricMap.Builder has already built its map");
      }
      int i = indexOf(key);
      if (i >= 0) {
        values[i] = value;
        return this;
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      if (index != null) {
        index.put(key, size);
      }
      keys[size] = key;
      values[size++] = value;
      return this;
    }

    public int size() {
      return size;
    }

    /** The value put under {@code key} so far, or null. */
    public Object get(String key) {
      int i = indexOf(key);
      return i < 0 ? null : values[i];
    }

    private int indexOf(String key) {
      if (index == null) {
        int h = key.hashCode(); // cached in the string: most keys differ by hash, so no byte is compared
        for (int i = 0; i < size; i++) {
          String k = keys[i];
          if (k == key || (k.hashCode() == h && k.equals(key))) {
            return i;
          }
        }
        if (size < SCAN_LIMIT * 2) {
          return -1;
        }
        // many keys: stop scanning, look them up from now on
        index = new HashMap<>(size * 4);
        for (int i = 0; i < size; i++) {
          index.put(keys[i], i);
        }
        return -1;
      }
      Integer i = index.get(key);
      return i == null ? -1 : i;
    }

    /** The map of the entries put so far; the builder's arrays become the map's, so it takes no more entries. */
    public MetricMap build() {
      built = true;
      return size == 0 ? EMPTY : new MetricMap(keys, values, size);
    }
  }
}
