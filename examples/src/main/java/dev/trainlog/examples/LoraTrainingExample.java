package dev.trainlog.examples;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The main job: a simulated SDXL LoRA fine-tune logging to TensorBoard every step, MongoDB every 10
 * steps (mean-reduced), MLflow every 100 steps when {@code MLFLOW_TRACKING_URI} is set, and a
 * progress line every 250 steps. Arguments: {@code --steps N} (default 3000), {@code --config FILE},
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
    Examples.train(dispatcher, new LoraSimulator(steps, 64, 1e-4, 4, 42), steps, stepMillis);
    boolean delivered = dispatcher.close(RunStatus.FINISHED);
    Examples.printStats(dispatcher.stats());
    if (!delivered) {
      System.out.println("Some records were not delivered; they are kept in the journal and the next run with the same journal-dir delivers them (see the warnings above).");
    }

    String experiment = dispatcher.run().experiment();
    System.out.println();
    System.out.println("Where the data went:");
    System.out.println("  TensorBoard: runs/" + experiment + "/" + dispatcher.run().runName()
        + "   ->  tensorboard --logdir runs"
        + "   (in a venv: python3 -m venv .venv && .venv/bin/pip install tensorboard)");
    System.out.println("  JSON lines:  trainlog-data/jsonl/" + experiment + "/");
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

  static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
