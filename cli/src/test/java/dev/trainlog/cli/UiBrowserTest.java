package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.cli.ui.UiServer;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.config.SettingsView;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.mongodb.internal.MongoBackendProvider;
import dev.trainlog.query.TrainlogStore;
import dev.trainlog.testkit.TestBackendContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web view in real headless Chromium (Selenium and Debian's chromium-driver) over {@link LoggedRuns}
 * in mongo-java-server: each chart records on its element how many points uPlot was given. The Runs
 * page's screenshot lands in {@code target/ui-runs.png} (the README's {@code docs/ui-runs.png}).
 */
class UiBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private TestMongo server;
  private String uri;
  private LoggedRuns logged;
  private TrainlogStore store;
  private UiServer ui;
  private ChromeDriver browser;

  @BeforeEach
  void start() {
    browser = Browser.open();
    server = TestMongo.withOplog();
    uri = server.uri;
    logged = new LoggedRuns(uri, tmp).logAll();
    store = TrainlogStore.open(uri);
    ui = UiServer.start(store, "127.0.0.1", 0, null, Duration.ofMillis(100));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (ui != null) {
      ui.close();
    }
    if (store != null) {
      store.close();
      logged.close();
      server.close();
    }
  }

  private String base() {
    return "http://127.0.0.1:" + ui.port();
  }

  private void awaitReady() {
    await().atMost(Duration.ofSeconds(15)).until(() -> "1".equals(browser.findElement(By.tagName("body"))
        .getAttribute("data-ready")));
  }

  private WebElement chart(String metric) {
    return browser.findElement(By.cssSelector(".chart[data-metric='" + metric + "']"));
  }

  @Test
  void clickingARunOnTheRunsPageOpensItsChartsWithEveryPointAndTheNaNLeftOut() throws Exception {
    browser.get(base() + "/");
    awaitReady();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.cssSelector("#runs-table tbody tr")).size() == 3);
    assertThat(browser.findElement(By.cssSelector("tr[data-run='crashed-run'] td.status-STALE")).getText()).isEqualTo("STALE");
    browser.findElement(By.id("q-run")).click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("query-count")).isEmpty());
    assertThat(browser.findElement(By.id("query-count")).getText())
        .isEqualTo("2 run(s) reached loss<0.05 within 10000 steps");
    browser.findElement(By.cssSelector("input.pick[data-run='r32-run']")).click();
    browser.findElement(By.cssSelector("input.pick[data-run='r64-run']")).click();
    Path png = Path.of("target").toAbsolutePath().resolve("ui-runs.png");
    Files.write(png, browser.getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(png)).isGreaterThan(10_000);

    // the list redraws every 2 s, so a row found just before a redraw is gone when clicked: find it again
    await().atMost(Duration.ofSeconds(10)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
        .until(() -> {
          browser.findElement(By.cssSelector("tr[data-run='r32-run'] a.run-link")).click();
          return true;
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().endsWith("/run?run=r32-run"));
    awaitReady();
    WebElement loss = chart("loss");
    assertThat(loss.getAttribute("data-total-points")).isEqualTo(String.valueOf(LoggedRuns.STEPS - 1));
    assertThat(loss.getAttribute("data-nonfinite")).isEqualTo("1");
    assertThat(loss.getAttribute("data-markers")).as("the NaN is drawn as a marker").isEqualTo("1");
    assertThat(loss.findElement(By.cssSelector("p.note")).getText()).isEqualTo("1 non-finite value(s), drawn as "
        + "red-ringed markers at the top (NaN, +Inf) or bottom (-Inf): lora-r32 at step(s) 25");
    assertThat(loss.findElement(By.cssSelector("canvas")).isDisplayed()).isTrue();
    assertThat(chart("lr").getAttribute("data-total-points")).isEqualTo(String.valueOf(LoggedRuns.STEPS));
    assertThat(chart("lr").getAttribute("data-markers")).isEqualTo("0");

    await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("alert-count")).isEmpty());
    assertThat(browser.findElement(By.id("alert-count")).getText()).isEqualTo("1 of 2 rule(s) fired");
    assertThat(browser.findElement(By.cssSelector("table.alerts tr.fired")).getText())
        .isEqualTo("nan(loss) yes 1 " + LoggedRuns.NAN_STEP + " NaN 2026-11-20 10:00:00 " + LoggedRuns.NAN_STEP);
    assertThat(browser.findElement(By.cssSelector("table.delivery tbody tr")).getText())
        .isEqualTo("0 finished " + LoggedRuns.STEPS + " 2026-11-20 10:00:00 " + LoggedRuns.STEPS + " 2026-11-20 10:00:00");

    WebElement rules = browser.findElement(By.id("alert-rules"));
    rules.clear();
    rules.sendKeys("loss > 0.1; lr < 0; nan(loss)"); // a count unlike the default's, so the wait sees the new answer
    browser.findElement(By.id("alert-check")).click();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("alert-count")).getText()
        .equals("2 of 3 rule(s) fired"));
    assertThat(browser.findElements(By.cssSelector("table.alerts tr.fired")).get(0).getText())
        .startsWith("loss > 0.1 yes 7 1 ");
    assertThat(browser.findElement(By.cssSelector("table.alerts tr.quiet")).getText()).startsWith("lr < 0 no 0");
    assertThat(browser.getCurrentUrl()).endsWith("/run?run=r32-run&alert=loss+%3E+0.1&alert=lr+%3C+0&alert=nan%28loss%29");
  }

  @Test
  void stepsLoggedByARunningDispatcherAppearOnTheRunPageWithinTwoSeconds() throws Exception {
    LogDispatcher live = liveDispatcher("live-run");
    try {
      live.step(1).scalar("loss", 1.0).log();
      live.flush(Duration.ofSeconds(5));
      browser.get(base() + "/run?run=live-run");
      awaitReady();
      await().atMost(Duration.ofSeconds(5)).until(() -> !browser.findElements(By.cssSelector(".chart[data-metric='loss']")).isEmpty());
      for (long s = 2; s <= 20; s++) {
        live.step(s).scalar("loss", 1.0 / s).log();
      }
      await().atMost(Duration.ofSeconds(2)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
          .until(() -> "20".equals(chart("loss").getAttribute("data-last-step")));
      assertThat(chart("loss").getAttribute("data-total-points")).isEqualTo("20");
      assertThat(chart("loss").getAttribute("data-markers")).isEqualTo("0");

      live.step(21).scalar("loss", Double.NaN).log();
      await().atMost(Duration.ofSeconds(2)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
          .until(() -> "1".equals(chart("loss").getAttribute("data-markers")));
      // the alert list is drawn again as points arrive: an element read mid-redraw is stale, so look again
      await().atMost(Duration.ofSeconds(5)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
          .until(() -> browser.findElement(By.id("alert-count")).getText().equals("1 of 1 rule(s) fired"));
      await().atMost(Duration.ofSeconds(10)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
          .until(() -> browser.findElement(By.cssSelector("table.delivery tbody tr")).getText(),
              row -> row.startsWith("0 running 21 "));
    } finally {
      live.close(RunStatus.FINISHED);
    }
  }

  @Test
  void twoRunsPickedOnTheRunsPageOpenCompareAndReloadingItsUrlGivesTheSameView() throws Exception {
    browser.get(base() + "/");
    awaitReady();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.cssSelector("input.pick")).size() == 3);
    browser.findElement(By.cssSelector("input.pick[data-run='r32-run']")).click();
    browser.findElement(By.cssSelector("input.pick[data-run='r64-run']")).click();
    browser.findElement(By.id("compare")).click();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains("/compare?runs=r32-run,r64-run"));
    awaitReady();
    browser.findElement(By.id("c-log")).click();
    await().atMost(Duration.ofSeconds(5)).until(() -> browser.getCurrentUrl().contains("log=1"));
    String url = browser.getCurrentUrl();
    String view = compareView();

    browser.navigate().refresh();
    awaitReady();
    assertThat(browser.getCurrentUrl()).isEqualTo(url);
    assertThat(browser.findElement(By.id("c-log")).isSelected()).isTrue();
    assertThat(compareView()).isEqualTo(view);
    JsonNode points = JSON.readTree(chart("loss").getAttribute("data-points"));
    assertThat(points.get("lora-r32").asInt()).isEqualTo(LoggedRuns.STEPS - 1);
    assertThat(points.get("lora-r64").asInt()).isEqualTo(LoggedRuns.STEPS);
    assertThat(browser.findElement(By.cssSelector("table.diff")).getText()).contains("lora_rank");
  }

  /** What the Compare page shows: each chart's metric and point counts, and the config diff. */
  private String compareView() {
    StringBuilder sb = new StringBuilder();
    for (WebElement c : browser.findElements(By.cssSelector(".chart"))) {
      sb.append(c.getAttribute("data-metric")).append(c.getAttribute("data-points")).append('\n');
    }
    return sb.append(browser.findElement(By.cssSelector("table.diff")).getText()).toString();
  }

  @Test
  void onANonLoopbackBindThePageNeedsTheTokenOnceAndThenKeepsItInACookie() {
    ui.close();
    ui = UiServer.start(store, "0.0.0.0", 0, "s3cret", Duration.ofMillis(100));
    browser.get(base() + "/api/runs");
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("a token is required");
    browser.get(base() + "/?token=s3cret");
    awaitReady();
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.cssSelector("#runs-table tbody tr")).size() == 3);
  }

  private LogDispatcher liveDispatcher(String id) {
    RunInfo run = RunInfo.builder().experiment("live_exp").runName(id).runId(id).node("node-0")
        .config(Map.of("model", "SDXL")).build();
    SettingsView settings = SettingsView.of("backends.mongo", Map.of("uri", uri, "server-selection-timeout", "2s"));
    var backend = new MongoBackendProvider().create(new TestBackendContext("mongo", run, settings, Map.of(),
        tmp.resolve(id), Clock.systemUTC()));
    settings.throwIfAny();
    return LogDispatcher.builder(run)
        .backend("mongo", backend, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(200)))
        .shutdownHook(false).journalDir(tmp.resolve("spool-" + id)).deadLetterDir(tmp.resolve("dead-" + id)).build();
  }
}
