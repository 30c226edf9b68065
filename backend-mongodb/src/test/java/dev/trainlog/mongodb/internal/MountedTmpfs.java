package dev.trainlog.mongodb.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A tmpfs of a few MiB for one test, to fill a device under the store service for real (as logging-core's
 * full-disk test does). Mounting needs root, which the CI has; elsewhere the test is skipped saying so.
 */
final class MountedTmpfs implements AutoCloseable {

  private final Path dir;

  private MountedTmpfs(Path dir) {
    this.dir = dir;
  }

  static MountedTmpfs mountOrSkip(Path dir, int mebibytes, String test) throws IOException {
    Files.createDirectories(dir);
    String failed = run("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m", "tmpfs", dir.toString());
    Assumptions.assumeTrue(failed.isEmpty(), () -> test + " fills a small tmpfs, and `mount -t tmpfs` failed here ("
        + failed + "); run the build as root (as the CI does) to include it");
    return new MountedTmpfs(dir);
  }

  Path dir() {
    return dir;
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? "" : "exit " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      return String.valueOf(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public void close() {
    // lazily: the service that had the file open may still be on its way out
    String failed = run("umount", "-l", dir.toString());
    if (!failed.isEmpty()) {
      throw new IllegalStateException("umount " + dir + " failed: " + failed);
    }
  }
}
