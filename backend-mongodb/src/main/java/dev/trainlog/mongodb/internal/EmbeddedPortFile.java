package dev.trainlog.mongodb.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@value #FILE_NAME} file next to an embedded store: the port its server listens on and the
 * process that runs it. The H2 file is locked while a process holds it, so other processes (the
 * {@code trainlog} command line, mongosh) reach a live store through this port instead.
 */
public final class EmbeddedPortFile {

  /** The file inside the store directory: {@value}. */
  public static final String FILE_NAME = "server.port";

  private EmbeddedPortFile() {}

  /** Advertises {@code port} for the store in {@code dir}, written atomically so a reader never sees half. */
  public static void write(Path dir, int port) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    String text = "port=" + port + "\npid=" + ProcessHandle.current().pid() + "\n";
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Removes the file if it still names {@code port} of this process (another may have taken over). */
  public static void delete(Path dir, int port) {
    Path file = dir.resolve(FILE_NAME);
    Properties p = load(file);
    if (p != null && String.valueOf(port).equals(p.getProperty("port"))
        && String.valueOf(ProcessHandle.current().pid()).equals(p.getProperty("pid"))) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a stale file is harmless: readers check that the process is alive
      }
    }
  }

  /** The advertised port, when the file exists and the process that wrote it is still alive. */
  public static Optional<Integer> read(Path dir) {
    Properties p = load(dir.resolve(FILE_NAME));
    if (p == null) {
      return Optional.empty();
    }
    try {
      int port = Integer.parseInt(p.getProperty("port", "").trim());
      long pid = Long.parseLong(p.getProperty("pid", "").trim());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive ? Optional.of(port) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Properties load(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(reader);
      return p;
    } catch (IOException e) {
      return null;
    }
  }
}
