package dev.trainlog.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What the machine charges for putting an image's bytes where a {@code kill -9} cannot take them, without
 * TrainLog: B10's caller waits for spare files whose making slows down as the run goes on, and this
 * separates the kernel's part from TrainLog's. Per image of B10's size, in alternation: two copies into new
 * arrays (B10's baseline), a write into a new file (new page-cache pages), the same write over an existing
 * file's pages (pages already in the page cache), and, where {@code /dev/shm} exists, a new file there.
 * Every new file is kept until its repeat ends, as B10's images are. Usage: {@code B10PageCost [images]
 * [repeats] [out.json] [dir]} (defaults 2000, 3, none, java.io.tmpdir).
 */
public final class B10PageCost {

  private static final int IMAGE_BYTES = 737_000;

  private B10PageCost() {}

  public static void main(String[] args) throws IOException {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path out = args.length > 2 ? Path.of(args[2]) : null;
    Path base = args.length > 3 ? Path.of(args[3]) : Path.of(System.getProperty("java.io.tmpdir"));
    Path shm = Path.of("/dev/shm");
    boolean withShm = Files.isDirectory(shm) && Files.isWritable(shm);
    byte[] image = new byte[IMAGE_BYTES];
    new Random(10).nextBytes(image);
    double[][] perRepeat = new double[5][repeats];
    for (int r = 0; r < repeats; r++) {
      Path dir = Files.createTempDirectory(base, "b10-pages");
      Path shmDir = withShm ? Files.createTempDirectory(shm, "b10-pages") : null;
      double[][] us = new double[5][images];
      try (FileChannel same = FileChannel.open(dir.resolve("same"), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        same.write(ByteBuffer.wrap(image), 0);
        long sink = 0;
        for (int i = 0; i < images; i++) {
          long t0 = System.nanoTime();
          byte[] a = Arrays.copyOf(image, image.length);
          byte[] b = Arrays.copyOf(a, a.length);
          long t1 = System.nanoTime();
          writeNew(dir.resolve(i + ".png"), image);
          long t2 = System.nanoTime();
          same.write(ByteBuffer.wrap(image), 0);
          long t3 = System.nanoTime();
          if (shmDir != null) {
            writeNew(shmDir.resolve(i + ".png"), image);
          }
          long t4 = System.nanoTime();
          sink += b[i % b.length];
          us[0][i] = (t1 - t0) / 1e3;
          us[1][i] = (t2 - t1) / 1e3;
          us[2][i] = (t3 - t2) / 1e3;
          us[3][i] = (t4 - t3) / 1e3;
        }
        if (sink == Long.MIN_VALUE) {
          System.out.println(sink);
        }
      } finally {
        Fixtures.deleteTree(dir);
        if (shmDir != null) {
          Fixtures.deleteTree(shmDir);
        }
      }
      for (int k = 0; k < 4; k++) {
        perRepeat[k][r] = Row.median(us[k]);
      }
      // the last quarter of the repeat's new files on disk, where B10's waits gather
      perRepeat[4][r] = Row.median(Arrays.copyOfRange(us[1], images * 3 / 4, images));
      System.out.printf("B10 pages repeat %d: two new-array copies %.1f µs, new file %.1f µs (last quarter %.1f),"
          + " rewrite %.1f µs, new file on /dev/shm %s%n", r, perRepeat[0][r], perRepeat[1][r], perRepeat[4][r],
          perRepeat[2][r], shmDir == null ? "—" : String.format("%.1f µs", perRepeat[3][r]));
    }
    List<Row> rows = new ArrayList<>();
    String copies = "two copies into new arrays, same run";
    String unit = "median µs per " + IMAGE_BYTES / 1000 + " kB image";
    rows.add(Row.of("B10-pages", "a write into a new file on " + base + ", " + unit, "the kernel", perRepeat[1],
        copies, perRepeat[0], Row.Target.none(), "new page-cache pages and a new inode per image"));
    rows.add(Row.of("B10-pages", "the same, the repeat's last quarter", "the kernel", perRepeat[4], copies,
        perRepeat[0], Row.Target.none(), ""));
    rows.add(Row.of("B10-pages", "a write over an existing file's pages, " + unit, "the kernel", perRepeat[2],
        copies, perRepeat[0], Row.Target.none(), "pages already in the page cache"));
    if (withShm) {
      rows.add(Row.of("B10-pages", "a write into a new file on /dev/shm, " + unit, "the kernel", perRepeat[3],
          copies, perRepeat[0], Row.Target.none(), "tmpfs: new pages, no disk inode"));
    }
    if (out != null) {
      Row.write(out, rows);
    }
  }

  private static void writeNew(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
  }
}
