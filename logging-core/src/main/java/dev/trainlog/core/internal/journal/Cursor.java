package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far one backend has read a journal, kept in a small memory-mapped file so that storing it is
 * one aligned 8-byte write: a killed process leaves either the old or the new position. Everything
 * before the position is delivered (or sampled out) for good; a restart reads on from there. The top
 * byte of the stored value is a check of the other seven ({@link #seal}): one flipped bit is found,
 * where it could move the cursor to the same offset of another segment and skip a segment's records.
 */
public final class Cursor {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  private static final String SUFFIX = ".cursor";
  /** The suffix of the note of records given up while the backend's worker held them ({@link #giveUp}). */
  static final String GIVEN_UP = ".given-up";

  private final String backend;
  private final Path file;
  private final MappedByteBuffer buffer;
  /** Whether the file had the size a cursor has when it was opened (a new one has). */
  final boolean wellFormed;
  /** Whether the position read when it was opened failed its check ({@link #seal}). */
  final boolean damaged;
  private volatile long position;
  /** End of the records the worker held unwritten when the journal gave up their place; 0 when none are noted. */
  private long heldEnd;
  /** How many records the note beside this cursor counts. */
  private long heldCount;
  /** The reader's {@link Subscriber#claims} when the cursor was last moved: those claimed since are after it. */
  private long claimsAtPosition;

  private Cursor(String backend, Path file, MappedByteBuffer buffer, boolean wellFormed) {
    this.backend = backend;
    this.file = file;
    this.buffer = buffer;
    this.wellFormed = wellFormed;
    long stored = buffer.getLong(0);
    long read = unseal(stored);
    this.damaged = read < 0;
    this.position = read < 0 ? stored : read;
  }

  /** The top byte of a sealed position: this bit, and a CRC-7 of the position's seven lower bytes. */
  private static final long SEALED = 0x80L;

  /**
   * {@code position} as stored: its top byte (zero in any position a journal reaches, 2^24 segments) holds a
   * flag and a CRC-7 of the rest, which finds every single flipped bit and most others.
   */
  static long seal(long position) {
    if (position >>> 56 != 0) {
      return position; // not a position a journal reaches; stored as it is, as before the check
    }
    return (SEALED | crc7(position)) << 56 | position;
  }

  /** The position {@code stored} holds, or -1 when its check fails; a value with no check (earlier versions) as it is. */
  static long unseal(long stored) {
    long top = stored >>> 56;
    if (top == 0) {
      return stored; // written before positions were sealed: nothing to check
    }
    long position = stored & 0x00FF_FFFF_FFFF_FFFFL;
    return (top & SEALED) != 0 && (top & 0x7F) == crc7(position) ? position : -1;
  }

  /** CRC-7 (x^7 + x^3 + 1) of the seven lower bytes of {@code value}, most significant bit first. */
  private static long crc7(long value) {
    int crc = 0;
    for (int bit = 55; bit >= 0; bit--) {
      int in = (int) (value >>> bit) & 1;
      int top = (crc >>> 6) & 1;
      crc = (crc << 1) & 0x7F;
      if ((in ^ top) != 0) {
        crc ^= 0x09;
      }
    }
    return crc;
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
        ByteBuffer first = ByteBuffer.allocate(8).putLong(0, seal(initial));
        while (first.hasRemaining()) {
          ch.write(first, first.position());
        }
      }
      MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8);
      if (!existed) {
        buf.putLong(0, seal(initial));
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

  /** Moves the cursor; it never goes back. Synchronized: the journal moves a cursor that drops (see {@link #giveUp}). */
  public synchronized void store(long newPosition) {
    if (newPosition > position) {
      buffer.putLong(0, seal(newPosition));
      position = newPosition;
    }
  }

  /**
   * The worker has written (or sampled out, or kept as dead letters) everything up to {@code safe}: moves the
   * cursor there, and deletes the note of the records it held when the journal gave up their place once they
   * are among them. True when the cursor moved.
   */
  public synchronized boolean completedTo(long safe, long claimsAtSafe) {
    if (heldEnd > 0 && safe >= heldEnd) {
      forgetHeld();
    }
    if (safe <= position) {
      return false;
    }
    store(safe);
    claimsAtPosition = claimsAtSafe;
    return true;
  }

  /**
   * Drop-oldest: the journal gives up the segments before {@code to} while the backend's worker may still hold
   * records of them unwritten, those from the cursor up to {@code readTo}: as many as it claimed since the cursor
   * last moved ({@code claims} now, less those when it moved; their segments may be gone already, once read). It
   * moves the cursor to {@code to}, after noting their number in a file beside the cursor: the
   * worker deletes the note once it has written them ({@link #completedTo}) or kept them as dead letters
   * ({@link #heldKept}); a process killed before that leaves it, and the next one counts them with the records
   * this backend lost ({@link #lostByAnEarlierProcess}), where nothing would say they were lost.
   */
  synchronized void giveUp(long to, long readTo, long claims) {
    long held = position < readTo ? Math.max(0, claims - claimsAtPosition) : 0;
    claimsAtPosition = claims;
    if (held > 0) {
      heldCount += held;
      heldEnd = Math.max(heldEnd, readTo);
      writeNote(to, heldCount);
    }
    store(to);
  }

  /** The records the worker held when the journal gave up their place are kept as dead letters: no note is needed. */
  public synchronized void heldKept() {
    forgetHeld();
  }

  /**
   * At subscription: the records an earlier process's worker held unwritten when its journal gave up their place
   * and that the process did not live to write, from the note it left ({@link #giveUp}); the note is deleted. 0
   * when there is none, or the cursor is not where that process moved it (the records are read again).
   */
  synchronized long lostByAnEarlierProcess() {
    Path note = noteFile();
    if (!Files.exists(note)) {
      return 0;
    }
    long lost = 0;
    try {
      byte[] bytes = Files.readAllBytes(note);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      if (bytes.length == 16 && position >= b.getLong(0)) {
        lost = Math.max(0, b.getLong(8));
      } else if (bytes.length != 16) {
        log.warn("The note {} is not 16 bytes long; the records it counted are not known", note);
      }
      Files.delete(note);
    } catch (IOException e) {
      log.warn("Could not read or delete {}: {}", note, e.toString());
    }
    return lost;
  }

  private Path noteFile() {
    return file.resolveSibling(backend + GIVEN_UP);
  }

  /** Writes the note whole or not at all (a kill leaves the old one or the new one). */
  private void writeNote(long to, long count) {
    Path note = noteFile();
    Path tmp = note.resolveSibling(note.getFileName() + ".tmp");
    try {
      Files.write(tmp, ByteBuffer.allocate(16).putLong(to).putLong(count).array());
      Files.move(tmp, note, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.warn("Journal: could not note that backend '{}' holds {} record(s) whose segments are given up ({}); if"
          + " this process is killed before they are written, nothing will count them", backend, count, e.toString());
    }
  }

  private void forgetHeld() {
    if (heldEnd == 0) {
      return;
    }
    heldEnd = 0;
    heldCount = 0;
    try {
      Files.deleteIfExists(noteFile());
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", noteFile(), e.toString());
    }
  }

  /** Puts a cursor found damaged where reading must start again. */
  synchronized void reset(long newPosition) {
    buffer.putLong(0, seal(newPosition));
    position = newPosition;
  }

  public void force() {
    buffer.force();
  }

  void delete() throws IOException {
    Files.deleteIfExists(file);
  }
}
