package dev.trainlog.examples;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The main job: a simulated SDXL LoRA fine-tune logging to TensorBoard every step, MongoDB every 10
 * steps (mean-reduced), MLflow every 100 steps when {@code MLFLOW_TRACKING_URI} is set, and a
 * progress line every 250 steps; a generated sample grid every 500 steps (only when a backend wants it) and
 * a LoRA checkpoint file at the end. Arguments: {@code --steps N} (default 3000), {@code --config FILE},
 * {@code --step-ms M} (simulated compute per step, default 1).
 */
public final class LoraTrainingExample {

  private LoraTrainingExample() {}

  public static void main(String[] args) {
    int steps = Integer.parseInt(option(args, "--steps", "3000"));
    String config = option(args, "--config", "lora-sdxl.yaml");
    long stepMillis = Long.parseLong(option(args, "--step-ms", "1"));
    String mlflow = System.getenv("MLFLOW_TRACKING_URI");
    System.out.println("TrainLog example: simulated SDXL LoRA fine-tune, " + steps + " steps (config " + config + ")");
    if (mlflow == null || mlflow.isBlank()) {
      System.out.println("MLflow is off: set MLFLOW_TRACKING_URI=http://<host>:5000 to also log every 100 steps to"
          + " an MLflow tracking server.");
    }

    LogDispatcher dispatcher = Examples.dispatcher(config, Map.of());
    Examples.train(dispatcher, new LoraSimulator(steps, 64, 1e-4, 4, 42), steps, stepMillis, (step, s, record) -> {
      // generating samples is a trainer's most expensive logging: ask first (every 500 steps in lora-sdxl.yaml)
      if (dispatcher.wantsImage("samples/grid", step)) {
        record.image("samples/grid", SampleGrid.render(step, s.loss()));
      }
    });
    dispatcher.artifact(saveCheckpoint(steps), "checkpoints/lora-rank64-step-" + steps + ".safetensors");
    boolean delivered = dispatcher.close(RunStatus.FINISHED);
    Examples.printStats(dispatcher.stats());
    if (!delivered) {
      System.out.println("Some records were not delivered; they are kept in the journal and the next run with the same journal-dir delivers them (see the warnings above).");
    }

    String experiment = dispatcher.run().experiment();
    System.out.println();
    System.out.println("Where the data went:");
    System.out.println("  TensorBoard: " + newestFolder(Path.of("runs", experiment), dispatcher.run().runName())
        + "   ->  tensorboard --logdir runs"
        + "   (in a venv: python3 -m venv .venv && .venv/bin/pip install tensorboard)");
    System.out.println("  JSON lines:  trainlog-data/jsonl/" + experiment + "/ (sample grids and the checkpoint"
        + " under <file>.files/)");
    SeedQueries.withCollection(c -> {
      System.out.println("  MongoDB:     ai_training_logs.experiments holds " + c.countDocuments(
          new Document("exp_name", experiment)) + " documents of " + experiment);
      List<Document> low = SeedQueries.lowLossSdxlRank64(c);
      System.out.println("  Seed query 1: SDXL, lora_rank 64, loss < 0.04 -> " + low.size() + " documents, e.g. steps "
          + low.stream().limit(5).map(d -> d.get("step").toString()).toList());
    });
    System.out.println("  Compare rank 32 and rank 64 (the seed's second query):  mvn -B -ntp -q -pl examples -am -DskipTests"
        + " package exec:java -Dexec.mainClass=dev.trainlog.examples.CompareLoraRanks");
    SeedQueries.printTrainlogHints(dispatcher.run().runId());
  }

  /** Stands in for saving the LoRA's weights: a small file TrainLog copies before the call returns. */
  private static Path saveCheckpoint(int steps) {
    try {
      Path dir = Files.createDirectories(Path.of("trainlog-data", "checkpoints"));
      byte[] weights = new byte[64 * 1024];
      new java.util.Random(steps).nextBytes(weights);
      return Files.write(dir.resolve("lora-rank64.safetensors"), weights);
    } catch (IOException e) {
      throw new UncheckedIOException("could not save the example checkpoint", e);
    }
  }

  static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  /**
   * The folder of {@code runName} under {@code parent} written last: {@code runName}, or {@code runName-2},
   * {@code -3}... when earlier runs of the same name hold the others (TensorBoard's backend never mixes two runs).
   */
  static String newestFolder(Path parent, String runName) {
    try (java.util.stream.Stream<Path> dirs = java.nio.file.Files.list(parent)) {
      return dirs.filter(d -> d.getFileName().toString().equals(runName)
              || d.getFileName().toString().matches(java.util.regex.Pattern.quote(runName) + "-[0-9]+"))
          .max(java.util.Comparator.comparing(d -> d.toFile().lastModified()))
          .map(Path::toString).orElse(parent.resolve(runName).toString());
    } catch (java.io.IOException e) {
      return parent.resolve(runName).toString();
    }
  }
}
