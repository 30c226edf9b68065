package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.api.Image;
import dev.trainlog.cli.report.ReportImages;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.RunImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The compare report's sample images: inlined as data URIs (bytes as logged), shown side by side per run
 * in real headless Chromium (Selenium) with a step slider that moves between the logged steps; the
 * screenshot lands in {@code target/compare-report-images.png}.
 */
class CompareReportImagesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] CELLS = {"img-a 0", "img-a 1", "img-b 0", "img-b 1"};

  @TempDir Path tmp;
  private TestMongo server;
  private String uri;
  private ImageRuns runs;

  @BeforeEach
  void start() {
    server = new TestMongo();
    uri = server.uri;
    runs = ImageRuns.log(new LoggedRuns(uri, tmp));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theReportShowsEachRunsImagesSideBySideAndTheSliderMovesBetweenSteps() throws Exception {
    Path page = Path.of("target").toAbsolutePath().resolve("compare-report-images.html");
    Files.createDirectories(page.getParent());
    Cli.Result r = new Cli(Clock.systemUTC(), List.of("--store", uri)).run("compare", "img-a", "img-b",
        "--metric", "loss", "--out", page.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode data = imagesData(Files.readString(page));
    assertThat(data.get("images")).hasSize(ImageRuns.RUNS.length * ImageRuns.SAMPLE_STEPS.length * ImageRuns.CELLS);
    for (JsonNode i : data.get("images")) {
      String uriOfFile = data.get("files").get(i.get("file").asText()).asText();
      assertThat(uriOfFile).isEqualTo(dataUri(runs.logged.get(i.get("column").asText() + " " + i.get("step").asLong()
          + " " + i.get("index").asInt())));
    }
    long bytes = runs.logged.values().stream().mapToLong(b -> b.length).sum();
    assertThat(data.get("note").asText()).isEqualTo("Every logged step of each key is inlined ("
        + Image.humanSize(bytes) + "; a report inlines at most the latest 10 steps of each key and 32 MiB of images"
        + " in all).");

    ChromeDriver browser = Browser.open();
    try {
      browser.get(page.toUri().toString());
      WebElement panel = ImagePanel.of(browser);
      assertThat(panel.getAttribute("data-steps")).isEqualTo("3");
      assertInlined(ImagePanel.assertShows(browser, panel, 1500, CELLS), 1500);
      assertThat(panel.findElements(By.cssSelector(".image-col .caption"))).extracting(WebElement::getText)
          .containsExactly("lora-a", "lora-b");
      Files.write(page.resolveSibling("compare-report-images.png"), browser.getScreenshotAs(OutputType.BYTES));

      ImagePanel.slide(panel, Keys.ARROW_LEFT, 1000);
      assertInlined(ImagePanel.assertShows(browser, panel, 1000, CELLS), 1000);
      ImagePanel.slide(panel, Keys.HOME, 500);
      assertInlined(ImagePanel.assertShows(browser, panel, 500, CELLS), 500);
      assertThat(panel.findElement(By.cssSelector(".image-step-label")).getText()).isEqualTo("step 500 (1 of 3)");
    } finally {
      browser.quit();
    }
  }

  @Test
  void runsWithImagesButNoneOfTheAskedMetricsStillGetAReportOfTheirImages() throws Exception {
    Path page = tmp.resolve("images-only.html");
    Cli.Result r = new Cli(Clock.systemUTC(), List.of("--store", uri)).run("compare", "img-a", "img-b",
        "--metric", "no_such_metric", "--out", page.toString());
    assertThat(r.code()).as(r.err()).isZero();
    int images = ImageRuns.RUNS.length * ImageRuns.SAMPLE_STEPS.length * ImageRuns.CELLS;
    assertThat(r.out()).isEqualTo("wrote " + page + " (0 curve(s), " + images + " image(s) of 2 run(s), 2 missing)\n");
    assertThat(r.err()).contains("missing (no points): img-a: no_such_metric");
    assertThat(imagesData(Files.readString(page)).get("images")).hasSize(images);

    ChromeDriver browser = Browser.open();
    try {
      browser.get(page.toUri().toString());
      WebElement panel = ImagePanel.of(browser);
      assertInlined(ImagePanel.assertShows(browser, panel, 1500, CELLS), 1500);
      assertThat(browser.findElements(By.cssSelector(".chart"))).isEmpty();
    } finally {
      browser.quit();
    }
  }

  /** Each shown image's source is the data URI of the bytes its run logged at {@code step}. */
  private void assertInlined(List<WebElement> images, long step) {
    for (WebElement img : images) {
      assertThat(img.getAttribute("src")).isEqualTo(dataUri(runs.logged.get(img.getAttribute("data-column") + " "
          + step + " " + img.getAttribute("data-index"))));
    }
  }

  @Test
  void aLongRunsReportInlinesOnlyTheLatestStepsOfEachKeyWithinTheByteCap() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("img-a", "lora-a");
    labels.put("img-b", "lora-b");
    try (MongoClient client = MongoClients.create(uri)) {
      RunImages source = RunImages.on(client.getDatabase(StoreSchema.DEFAULT_DATABASE), StoreSchema.DEFAULT_STEPS);

      ReportImages latestTwo = ReportImages.read(source, labels, 2, Long.MAX_VALUE);
      assertThat(steps(latestTwo)).containsExactly(1000L, 1000L, 1000L, 1000L, 1500L, 1500L, 1500L, 1500L);
      assertThat((String) latestTwo.data().get("note")).startsWith("2 of 3 logged (key, step) pairs are inlined");

      long lastStepBytes = runs.logged.entrySet().stream().filter(e -> e.getKey().contains(" 1500 "))
          .mapToLong(e -> e.getValue().length).sum();
      ReportImages capped = ReportImages.read(source, labels, 10, lastStepBytes + 1);
      assertThat(steps(capped)).containsExactly(1500L, 1500L, 1500L, 1500L);
      assertThat((Map<?, ?>) capped.data().get("files")).hasSize(4);
      assertThat(ReportImages.read(source, labels, 10, lastStepBytes - 1).isEmpty()).isTrue();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Long> steps(ReportImages images) {
    return ((List<Map<String, Object>>) images.data().get("images")).stream().map(m -> (Long) m.get("step")).toList();
  }

  private static String dataUri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }

  static JsonNode imagesData(String html) throws Exception {
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"trainlog-images\">(.*?)</script>",
        Pattern.DOTALL).matcher(html);
    assertThat(m.find()).isTrue();
    return JSON.readTree(m.group(1));
  }
}
