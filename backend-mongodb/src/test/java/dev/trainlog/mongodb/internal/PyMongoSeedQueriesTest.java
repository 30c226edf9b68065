package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.internal.service.Services;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed document's {@code find} and {@code aggregate}, run by the newest pymongo against the store
 * service. {@code .ci/run} installs pymongo in a venv and names its python in {@value #PYTHON_ENV}; without
 * it the test is skipped with the reason, except in CI ({@code CI=true}) where that is a failure.
 */
class PyMongoSeedQueriesTest {

  /** The python that has pymongo: {@value}; {@code python3} when unset. */
  static final String PYTHON_ENV = "TRAINLOG_PYTHON";

  private static final String SCRIPT = String.join("\n",
      "import sys, pymongo",
      "db = pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=10000).ai_training_logs",
      "for d in db.experiments.find({\"config.model\": \"SDXL\", \"config.lora_rank\": 64, \"metrics.loss\": {\"$lt\": 0.04}}):",
      "    print('find', d['exp_name'], d['step'])",
      "pipeline = [{'$match': {'exp_name': {'$in': ['rank32_exp', 'rank64_exp']}}}, {'$sort': {'step': 1}},",
      "            {'$group': {'_id': '$exp_name', 'steps': {'$push': '$step'}, 'losses': {'$push': '$metrics.loss'}}}]",
      "for d in sorted(db.experiments.aggregate(pipeline), key=lambda d: d['_id']):",
      "    print('curve', d['_id'], d['steps'], d['losses'])",
      "print('pymongo', pymongo.version)",
      "");

  @TempDir Path dir;
  private final Services services = new Services();

  @AfterEach
  void stop() {
    services.stopAll();
  }

  @Test
  void theNewestPymongoRunsTheSeedFindAndAggregateAgainstTheService() throws Exception {
    String python = pythonWithPymongo();
    Path store = services.dir(dir.resolve("mongo"));
    MongoBackendConfig config = MongoBackendConfig.forUri("embedded:" + store);
    SeedQueriesTest.writeSeedRuns(config, dir);
    Path script = Files.writeString(dir.resolve("seed.py"), SCRIPT);

    List<String> lines = run(python, script.toString(), EmbeddedMongo.uriFor(store).orElseThrow());

    assertThat(lines.subList(0, lines.size() - 1)).containsExactlyInAnyOrder(
        "find rank64_exp 2", "find rank64_exp 3",
        "curve rank32_exp [0, 1, 2, 3] [0.09, 0.06, 0.045, 0.041]",
        "curve rank64_exp [0, 1, 2, 3] [0.08, 0.05, 0.039, 0.031]");
    assertThat(lines.get(lines.size() - 1)).startsWith("pymongo 4.");
  }

  private static String pythonWithPymongo() throws Exception {
    String python = System.getenv().getOrDefault(PYTHON_ENV, "python3");
    String why;
    try {
      Process p = new ProcessBuilder(python, "-c", "import pymongo").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      why = p.waitFor() == 0 ? null : "pymongo is not installed for " + python + " (" + lastLine(out) + ")";
    } catch (IOException e) {
      why = "there is no " + python + " (" + e.getMessage() + ")";
    }
    if (why != null) {
      String fix = "; .ci/run installs it in a venv: python3 -m venv V && V/bin/pip install pymongo, then set "
          + PYTHON_ENV + "=V/bin/python";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + fix);
      }
      Assumptions.abort(why + fix);
    }
    return python;
  }

  private static String lastLine(String text) {
    String[] lines = text.split("\n");
    return lines[lines.length - 1];
  }

  private static List<String> run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }
}
