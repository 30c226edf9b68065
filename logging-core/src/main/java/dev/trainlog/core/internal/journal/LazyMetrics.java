package dev.trainlog.core.internal.journal;

import dev.trainlog.api.MetricMap;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A record's metrics as read from the journal, decoded on first use: a backend whose sampler skips
 * the record from its step, time and flags alone never pays for the decoding. Knows without decoding
 * how many top-level keys there are and whether any value is NaN or infinite. Immutable and shared
 * by the readers; decoding twice on a race gives equal maps.
 */
public final class LazyMetrics extends AbstractMap<String, Object> {

  private final Segment segment;
  private final int payloadAt;
  private final int length;
  private final int size;
  private final boolean nonFinite;
  private final boolean hasFiles;
  private volatile MetricMap decoded;

  LazyMetrics(Segment segment, int payloadAt, int length, int size, boolean nonFinite, boolean hasFiles) {
    this.hasFiles = hasFiles;
    this.segment = segment;
    this.payloadAt = payloadAt;
    this.length = length;
    this.size = size;
    this.nonFinite = nonFinite;
  }

  /** Whether a value, at any depth, is NaN or ±Infinity: known from the record's header. */
  public boolean hasNonFinite() {
    return nonFinite;
  }

  /** Whether a top-level value is an image or an artifact: known from the record's header. */
  public boolean hasFiles() {
    return hasFiles;
  }

  /** The decoded map (decoded once). */
  public MetricMap decoded() {
    MetricMap m = decoded;
    if (m == null) {
      try {
        // decoded where it lies in the mapping: a copy of each record was a fifth of what B1 allocated per log()
        m = segment.decodePinned(payloadAt, length, in -> (MetricMap) RecordCodec.readMetrics(in, segment.blobs));
      } catch (IOException e) {
        // the CRC matched, so a codec fault: the reader skips the record rather than retry it for good
        throw new UndecodableRecordException("byte " + payloadAt + " of " + segment.path.getFileName(), e,
            segment.copyPinned(payloadAt, length));
      }
      decoded = m;
    }
    return m;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Object get(Object key) {
    return decoded().get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return decoded().containsKey(key);
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    decoded().forEach(action);
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return decoded().entrySet();
  }
}
