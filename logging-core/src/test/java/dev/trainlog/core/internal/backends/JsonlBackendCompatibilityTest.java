package dev.trainlog.core.internal.backends;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.BackendCompatibilityKit;
import dev.trainlog.testkit.StoredRecord;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlBackendCompatibilityTest extends BackendCompatibilityKit {

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  private Path file() {
    return dir.resolve("out").resolve("metrics.jsonl");
  }

  @Override
  protected LogBackend newBackend(RunInfo run) {
    return new JsonlBackend(file());
  }

  @Override
  protected List<StoredRecord> readBack(RunInfo run) throws Exception {
    List<StoredRecord> records = new ArrayList<>();
    for (String line : Files.readAllLines(file())) {
      JsonNode doc = json.readTree(line);
      Map<String, Double> scalars = new LinkedHashMap<>();
      collect("", doc.get("metrics"), scalars);
      records.add(new StoredRecord(doc.get("step").asLong(), scalars));
    }
    return records;
  }

  private static void collect(String prefix, JsonNode node, Map<String, Double> out) {
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      JsonNode v = f.getValue();
      String key = prefix + f.getKey();
      if (v.isNumber()) {
        out.put(key, v.asDouble());
      } else if (v.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(v.asText())) {
        out.put(key, Double.parseDouble(v.asText()));
      } else if (v.isObject()) {
        collect(key + "/", v, out);
      }
    }
  }

  @Override
  protected void breakStore() throws Exception {
    // a directory where the file should be: opening it for append fails, even for root
    Files.move(file(), dir.resolve("moved.jsonl"));
    Files.createDirectories(file());
  }

  @Override
  protected void repairStore() throws Exception {
    Files.delete(file());
    Files.move(dir.resolve("moved.jsonl"), file());
  }

  @Test
  void aLineHoldsIdentityTimeAndMetricsAsLogged() throws Exception {
    RunInfo run = TestRecords.run("sd-lora", "r64");
    LogBackend backend = newBackend(run);
    backend.open();
    backend.write(List.of(TestRecords.everyKind(run, 3)));

    assertThat(Files.readAllLines(file())).containsExactly("{\"_id\":\"sd-lora-r64-id/0/3/3\",\"exp_name\":\"sd-lora\","
        + "\"run\":\"sd-lora-r64-id\",\"run_name\":\"r64\",\"rank\":0,\"node\":\"node-0\",\"step\":3,\"seq\":3,"
        + "\"timestamp\":\"2026-01-01T00:00:03Z\",\"metrics\":{\"loss\":0.75,\"gpu_util\":[78.0,82.0,76.0,80.0],"
        + "\"sample_caption\":\"a cat in anime style\",\"eval\":{\"accuracy\":0.75,\"note\":\"ok\"}}}");
  }

  @Test
  void everyLineStartsWithItsObjectAndTheRunIsTheRunIdAsInMongoDb() throws Exception {
    RunInfo run = TestRecords.run("sd-lora", "r64");
    LogBackend backend = newBackend(run);
    backend.open();
    backend.write(List.of(TestRecords.record(run, 1, Map.of("loss", 0.5)), TestRecords.record(run, 2, Map.of("loss", 0.4)),
        TestRecords.record(run, 3, Map.of("loss", 0.3))));

    List<String> lines = Files.readAllLines(file());
    assertThat(lines).hasSize(3).allMatch(l -> l.startsWith("{\"_id\":"));
    assertThat(lines).allMatch(l -> l.contains("\"run\":\"" + run.runId() + "\""));
  }

  @Test
  void recordsARestartDeliversAgainAreNotWrittenTwiceAndACutLastLineIsRemoved() throws Exception {
    RunInfo run = TestRecords.run("sd-lora", "r64");
    LogBackend first = newBackend(run);
    first.open();
    first.write(List.of(TestRecords.record(run, 1, Map.of("loss", 0.5)), TestRecords.record(run, 2, Map.of("loss", 0.4))));
    Files.writeString(file(), "{\"_id\":\"cut short by a cr", java.nio.file.StandardOpenOption.APPEND);

    LogBackend second = newBackend(run);
    second.open();
    second.write(List.of(TestRecords.record(run, 2, Map.of("loss", 0.4)), TestRecords.record(run, 3, Map.of("loss", 0.3))));

    assertThat(Files.readAllLines(file())).hasSize(3).extracting(l -> l.replaceAll(".*\"step\":(\\d+).*", "$1"))
        .containsExactly("1", "2", "3");
  }
}
