package dev.trainlog.cli.importing;

/**
 * Record sequences derived from where an event was read, never from a clock: {@code fileIndex *
 * 2^40 + byte offset}. Files up to 1 TiB and a million files per run fit in a {@code long}.
 */
public final class Sequences {

  /** Bytes of one file's range of sequences: 2^{@value #FILE_BITS}. */
  public static final int FILE_BITS = 40;

  private Sequences() {}

  /** The sequence of the event at {@code offset} of the run's file number {@code fileIndex}. */
  public static long of(int fileIndex, long offset) {
    if (fileIndex < 0 || offset < 0 || offset >= 1L << FILE_BITS) {
      throw new IllegalArgumentException("file " + fileIndex + " offset " + offset + " is out of range");
    }
    return ((long) fileIndex << FILE_BITS) + offset;
  }
}
