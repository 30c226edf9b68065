package dev.trainlog.mongodb.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import org.bson.Document;

/**
 * The {@value #FILE_NAME} file of a running store service: its URI, port, process, TrainLog version
 * and start time. Written atomically (a reader never sees half of it) and read by every client.
 */
public record ServerFile(String uri, int port, long pid, String version, Instant started) {

  /** The file inside the store directory: {@value}. */
  public static final String FILE_NAME = "server.json";

  /** Whether the process that wrote the file still runs. */
  public boolean processAlive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The file in {@code dir}, if there is a readable one (alive or not). */
  public static Optional<ServerFile> read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Document d = Document.parse(Files.readString(file, StandardCharsets.UTF_8));
      return Optional.of(new ServerFile(d.getString("uri"), ((Number) d.get("port")).intValue(),
          ((Number) d.get("pid")).longValue(), d.getString("version"), Instant.parse(d.getString("started"))));
    } catch (IOException | RuntimeException e) {
      // a damaged or foreign file counts as absent: the next service replaces it
      return Optional.empty();
    }
  }

  /** Writes this file into {@code dir} through a temporary file and an atomic rename. */
  /** Writes this file into {@code dir} atomically (for the service itself). */
  public void write(Path dir) throws IOException {
    Document d = new Document("uri", uri).append("port", port).append("pid", pid).append("version", version)
        .append("started", started.toString());
    Path tmp = dir.resolve(FILE_NAME + "." + pid + ".tmp");
    Files.writeString(tmp, d.toJson() + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Removes the file from {@code dir} if it is still this one (a successor may have replaced it). */
  /** Deletes the file in {@code dir} if this process wrote it (for the service itself, as it stops). */
  public void deleteIfMine(Path dir) {
    Optional<ServerFile> now = read(dir);
    if (now.isPresent() && now.get().pid == pid && now.get().port == port) {
      try {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
      } catch (IOException e) {
        // a stale file is harmless: clients check that its process is alive
      }
    }
  }
}
