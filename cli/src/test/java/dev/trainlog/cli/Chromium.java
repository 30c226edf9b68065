package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless {@code chromium}, driven by its command line. Absent, a test fails in CI ({@code
 * CI=true}) and is skipped elsewhere.
 */
final class Chromium {

  private final Path binary;

  private Chromium(Path binary) {
    this.binary = binary;
  }

  /** The browser on the PATH, or a failed (CI) or aborted (elsewhere) test. */
  static Chromium require() {
    Optional<Path> found = find();
    if (found.isEmpty()) {
      String hint = "chromium is not installed: apt-get install -y chromium";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(hint + " (.ci/run installs it; this test must run in CI)");
      }
      System.err.println("[SKIPPED] " + hint); // on the console of the Maven run, not only in the reports
      Assumptions.abort(hint);
    }
    return new Chromium(found.get());
  }

  private static Optional<Path> find() {
    String path = System.getenv("PATH") == null ? "" : System.getenv("PATH");
    for (String dir : path.split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** The DOM after the page's scripts ran. */
  String dumpDom(Path page, Path scratch) throws Exception {
    Path out = scratch.resolve("dom.html");
    run(scratch, out, "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString());
    return Files.readString(out);
  }

  /** A PNG of the page at {@code width} x {@code height}. */
  void screenshot(Path page, Path png, int width, int height, Path scratch) throws Exception {
    run(scratch, scratch.resolve("screenshot.log"), "--virtual-time-budget=5000", "--hide-scrollbars",
        "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), page.toUri().toString());
    if (!Files.isRegularFile(png)) {
      fail("chromium wrote no screenshot to " + png + "; its output: " + Files.readString(scratch.resolve("screenshot.log")));
    }
  }

  private void run(Path scratch, Path stdout, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(scratch, "profile");
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile())
        .redirectError(scratch.resolve("chromium-stderr.log").toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish within 90 s: " + command);
    }
  }
}
