package dev.trainlog.tensorboard;

import dev.trainlog.api.LogRecord;
import java.util.List;

/**
 * The templates of the last two shapes of scalar records (two, so that training steps and
 * evaluations taking turns keep theirs), and the making of new ones from records the encoder wrote.
 * A new template is made at most once every {@value #COOLDOWN} records, so records whose keys keep
 * changing do not each pay for one.
 */
final class ScalarTemplates {

  /** Keys a record may have to become a template: {@value}. */
  static final int MAX_KEYS = 256;

  /** Records written after a template was made before the next may be made: {@value}. */
  static final int COOLDOWN = 8;

  private ScalarTemplate newest;
  private ScalarTemplate previous;
  private boolean enabled = true;
  private int sinceMade = COOLDOWN;
  private long written;
  // while the encoder writes a record: its scalars so far, or -1 when it is not to become a template
  private int captured = -1;
  private final String[] keys = new String[MAX_KEYS];
  private final int[] floatAt = new int[MAX_KEYS];

  /** For tests: makes no more templates, so every record takes the encoder. */
  void disable() {
    enabled = false;
    newest = null;
    previous = null;
  }

  /**
   * Writes the records from {@code from} on that a template takes, see {@link ScalarTemplate#write};
   * returns the first record left.
   */
  int write(List<LogRecord> batch, int from, long lastStep, ProtoBuffer out, int limit) {
    int next = newest == null ? from : newest.write(batch, from, lastStep, out, limit);
    if (next == from && previous != null) {
      next = previous.write(batch, from, lastStep, out, limit);
      if (next > from) {
        ScalarTemplate t = previous;
        previous = newest;
        newest = t;
      }
    }
    sinceMade += next - from;
    written += next - from;
    return next;
  }

  /** Records written from a template so far. */
  long written() {
    return written;
  }

  /** The encoder begins a record of {@code keyCount} top-level keys. */
  void beginRecord(int keyCount) {
    sinceMade++;
    captured = enabled && sinceMade > COOLDOWN && keyCount <= MAX_KEYS ? 0 : -1;
  }

  /** The encoder wrote a top-level scalar under {@code key} whose float starts at {@code at} of its buffer. */
  void scalar(String key, int at) {
    if (captured >= 0) {
      keys[captured] = key;
      floatAt[captured++] = at;
    }
  }

  /** The encoder wrote a value that is not a scalar: this record cannot become a template. */
  void notScalar() {
    captured = -1;
  }

  /**
   * The encoder framed the record at {@code bytes[start, start + framed)}, whose event has a step of
   * {@code stepBytes} encoded bytes and whose summary moved {@code moved} bytes forward after its
   * values were written; a record of scalars becomes the newest template.
   */
  void recordEnded(byte[] bytes, int start, int framed, int moved, int stepBytes) {
    if (captured < 0) {
      return;
    }
    for (int i = 0; i < captured; i++) {
      floatAt[i] += moved - start - RecordFramer.HEADER_BYTES;
    }
    ScalarTemplate made = ScalarTemplate.of(bytes, start, start + framed, stepBytes, keys, floatAt, captured);
    captured = -1;
    if (made != null) {
      previous = newest;
      newest = made;
      sinceMade = 0;
    }
  }
}
