package dev.trainlog.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A tmpfs of a few MiB mounted for one test, to fill a device for real (a journal, a store service). Mounting needs root (the CI runs
 * as root); elsewhere the test is skipped with a message that says so, never silently.
 */
public final class SmallTmpfs implements AutoCloseable {

  private final Path dir;

  private SmallTmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code mebibytes} at {@code dir} (created), or skips the calling test saying why. */
  public static SmallTmpfs mountOrSkip(Path dir, int mebibytes, String test) throws IOException {
    Files.createDirectories(dir);
    String why = run("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m", "tmpfs", dir.toString());
    Assumptions.assumeTrue(why.isEmpty(), () -> test + " needs a small tmpfs to fill, and `mount -t tmpfs` failed"
        + " here (" + why + "); run the build as root (as the CI does) to include it");
    return new SmallTmpfs(dir);
  }

  /** Makes the file system read-only, as a journal on a device that went read-only or a foreign mount. */
  public void remountReadOnly() {
    String why = run("mount", "-o", "remount,ro", dir.toString());
    if (!why.isEmpty()) {
      throw new IllegalStateException("remount,ro " + dir + " failed: " + why);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Runs a command; "" when it succeeded, else its exit code and output. */
  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? "" : "exit " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public void close() {
    // lazily: a mapping the collector has not freed yet, or a process on its way out, keeps the mount busy
    String why = run("umount", "-l", dir.toString());
    if (!why.isEmpty()) {
      throw new IllegalStateException("umount " + dir + " failed: " + why);
    }
  }
}
