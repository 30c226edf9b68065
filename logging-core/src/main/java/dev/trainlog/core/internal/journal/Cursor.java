package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How far one backend has read a journal, kept in a small memory-mapped file so that storing it is
 * one aligned 8-byte write: a killed process leaves either the old or the new position. Everything
 * before the position is delivered (or sampled out) for good; a restart reads on from there.
 */
public final class Cursor {

  private static final String SUFFIX = ".cursor";

  private final String backend;
  private final Path file;
  private final MappedByteBuffer buffer;
  /** Whether the file had the size a cursor has when it was opened (a new one has). */
  final boolean wellFormed;
  private volatile long position;

  private Cursor(String backend, Path file, MappedByteBuffer buffer, boolean wellFormed) {
    this.backend = backend;
    this.file = file;
    this.buffer = buffer;
    this.wellFormed = wellFormed;
    this.position = buffer.getLong(0);
  }

  static Path fileOf(Path journalDir, String backend) {
    return journalDir.resolve(backend + SUFFIX);
  }

  /** Opens the cursor of {@code backend} in {@code journalDir}, creating it at {@code initial} when absent. */
  static Cursor open(Path journalDir, String backend, long initial) throws IOException {
    Path file = fileOf(journalDir, backend);
    boolean existed = Files.exists(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      boolean wellFormed = !existed || ch.size() == 8;
      if (!existed) {
        // written, not only mapped: a mapped write into a sparse page faults when the device is full
        ByteBuffer first = ByteBuffer.allocate(8).putLong(0, initial);
        while (first.hasRemaining()) {
          ch.write(first, first.position());
        }
      }
      MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8);
      if (!existed) {
        buf.putLong(0, initial);
      }
      return new Cursor(backend, file, buf, wellFormed);
    }
  }

  Path file() {
    return file;
  }

  /** The backend names that have a cursor in {@code journalDir}. */
  static List<String> backendsIn(Path journalDir) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(journalDir)) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX)).sorted()
          .forEach(n -> names.add(n.substring(0, n.length() - SUFFIX.length())));
    }
    return names;
  }

  public String backend() {
    return backend;
  }

  public long position() {
    return position;
  }

  /** Moves the cursor; it never goes back. Synchronized: the journal moves a cursor that drops (see {@link Journal#release}). */
  public synchronized void store(long newPosition) {
    if (newPosition > position) {
      buffer.putLong(0, newPosition);
      position = newPosition;
    }
  }

  /** Puts a cursor found damaged where reading must start again. */
  synchronized void reset(long newPosition) {
    buffer.putLong(0, newPosition);
    position = newPosition;
  }

  public void force() {
    buffer.force();
  }

  void delete() throws IOException {
    Files.deleteIfExists(file);
  }
}
