package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.testkit.MutableClock;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compare report opened in real headless Chromium: the page records on each chart what uPlot
 * drew (lines, points per run, non-finite markers per run), read back from the dumped DOM; the
 * screenshot lands in {@code target/compare-report.png}.
 */
class CompareReportBrowserTest {

  private static final int STEPS = 3000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private TestMongo server;
  private String uri;

  @BeforeEach
  void start() {
    server = new TestMongo();
    uri = server.uri;
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theReportDrawsOneLinePerRunPerMetricWithTheEmbeddedPointCountsAndTheNaNMarker() throws Exception {
    Chromium chromium = Chromium.require();
    LoggedRuns store = new LoggedRuns(uri, tmp);
    logCurve(store, "rank32_exp", "lora-r32", 32, 1500);
    logCurve(store, "rank64_exp", "lora-r64", 64, -1);

    Path target = Path.of("target").toAbsolutePath();
    Files.createDirectories(target);
    Path page = target.resolve("compare-report.html");
    Cli.Result r = new Cli(Clock.systemUTC(), List.of("--store", uri)).run("compare", "rank32_exp", "rank64_exp",
        "--metric", "loss,lr", "--smooth", "0.3", "--out", page.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode data = CommandsContract.embeddedData(Files.readString(page));
    assertThat(data.get("series")).hasSize(4)
        .allSatisfy(s -> assertThat(s.get("steps").size()).isLessThanOrEqualTo(2000).isGreaterThan(1900));

    String dom = chromium.dumpDom(page, tmp);
    assertThat(dom).contains("data-rendered=\"2\"");
    Map<String, Map<String, String>> charts = charts(dom);
    assertThat(charts.keySet()).containsExactlyInAnyOrder("loss", "lr");
    for (String metric : List.of("loss", "lr")) {
      Map<String, String> chart = charts.get(metric);
      assertThat(chart.get("data-lines")).isEqualTo("2");
      assertThat(Integer.parseInt(chart.get("data-drawn"))).isPositive();
      JsonNode points = JSON.readTree(chart.get("data-points"));
      JsonNode markers = JSON.readTree(chart.get("data-markers"));
      for (JsonNode s : data.get("series")) {
        if (!s.get("metric").asText().equals(metric)) {
          continue;
        }
        int finite = 0;
        int nonFinite = 0;
        for (JsonNode v : s.get("values")) {
          if (v.isNumber()) {
            finite++;
          } else {
            nonFinite++;
          }
        }
        String run = s.get("run").asText();
        assertThat(points.get(run).asInt()).as(metric + " points of " + run).isEqualTo(finite);
        assertThat(markers.has(run) ? markers.get(run).asInt() : 0).as(metric + " markers of " + run).isEqualTo(nonFinite);
      }
    }
    assertThat(JSON.readTree(charts.get("loss").get("data-markers")).get("rank32_exp-run").asInt()).isEqualTo(1);
    assertThat(dom).contains("1 non-finite value(s)");

    Path png = target.resolve("compare-report.png");
    Files.deleteIfExists(png);
    chromium.screenshot(page, png, 1280, 1500, tmp);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    Set<Integer> colours = new HashSet<>();
    long nonWhite = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        if (rgb != 0xFFFFFF) {
          nonWhite++;
        }
      }
    }
    assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(50);
    assertThat(nonWhite).as("non-white pixels").isGreaterThan(image.getWidth() * image.getHeight() / 4 / 50);
    assertThat(colours).as("both runs' line colours").contains(0x1f77b4, 0xff7f0e);
  }

  private static void logCurve(LoggedRuns store, String experiment, String name, int rank, long nanStep) {
    LogDispatcher d = store.dispatcher(LoggedRuns.run(experiment, name, experiment + "-run", rank),
        new MutableClock(LoggedRuns.T0));
    java.util.Random noise = new java.util.Random(rank);
    for (long s = 1; s <= STEPS; s++) {
      double loss = (rank == 64 ? 0.028 : 0.036) + 0.1 * Math.exp(-4.0 * s / STEPS) * (1 + 0.08 * noise.nextGaussian());
      d.step(s).scalar("loss", s == nanStep ? Double.NaN : loss).scalar("lr", 1e-4 * (1 - 0.9 * s / STEPS)).log();
    }
    d.close(RunStatus.FINISHED);
  }

  /** The attributes of each {@code <div class="chart">} in the dumped DOM, by metric. */
  private static Map<String, Map<String, String>> charts(String dom) {
    Map<String, Map<String, String>> out = new HashMap<>();
    Matcher div = Pattern.compile("<div [^>]*class=\"chart\"[^>]*>").matcher(dom);
    while (div.find()) {
      Map<String, String> attrs = new HashMap<>();
      Matcher a = Pattern.compile("([a-z-]+)=\"([^\"]*)\"").matcher(div.group());
      while (a.find()) {
        attrs.put(a.group(1), a.group(2).replace("&quot;", "\"").replace("&amp;", "&"));
      }
      out.put(attrs.get("data-metric"), attrs);
    }
    return out;
  }
}
