package dev.trainlog.core.internal.journal;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Images and artifacts of a journal, as content-addressed files in its {@code blobs/} directory:
 * {@code <content id>.png|jpg|argb|bin} ({@link ContentIds}). A file is written once however many records and backends refer to it,
 * before the record that refers to it is appended (so a killed process leaves no record without its
 * file: an image in a filled spare not renamed yet is published when the store opens again), and deleted by
 * {@link #sweep} once no segment still there refers to it.
 */
public final class BlobStore implements AutoCloseable {

  /** The directory name under a journal's directory. */
  public static final String DIRECTORY = "blobs";
  /** Blobs the caller wrote to their files itself, no spare being ready, in this process (B10 reports it). */
  private static final AtomicLong WRITTEN_BY_CALLERS = new AtomicLong();

  private final Path dir;
  private final AtomicLong bytes = new AtomicLong();
  /** Ids written for a record not yet appended: a sweep meanwhile keeps them. */
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final BlobSpares spares;
  /**
   * The names of the blob files here: listed at open, then added as this store writes them and removed as
   * it sweeps them. The journal's lock makes this store their only writer, so the caller asks this set, not
   * the file system: a stat for a name not there cost the caller 5-30 µs per new image in B10's loop.
   */
  private final Set<String> names = ConcurrentHashMap.newKeySet();
  /**
   * Ids the batch of a backend being retried refers to, with how many batches do ({@link #hold}): under
   * drop-oldest a full journal moves such a backend's cursor past the batch and deletes its segments, and a sweep
   * would delete the files with them. Guarded by itself, as each sweep's look at it and its delete are.
   */
  private final java.util.Map<String, Integer> held = new java.util.HashMap<>();
  private volatile boolean dirMade;

  private BlobStore(Path dir, long spareWaitNanos) {
    this.dir = dir.toAbsolutePath().normalize(); // the form UnpublishedBlobs is keyed by
    this.spares = new BlobSpares(dir, spareWaitNanos);
  }

  /** The store of the journal in {@code journalDir}; its size is counted from what is there. */
  public static BlobStore open(Path journalDir) throws IOException {
    return open(journalDir, BlobSpares.WAIT_NANOS);
  }

  /** The same, with callers waiting up to {@code spareWaitNanos} for a spare being made (tests). */
  static BlobStore open(Path journalDir, long spareWaitNanos) throws IOException {
    BlobStore store = new BlobStore(journalDir.resolve(DIRECTORY), spareWaitNanos);
    SpareRecovery.run(store.dir);
    if (Files.isDirectory(store.dir)) {
      try (Stream<Path> files = Files.list(store.dir)) {
        for (Path p : files.toList()) {
          store.bytes.addAndGet(Files.size(p));
          store.names.add(p.getFileName().toString());
        }
      }
    }
    return store;
  }

  /** How many blobs callers wrote to their files themselves in this process, no spare being ready (B10). */
  public static long writtenByCallers() {
    return WRITTEN_BY_CALLERS.get();
  }

  /** {times a caller waited for a spare being made, nanoseconds waited in all} in this process (B10). */
  public static long[] spareWaits() {
    return BlobSpares.waits();
  }

  /** The directory of the blob files. */
  public Path directory() {
    return dir;
  }

  /** Bytes held by this store: counted in the journal's max-size. */
  public long bytes() {
    return bytes.get();
  }

  /**
   * Stores encoded image bytes (already checked to be PNG or JPEG by {@code header}) and returns the image
   * that refers to them. The bytes are on disk when this returns.
   */
  public Image putEncoded(byte[] encoded, Image.Header header) throws IOException {
    String id = storeBytes(encoded, header.format().extension());
    return image(dir, id, header.format(), header.width(), header.height(), encoded.length);
  }

  /** Stores raw pixels to be encoded to PNG when a backend first reads them ({@link PngEncoding}). */
  public Image putPixels(byte[] argbFile, int width, int height) throws IOException {
    String id = storeBytes(argbFile, PngEncoding.RAW_EXTENSION);
    return image(dir, id, Image.Format.PNG, width, height, -1);
  }

  /**
   * Writes {@code data} once under its content id and returns the id. The id is two CRCs and the length
   * (intrinsics: a fraction of a SHA-256's cost on the training thread); a file already there under that
   * id is compared byte for byte, so two contents never share an id in this store.
   */
  private String storeBytes(byte[] data, String extension) throws IOException {
    String base = ContentIds.of(data);
    for (int n = 0; ; n++) {
      String id = n == 0 ? base : base + "-" + n;
      pending.add(id);
      String name = id + "." + extension;
      Path file = dir.resolve(name);
      byte[] stored = names.contains(name) ? storedOrNull(file) : null;
      if (stored == null) {
        writeOnce(file, data, id, extension);
        return id;
      }
      if (java.util.Arrays.equals(stored, data)) {
        return id;
      }
      pending.remove(id); // another content with the same id: try the next suffix
    }
  }

  /** The bytes of the blob {@code file}, or null when it is gone (deleted by hand: written again). */
  private static byte[] storedOrNull(Path file) throws IOException {
    try {
      return UnpublishedBlobs.read(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Stores a copy of {@code source} (a hard link where the file system allows) as the artifact {@code name}. */
  public Artifact putFile(Path source, String name) throws IOException {
    String base = ContentIds.of(source);
    String id = base;
    Path file = fileOf(id, "bin");
    for (int n = 1; Files.exists(file) && Files.mismatch(file, source) != -1; n++) {
      id = base + "-" + n; // another content with the same id
      file = fileOf(id, "bin");
    }
    pending.add(id);
    long length = Files.size(source);
    if (!Files.exists(file)) {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(id + ".tmp" + Thread.currentThread().getId());
      Files.deleteIfExists(tmp);
      try {
        Files.createLink(tmp, source);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING); // another device, or no hard links
      }
      publish(tmp, file, length);
    }
    return new Artifact(name, length, id, file);
  }

  /** Makes sure the files {@code ids} refer to are here, copying them from another store (dead letters, resends). */
  void adopt(Object value) throws IOException {
    if (value instanceof dev.trainlog.api.Images images) {
      for (Image image : images) {
        String id = image.contentId();
        if (pending.contains(id)) {
          continue; // stored here for this record: no need to look at the disk
        }
        Path file = fileOf(id, image.format().extension());
        if (!UnpublishedBlobs.exists(file) && !UnpublishedBlobs.exists(fileOf(id, PngEncoding.RAW_EXTENSION))) {
          writeOnce(file, image.bytes(), id, image.format().extension());
        }
      }
    } else if (value instanceof Artifact a) {
      Path file = fileOf(a.contentId(), "bin");
      if (!Files.exists(file)) {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(a.contentId() + ".tmp" + Thread.currentThread().getId());
        Files.copy(a.file(), tmp, StandardCopyOption.REPLACE_EXISTING);
        publish(tmp, file, a.length());
      }
    }
  }

  /** Adds the ids of the files {@code value} (a record's value) refers to, if it is images or an artifact. */
  static void addIds(Object value, java.util.Collection<String> into) {
    if (value instanceof dev.trainlog.api.Images images) {
      images.forEach(i -> into.add(i.contentId()));
    } else if (value instanceof Artifact a) {
      into.add(a.contentId());
    }
  }

  /** A backend's batch holds records referring to {@code ids}: their files stay until {@link #letGo}. */
  void hold(List<String> ids) {
    synchronized (held) {
      ids.forEach(id -> held.merge(id, 1, Integer::sum));
    }
  }

  /** The batch that held {@code ids} is written or given up. */
  void letGo(List<String> ids) {
    synchronized (held) {
      ids.forEach(id -> held.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1));
    }
  }

  /** The record referring to {@code id} is appended: its segment's list keeps the file from now on. */
  void appended(String id) {
    pending.remove(id);
  }

  /**
   * The ids pending now: a sweep takes them before it reads the segments' lists, so an id whose list line
   * is written (and pending entry removed) meanwhile is still kept.
   */
  Set<String> pendingNow() {
    return Set.copyOf(pending);
  }

  /** The files here now, spares included. */
  List<Path> files() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  /**
   * Deletes each of {@code candidates} (listed before {@code pendingBefore} was taken) that no id in
   * {@code live}, in {@code pendingBefore} or pending now refers to.
   */
  void sweep(List<Path> candidates, Set<String> live, Set<String> pendingBefore) throws IOException {
    for (Path p : candidates) {
      String name = p.getFileName().toString();
      if (name.endsWith(BlobSpare.SUFFIX) || name.endsWith(BlobSpare.FILLED)) {
        continue; // the next blob's file, made ahead, or one on its way to its content id
      }
      int dot = name.indexOf('.');
      String id = dot < 0 ? name : name.substring(0, dot);
      if (!live.contains(id) && !pendingBefore.contains(id) && !pending.contains(id)) {
        synchronized (held) { // a batch holds it before this look, or finds it gone after the delete
          if (held.containsKey(id)) {
            continue;
          }
          long size;
          try {
            size = Files.size(p);
          } catch (NoSuchFileException gone) {
            continue; // a spare renamed away, or a file another sweep took
          }
          if (Files.deleteIfExists(p)) {
            bytes.addAndGet(-size);
          }
        }
        names.remove(name); // after the delete: a put meanwhile that finds the file gone writes it again
      }
    }
  }


  /** An image whose bytes are read from {@code blobDir} when asked for: how the journal's reader decodes one. */
  static Image image(Path blobDir, String id, Image.Format format, int width, int height, long length) {
    return new Image(format, width, height, length, id, () -> PngEncoding.bytesOf(blobDir, id, format, length));
  }

  /** An artifact in {@code blobDir}. */
  static Artifact artifact(Path blobDir, String name, long length, String id) {
    return new Artifact(name, length, id, blobDir.resolve(id + ".bin"));
  }

  private Path fileOf(String id, String extension) {
    return dir.resolve(id + "." + extension);
  }

  /**
   * Writes {@code data} as {@code file}, not there yet: copied into a spare made ahead when one has room
   * (the spare is renamed to {@code file} in the background; readers find it meanwhile through
   * {@link UnpublishedBlobs}), else written here through a channel in one call ({@code Files.write} makes a
   * system call per 8 KiB).
   */
  private void writeOnce(Path file, byte[] data, String id, String extension) throws IOException {
    if (!dirMade) {
      Files.createDirectories(dir);
      dirMade = true;
    }
    if (intoSpare(file, data, id, extension)) {
      return;
    }
    WRITTEN_BY_CALLERS.incrementAndGet();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + Thread.currentThread().getId());
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
    publish(tmp, file, data.length);
  }

  /** Whether a spare file is made and waiting for the next blob. */
  boolean spareReady() {
    return spares.ready() > 0;
  }

  /** How many spare files are made and waiting. */
  int sparesReady() {
    return spares.ready();
  }

  /** Holds the background thread until {@code release} opens, so filled spares stay as they are (tests). */
  void holdBackground(java.util.concurrent.CountDownLatch release) {
    spares.hold(release);
  }

  /** Waits until the spares filled so far are renamed to their content ids (tests). */
  void settle() throws IOException {
    spares.settle();
  }

  /** True when {@code data} went into a spare made ahead: its bytes and trailer are in the file's pages. */
  private boolean intoSpare(Path file, byte[] data, String id, String extension) {
    BlobSpare spare = spares.take(data.length);
    if (spare == null) {
      return false;
    }
    try {
      spare.fill(data, id, extension);
    } catch (RuntimeException e) {
      spare.discard(); // no trailer was written: the caller writes the file instead
      return false;
    }
    UnpublishedBlobs.add(file, new UnpublishedBlobs.Way(spare.path, BlobSpare.filledName(file), data.length));
    names.add(file.getFileName().toString());
    bytes.addAndGet(data.length); // counted now, in max-size, not when the background renames it
    spares.filled(spare, file, data.length, () -> bytes.addAndGet(-data.length));
    return true;
  }

  /** Renames the filled spares to their content ids, deletes those made ahead and stops making them: the journal is closing. */
  @Override
  public void close() {
    spares.close();
  }

  /** Renames a complete file into place, so a reader never sees half of one. */
  private void publish(Path tmp, Path file, long length) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      bytes.addAndGet(length);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp); // written meanwhile by another thread: the same content
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      bytes.addAndGet(length);
    }
    names.add(file.getFileName().toString());
  }

}
