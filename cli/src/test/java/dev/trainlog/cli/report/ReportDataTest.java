package dev.trainlog.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded JSON: the issue's shape, non-finite values as strings, only differing config keys. */
class ReportDataTest {

  @Test
  void seriesCarryTheIssueShapeWithNonFiniteValuesAsStrings() {
    Curve c = new Curve("e", "r1", "n", "loss", new long[] {1, 2, 3, 4}, new long[] {0, 1000, 2000, 3000},
        new double[] {1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
    Map<String, Object> data = ReportData.of(new ReportInput("t", List.of("loss"), List.of(c), Map.of(), List.of(),
        "step", 0));
    @SuppressWarnings("unchecked")
    Map<String, Object> s = ((List<Map<String, Object>>) data.get("series")).get(0);
    assertThat(s.keySet()).containsExactly("experiment", "run", "name", "metric", "steps", "values");
    assertThat(s.get("values")).isEqualTo(List.of(1.5, "NaN", "Infinity", "-Infinity"));
    assertThat(s.get("steps")).isEqualTo(List.of(1L, 2L, 3L, 4L));
  }

  @Test
  void withTimeOnTheXAxisSeriesAlsoCarrySecondsSinceTheirFirstPoint() {
    Curve c = new Curve("e", "r1", "n", "loss", new long[] {10, 20}, new long[] {5_000, 6_500}, new double[] {1, 2});
    Map<String, Object> data = ReportData.of(new ReportInput("t", List.of("loss"), List.of(c), Map.of(), List.of(),
        "time", 0.6));
    @SuppressWarnings("unchecked")
    Map<String, Object> s = ((List<Map<String, Object>>) data.get("series")).get(0);
    assertThat(s.get("times")).isEqualTo(List.of(0.0, 1.5));
    assertThat(data).containsEntry("x", "time").containsEntry("smooth", 0.6);
  }

  @Test
  void theConfigDiffHoldsOnlyKeysThatDifferOrAreAbsentSomewhere() {
    Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
    configs.put("a", Map.of("model", "SDXL", "lora_rank", 32));
    configs.put("b", Map.of("model", "SDXL", "lora_rank", 64, "ema", 0.99));
    Map<String, Object> rank = new LinkedHashMap<>();
    rank.put("a", 32);
    rank.put("b", 64);
    Map<String, Object> ema = new LinkedHashMap<>();
    ema.put("a", null);
    ema.put("b", 0.99);
    assertThat(ReportData.configDiff(configs)).containsOnlyKeys("lora_rank", "ema")
        .containsEntry("lora_rank", rank).containsEntry("ema", ema);
  }
}
