package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.cli.ui.UiServer;
import dev.trainlog.query.TrainlogStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The web view's sample images in real headless Chromium (Selenium): the Run and Compare pages show each
 * run's images of a step side by side, loaded from GridFS through the API, and the slider moves between
 * the logged steps; the API serves an image's bytes as logged and nothing that is not an image of the run.
 * The Compare page's screenshot lands in {@code target/ui-compare-images.png}.
 */
class UiImagesBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path tmp;
  private TestMongo server;
  private ImageRuns runs;
  private TrainlogStore store;
  private UiServer ui;
  private ChromeDriver browser;

  @BeforeEach
  void start() {
    server = new TestMongo();
    String uri = server.uri;
    runs = ImageRuns.log(new LoggedRuns(uri, tmp));
    store = TrainlogStore.open(uri);
    ui = UiServer.start(store, "127.0.0.1", 0, null, Duration.ofMillis(100));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    ui.close();
    store.close();
    server.close();
  }

  private String base() {
    return "http://127.0.0.1:" + ui.port();
  }

  @Test
  void theComparePageShowsBothRunsImagesOfAStepAndTheSliderMovesBetweenSteps() throws Exception {
    browser = Browser.open();
    browser.get(base() + "/compare?runs=img-a,img-b");
    WebElement panel = ImagePanel.of(browser);
    assertThat(panel.getAttribute("data-steps")).isEqualTo("3");
    ImagePanel.assertShows(browser, panel, 1500, "img-a 0", "img-a 1", "img-b 0", "img-b 1");
    assertThat(panel.findElements(By.cssSelector(".image-col .caption"))).extracting(WebElement::getText)
        .containsExactly("lora-a", "lora-b");
    assertThat(browser.findElement(By.cssSelector("#charts + #images")).isDisplayed()).as("right under the charts").isTrue();
    new Actions(browser).scrollToElement(panel).perform();
    Files.write(Path.of("target").toAbsolutePath().resolve("ui-compare-images.png"),
        browser.getScreenshotAs(OutputType.BYTES));

    ImagePanel.slide(panel, Keys.ARROW_LEFT, 1000);
    ImagePanel.assertShows(browser, panel, 1000, "img-a 0", "img-a 1", "img-b 0", "img-b 1");
    ImagePanel.slide(panel, Keys.ARROW_LEFT, 500);
    ImagePanel.assertShows(browser, panel, 500, "img-a 0", "img-a 1", "img-b 0", "img-b 1");
    assertThat(panel.findElement(By.cssSelector(".image-step-label")).getText()).isEqualTo("step 500 (1 of 3)");
  }

  @Test
  void theRunPageShowsItsOwnImages() {
    browser = Browser.open();
    browser.get(base() + "/run?run=img-b");
    ImagePanel.assertShows(browser, ImagePanel.of(browser), 1500, "img-b 0", "img-b 1");
  }

  @Test
  void theImageApiServesTheLoggedBytesAndRefusesAnIdThatIsNotAnImageOfTheRun() throws Exception {
    JsonNode list = JSON.readTree(get("/api/runs/img-a/images").body());
    assertThat(list.get("name").asText()).isEqualTo("lora-a");
    assertThat(list.get("images")).hasSize(6);
    for (JsonNode i : list.get("images")) {
      HttpResponse<byte[]> image = HTTP.send(HttpRequest.newBuilder(URI.create(base() + i.get("url").asText())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(image.statusCode()).isEqualTo(200);
      assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
      assertThat(image.body()).isEqualTo(runs.logged.get("img-a " + i.get("step").asLong() + " " + i.get("index").asInt()));
    }
    String idOfA = list.get("images").get(0).get("url").asText().replaceAll(".*\\?id=", "");
    HttpResponse<String> otherRun = get("/api/runs/img-b/image?id=" + idOfA);
    assertThat(otherRun.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(otherRun.body()).get("error").asText())
        .isEqualTo("run 'img-b' has no image '" + java.net.URLDecoder.decode(idOfA, java.nio.charset.StandardCharsets.UTF_8) + "'");
    HttpResponse<String> noId = get("/api/runs/img-b/image");
    assertThat(noId.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noId.body()).get("error").asText())
        .isEqualTo("id is missing: add ?id=FILE_ID (see /api/runs/img-b/images)");
    assertThat(get("/api/runs/nope/images").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
