package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.trainlog.cli.TestMongo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportTensorBoardTest {

  /** Wall time of the generated run's step 0, seconds. */
  private static final double BASE = 1_764_950_000.0;

  @TempDir Path tmp;
  private TestMongo mongo;
  private Path logs;
  private Path yaml;

  @BeforeEach
  void setUp() throws IOException {
    mongo = new TestMongo();
    logs = Fixtures.copyLogs(tmp.resolve("logs"));
    writeLongRun(logs.resolve("gen").resolve("long"), 250);
    yaml = Fixtures.yaml(tmp, ""
        + "  mongo: {type: mongodb, sample: {every: 10, reduce: mean}, uri: '" + mongo.uri + "'}\n"
        + "  lines: {type: jsonl, sample: {every: 100},"
        + " path: '" + tmp.resolve("jsonl") + "/${TRAINLOG_EXPERIMENT}/${TRAINLOG_RUN_NAME}.jsonl'}\n");
  }

  @AfterEach
  void tearDown() {
    mongo.close();
  }

  /** Like PyTorch's SummaryWriter: one event per add_scalar, so each step is two events. */
  private static void writeLongRun(Path dir, int steps) throws IOException {
    TbEventWriter w = new TbEventWriter(dir.resolve("events.out.tfevents.1764950000.trainer-7.42.0"));
    for (int s = 0; s < steps; s++) {
      w.scalars(s, BASE + s, Map.of("loss", (double) s));
      w.scalars(s, BASE + s, Map.of("lr", 0.5));
    }
  }

  @Test
  void everyRunIsSentThroughEachBackendsSamplingWithItsNamesHyperparametersStatusAndWallTimes() throws Exception {
    Fixtures.Result r = Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("imported 8 runs, ")
        // tensorboardX's and PyTorch's add_image are PNGs and travel on; tb/run's "\x89PNG not really" is skipped
        .contains("skipped: hparams/experiment 2, image 1, pr_curves 1");
    MongoCollection<Document> steps = mongo.db().getCollection("experiments");
    MongoCollection<Document> runs = mongo.db().getCollection("runs");
    // every 10 with the mean of the steps folded into each kept one; what is left is folded into one at close
    Document long0 = runs.find(Filters.eq("run_name", "long")).first();
    assertThat(long0).containsEntry("exp_name", "gen").containsEntry("status", "finished")
        .containsEntry("node", "trainer-7");
    List<Document> kept = steps.find(Filters.eq("run", long0.getString("run"))).sort(Sorts.ascending("step"))
        .into(new ArrayList<>());
    assertThat(kept).extracting(d -> d.getLong("step")).containsExactlyElementsOf(expectedKeptSteps());
    assertThat(metric(kept.get(0), "loss")).isEqualTo(0.0);
    assertThat(metric(kept.get(1), "loss")).isEqualTo(5.5);  // steps 1..10
    assertThat(metric(kept.get(24), "loss")).isEqualTo(235.5);  // steps 231..240
    assertThat(metric(kept.get(25), "loss")).isEqualTo(245.0);  // steps 241..249, at close
    assertThat(metric(kept.get(3), "lr")).isEqualTo(0.5);
    // a kept step keeps its own wall time
    assertThat(kept.get(1).getDate("timestamp")).isEqualTo(new Date((long) ((BASE + 10) * 1000)));
    // every 100 in JSON lines, without reduce: the steps in between are left out
    List<JsonNode> lines = Fixtures.jsonLines(tmp.resolve("jsonl/gen/long.jsonl"));
    assertThat(lines).extracting(l -> l.get("step").asLong()).containsExactly(0L, 100L, 200L);
    assertThat(lines.get(1).get("metrics").get("loss").asDouble()).isEqualTo(100.0);

    JsonNode expected = Fixtures.expected();
    for (Map.Entry<String, JsonNode> e : expected.properties()) {
      // add_hparams' timestamp directory belongs to its parent run
      boolean addHParams = e.getKey().matches(".*/\\d+\\.\\d+");
      Path dir = addHParams ? logs.resolve(e.getKey()).getParent() : logs.resolve(e.getKey());
      Document run = runs.find(Filters.eq("run", RunNaming.runId(dir))).first();
      assertThat(run).as(e.getKey()).isNotNull();
      assertThat(run.getString("exp_name")).isEqualTo(dir.getParent().getFileName().toString());
      assertThat(run.getString("run_name")).isEqualTo(dir.getFileName().toString());
      JsonNode end = e.getValue().get("session_end");
      assertThat(run.getString("status")).as(e.getKey())
          .isEqualTo(end != null && end.asText().equals("FAILURE") ? "failed" : "finished");
      JsonNode hparams = e.getValue().get("hparams");
      if (hparams != null && hparams.isObject()) {
        Document config = run.get("config", Document.class);
        hparams.properties().forEach(h -> assertThat(config.get(h.getKey())).as(h.getKey())
            .isEqualTo(h.getValue().isNumber() ? integralOrDouble(h.getValue().asDouble())
                : h.getValue().isBoolean() ? (Object) h.getValue().asBoolean() : h.getValue().asText()));
      }
      if (addHParams) {
        continue; // its metric goes at the parent's last step: AddHParamsTest
      }
      // the first step of a run is kept by every 10 with nothing folded into it: the values as written
      Map<String, Double> firstStep = new LinkedHashMap<>();
      long first = Long.MAX_VALUE;
      JsonNode firstWall = null;
      for (JsonNode s : e.getValue().get("scalars")) {
        if (s.get("step").asLong() < first) {
          first = s.get("step").asLong();
          firstWall = s.get("wall_time");
          firstStep.clear();
        }
        if (s.get("step").asLong() == first) {
          double v = s.get("value").asDouble();
          firstStep.put(s.get("tag").asText(), s.get("precision").asText().equals("float32") ? (float) v : v);
        }
      }
      Document doc = steps.find(Filters.and(Filters.eq("run", run.getString("run")), Filters.eq("step", first)))
          .first();
      assertThat(doc).as(e.getKey()).isNotNull();
      firstStep.forEach((tag, v) -> assertThat(metric(doc, tag)).as(e.getKey() + " " + tag).isEqualTo(v));
      if (firstWall != null && firstWall.isNumber()) { // add_hparams' metrics are written at the writer's time
        assertThat(doc.getDate("timestamp")).isEqualTo(new Date(Math.round(firstWall.asDouble() * 1000)));
      }
    }
  }

  /** PyTorch writes every number as a double; an integral one is read back as an integer. */
  private static Object integralOrDouble(double v) {
    return v == Math.rint(v) ? (Object) (long) v : (Object) v;
  }

  @Test
  void importingTheSameDirectoryAgainAddsNothingAndWarnsOfNoStepGoingBack() throws Exception {
    assertThat(Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString()).code()).isZero();
    long stepDocs = mongo.db().getCollection("experiments").countDocuments();
    long runDocs = mongo.db().getCollection("runs").countDocuments();
    long lines = allJsonLines();
    assertThat(stepDocs).isGreaterThan(26);
    assertThat(runDocs).isEqualTo(8);

    Fixtures.Result again;
    String logged;
    try (CapturedStderr stderr = new CapturedStderr()) {
      again = Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString());
      logged = stderr.text();
    }

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(logged).doesNotContain("lower than step", "on-step-regression");
    assertThat(mongo.db().getCollection("experiments").countDocuments()).isEqualTo(stepDocs);
    assertThat(mongo.db().getCollection("runs").countDocuments()).isEqualTo(runDocs);
    assertThat(allJsonLines()).isEqualTo(lines);
  }

  @Test
  void experimentGivenOnTheCommandLineNamesEveryRunsExperiment() throws Exception {
    Fixtures.Result r = Fixtures.run("import", "tensorboard", logs.resolve("torch").toString(), "--config",
        yaml.toString(), "--experiment", "sdxl-lora");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(mongo.db().getCollection("runs").distinct("exp_name", String.class).into(new ArrayList<>()))
        .containsExactly("sdxl-lora");
    assertThat(r.out()).contains("run/pair_train: 1 run, ");
  }

  @Test
  void aDirectoryWithoutEventFilesIsRefusedByName() throws Exception {
    Files.createDirectories(tmp.resolve("empty"));

    Fixtures.Result r = Fixtures.run("import", "tensorboard", tmp.resolve("empty").toString(), "--config",
        yaml.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("trainlog: " + tmp.resolve("empty")
        + " holds no TensorBoard event files (no file name contains 'tfevents')" + System.lineSeparator());
  }

  private long allJsonLines() throws IOException {
    try (Stream<Path> files = Files.walk(tmp.resolve("jsonl"))) {
      return files.filter(Files::isRegularFile).mapToLong(f -> Fixtures.jsonLines(f).size()).sum();
    }
  }

  private static List<Long> expectedKeptSteps() {
    List<Long> s = new ArrayList<>();
    for (long i = 0; i <= 240; i += 10) {
      s.add(i);
    }
    s.add(249L);
    return s;
  }

  private static double metric(Document d, String key) {
    return ((Number) d.get("metrics", Document.class).get(key)).doubleValue();
  }
}
