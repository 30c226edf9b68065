package dev.trainlog.examples;

import dev.trainlog.core.LogDispatcher;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Runs two experiments, {@code rank32_exp} and {@code rank64_exp}, with the same YAML (the LoRA rank
 * and experiment come in as variables), then answers the seed's question: which converges faster? Each
 * invocation makes two new runs; the query reads this invocation's.
 */
public final class CompareLoraRanks {

  private CompareLoraRanks() {}

  public static void main(String[] args) throws Exception {
    int steps = Integer.parseInt(LoraTrainingExample.option(args, "--steps", "2000"));
    Thread[] runs = new Thread[2];
    int[] ranks = {32, 64};
    List<String> runIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 2; i++) {
      int rank = ranks[i];
      runs[i] = new Thread(() -> {
        LogDispatcher d = Examples.dispatcher("lora-compare.yaml",
            Map.of("EXPERIMENT", "rank" + rank + "_exp", "LORA_RANK", Integer.toString(rank)));
        runIds.add(d.run().runId());
        Examples.train(d, new LoraSimulator(steps, rank, 1e-4, 4, 7 + rank), steps);
        d.close();
        Examples.printStats(d.stats());
      }, "train-rank" + rank);
      runs[i].start();
    }
    for (Thread t : runs) {
      t.join();
    }
    SeedQueries.withCollection(c -> {
      List<Document> curves = SeedQueries.curves(c, runIds, "rank32_exp", "rank64_exp");
      System.out.println();
      System.out.println("Seed query 2 ($match -> $sort -> $group): one curve per experiment");
      for (Document curve : curves) {
        List<?> stepsList = curve.getList("steps", Object.class);
        List<?> losses = curve.getList("losses", Object.class);
        System.out.printf("  %-11s %4d points, loss at step %s: %.4f, at step %s: %.4f%n", curve.get("_id"),
            stepsList.size(), stepsList.get(0), ((Number) losses.get(0)).doubleValue(),
            stepsList.get(stepsList.size() - 1), ((Number) losses.get(losses.size() - 1)).doubleValue());
      }
    });
    System.out.println("  TensorBoard compares the two runs too:  tensorboard --logdir runs");
    SeedQueries.printTrainlogHints(null);
  }
}
