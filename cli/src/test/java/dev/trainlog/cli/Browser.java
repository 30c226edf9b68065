package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless {@code chromium} driven by Selenium through Debian's {@code chromium-driver}. Absent,
 * a test fails in CI ({@code CI=true}) and is skipped elsewhere, saying why.
 */
final class Browser {

  private Browser() {}

  /** A headless Chromium session, or a failed (CI) or aborted (elsewhere) test. */
  static ChromeDriver open() {
    Optional<Path> chromium = onPath("chromium", "chromium-browser");
    Optional<Path> driver = onPath("chromedriver");
    if (chromium.isEmpty() || driver.isEmpty()) {
      String hint = "chromium and chromium-driver are not installed: apt-get install -y chromium chromium-driver";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(hint + " (.ci/run installs them; this test must run in CI)");
      }
      System.err.println("[SKIPPED] " + hint); // on the console of the Maven run, not only in the reports
      Assumptions.abort(hint);
    }
    ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1400,1000", "--no-first-run", "--disable-background-networking");
    // the driver from the distribution, so Selenium Manager downloads nothing
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static Optional<Path> onPath(String... names) {
    String path = System.getenv("PATH") == null ? "" : System.getenv("PATH");
    for (String dir : path.split(File.pathSeparator)) {
      for (String name : List.of(names)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
