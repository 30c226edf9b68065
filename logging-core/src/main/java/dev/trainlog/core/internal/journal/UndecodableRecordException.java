package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A record whose frame is intact (its CRC matches) but whose metrics do not decode: a codec fault, not
 * damage. The reader that meets it skips it with a warning instead of retrying it for good.
 */
public final class UndecodableRecordException extends UncheckedIOException {

  private static final long serialVersionUID = 1L;

  private final transient byte[] payload;

  UndecodableRecordException(String where, IOException cause) {
    this(where, cause, null);
  }

  UndecodableRecordException(String where, IOException cause, byte[] payload) {
    super(where + ": " + cause.getMessage(), cause);
    this.payload = payload;
  }

  /** The record's encoded metrics as they are in the journal, to keep beside the dead letters; null if unread. */
  public byte[] payload() {
    return payload;
  }
}
