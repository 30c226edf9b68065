package dev.trainlog.tensorboard.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the files the real Python writers made (tensorboardX, PyTorch, tensorboard's EventFileWriter;
 * see tb-fixtures/make_fixtures.py) and compares them with what those writers were given
 * (expected.json), not with anything this reader produced.
 */
class FixtureReadTest {

  private static JsonNode expected;
  private static Map<String, TbRun> runs;

  @BeforeAll
  static void scan() throws Exception {
    expected = new ObjectMapper().readTree(ReadAll.fixtures().resolve("expected.json").toFile()).get("runs");
    runs = new LinkedHashMap<>();
    for (TbRun run : TensorBoardLogDir.scan(ReadAll.fixtures().resolve("logs"))) {
      runs.put(run.name(), run);
    }
  }

  private static List<String> expectedRunNames() {
    List<String> names = new ArrayList<>();
    expected.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void everyDirectoryTheWritersMadeIsARunNamedByItsRelativePath() {
    assertThat(runs.keySet()).containsExactlyElementsOf(expectedRunNames().stream().sorted().toList())
        .contains("tbx/run/pair/train", "tbx/run/pair/val", "torch/run/pair_train", "torch/run/pair_val");
    assertThat(runs.keySet()).filteredOn(n -> n.matches("(tbx|torch)/run/\\d+\\.\\d+"))
        .as("add_hparams' timestamp sub-directories").hasSize(2);
    for (String name : expectedRunNames()) {
      List<String> files = new ArrayList<>();
      expected.get(name).get("files").forEach(f -> files.add(f.asText()));
      assertThat(runs.get(name).eventFiles()).as(name).extracting(p -> p.getFileName().toString())
          .containsExactlyElementsOf(files);
      assertThat(runs.get(name).directory()).isEqualTo(ReadAll.fixtures().resolve("logs").resolve(name));
    }
    assertThat(runs.get("tb/run").eventFiles()).as("several files, in name order").hasSize(2);
  }

  @Test
  void everyScalarIsReadBackValueForValueWithItsTagStepAndWallTime() throws Exception {
    for (String name : expectedRunNames()) {
      List<String> want = new ArrayList<>();
      List<Boolean> hasWallTime = new ArrayList<>();
      for (JsonNode s : expected.get(name).get("scalars")) {
        double value = number(s.get("value"));
        if (s.get("precision").asText().equals("float32")) {
          value = (float) value;
        }
        boolean wall = !s.get("wall_time").isNull();
        hasWallTime.add(wall);
        want.add(scalar(s.get("tag").asText(), s.get("step").asLong(), wall ? s.get("wall_time").asDouble() : null, value));
      }
      List<String> got = new ArrayList<>();
      for (TbRecord r : ReadAll.run(runs.get(name))) {
        r.scalars().forEach((tag, value) -> {
          Double wall = got.size() < hasWallTime.size() && !hasWallTime.get(got.size()) ? null : r.wallTime();
          got.add(scalar(tag, r.step(), wall, value));
        });
      }
      assertThat(got).as(name).containsExactlyElementsOf(want);
    }
    assertThat(String.join(",", expected.findValuesAsText("value"))).contains("NaN", "Infinity", "-Infinity");
  }

  private static String scalar(String tag, long step, Double wallTime, double value) {
    return tag + " step " + step + " at " + wallTime + ": " + value;
  }

  @Test
  void histogramsOfBothFormsAreReadBack() throws Exception {
    int checked = 0;
    for (String name : expectedRunNames()) {
      Map<String, TbRecord> byTag = new HashMap<>();
      for (TbRecord r : ReadAll.run(runs.get(name))) {
        r.histograms().keySet().forEach(tag -> byTag.put(tag, r));
      }
      assertThat(byTag).as(name).hasSize(expected.get(name).get("histograms").size());
      for (JsonNode h : expected.get(name).get("histograms")) {
        TbRecord r = byTag.get(h.get("tag").asText());
        assertThat(r.step()).isEqualTo(h.get("step").asLong());
        assertThat(r.wallTime()).isEqualTo(h.get("wall_time").asDouble());
        TbHistogram got = r.histograms().get(h.get("tag").asText());
        double total = 0;
        for (double c : got.bucketCounts()) {
          total += c;
        }
        assertThat(got.bucketLimits()).hasSameSizeAs(got.bucketCounts());
        assertThat(total).as("bucket counts add up to num").isEqualTo(got.num());
        if (h.has("buckets")) {
          JsonNode rows = h.get("buckets");
          assertThat(got.min()).isEqualTo(rows.get(0).get(0).asDouble());
          assertThat(got.max()).isEqualTo(rows.get(rows.size() - 1).get(1).asDouble());
          for (int i = 0; i < rows.size(); i++) {
            assertThat(got.bucketLimits()[i]).isEqualTo(rows.get(i).get(1).asDouble());
            assertThat(got.bucketCounts()[i]).isEqualTo(rows.get(i).get(2).asDouble());
          }
          assertThat(got.sum()).as("a tensor histogram holds no sum").isNaN();
        } else {
          assertClose(got.min(), h.get("min").asDouble());
          assertClose(got.max(), h.get("max").asDouble());
          assertClose(got.num(), h.get("num").asDouble());
          assertClose(got.sum(), h.get("sum").asDouble());
          assertClose(got.sumSquares(), h.get("sum_squares").asDouble());
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(3);
  }

  private static void assertClose(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
  }

  @Test
  void textsAreReadBackWithTheirTagStepAndWallTime() throws Exception {
    for (String name : expectedRunNames()) {
      List<String> want = new ArrayList<>();
      for (JsonNode t : expected.get(name).get("texts")) {
        want.add(t.get("tag").asText() + " " + t.get("step").asLong() + " " + t.get("wall_time").asDouble() + " "
            + t.get("text").asText());
      }
      List<String> got = new ArrayList<>();
      for (TbRecord r : ReadAll.run(runs.get(name))) {
        r.texts().forEach((tag, text) -> got.add(tag + " " + r.step() + " " + r.wallTime() + " " + text));
      }
      assertThat(got).as(name).containsExactlyElementsOf(want);
    }
  }

  @Test
  void hparamsSessionsAreReadWithTheirHyperparametersAndEndStatus() throws Exception {
    int sessions = 0;
    for (String name : expectedRunNames()) {
      JsonNode run = expected.get(name);
      List<TbSessionStart> starts = new ArrayList<>();
      List<String> ends = new ArrayList<>();
      for (TbRecord r : ReadAll.run(runs.get(name))) {
        if (r.sessionStart() != null) {
          starts.add(r.sessionStart());
        }
        if (r.sessionEndStatus() != null) {
          ends.add(r.sessionEndStatus());
        }
      }
      if (run.get("hparams").isNull()) {
        assertThat(starts).as(name).isEmpty();
        assertThat(ends).as(name).isEmpty();
        continue;
      }
      Map<String, Object> want = new LinkedHashMap<>();
      run.get("hparams").properties().forEach(e -> want.put(e.getKey(),
          e.getValue().isBoolean() ? (Object) e.getValue().asBoolean()
              : e.getValue().isNumber() ? (Object) e.getValue().asDouble() : e.getValue().asText()));
      assertThat(starts).as(name).hasSize(1);
      assertThat(starts.get(0).hparams()).as(name).isEqualTo(want);
      if (run.has("group_name")) {
        assertThat(starts.get(0).groupName()).isEqualTo(run.get("group_name").asText());
      }
      assertThat(ends).as(name).containsExactly(run.get("session_end").asText());
      sessions++;
    }
    assertThat(sessions).isEqualTo(3);
  }

  /**
   * The fixtures' generator counted every image as skipped; the reader now reads PNG and JPEG images
   * (tensorboardX's and PyTorch's add_image), and skips only tb/run's "\x89PNG not really".
   */
  @Test
  void summariesOfOtherKindsAreCountedByKind() throws Exception {
    Map<String, Long> imagesRead = Map.of("tbx/run", 1L, "torch/run", 1L);
    for (String name : expectedRunNames()) {
      Map<String, Long> want = new HashMap<>();
      expected.get(name).get("skipped").properties().forEach(e -> want.put(e.getKey(), e.getValue().asLong()));
      long read = imagesRead.getOrDefault(name, 0L);
      if (read > 0) {
        want.computeIfPresent("image", (k, n) -> n == read ? null : n - read);
      }
      Map<String, Long> got = new HashMap<>();
      for (Path file : runs.get(name).eventFiles()) {
        try (EventFileReader reader = EventFileReader.open(file)) {
          for (TbRecord r; (r = reader.next()) != null; ) {
            if (!r.images().isEmpty()) {
              assertThat(r.images().get("img").format()).isEqualTo(dev.trainlog.api.Image.Format.PNG);
              assertThat(r.images().get("img").width()).isEqualTo(2);
              assertThat(r.images().get("img").height()).isEqualTo(2);
              got.merge("read image", 1L, Long::sum);
            }
          }
          reader.skippedKinds().forEach((k, n) -> got.merge(k, n, Long::sum));
          assertThat(reader.crcErrors()).isZero();
        }
      }
      if (read > 0) {
        want.put("read image", read);
      }
      assertThat(got).as(name).isEqualTo(want);
    }
    assertThat(runs.get("tb/run").eventFiles()).isNotEmpty();
  }

  @Test
  void everyFileStartsWithItsFileVersionEvent() throws Exception {
    for (TbRun run : runs.values()) {
      for (Path file : run.eventFiles()) {
        TbRecord first = ReadAll.file(file).get(0);
        assertThat(first.offset()).isZero();
        assertThat(first.fileVersion()).as(file.toString()).isEqualTo("brain.Event:2");
        assertThat(first.hasValues()).isFalse();
      }
    }
  }

  private static double number(JsonNode v) {
    if (v.isTextual()) {
      return switch (v.asText()) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> throw new IllegalArgumentException("not a number: " + v);
      };
    }
    return v.asDouble();
  }
}
