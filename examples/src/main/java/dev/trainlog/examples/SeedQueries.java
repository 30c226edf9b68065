package dev.trainlog.examples;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.trainlog.mongodb.EmbeddedMongo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.bson.Document;

/** The queries of the seed document, run against what an example logged. */
final class SeedQueries {

  /** Where the examples' embedded MongoDB keeps its files (matches the bundled YAML). */
  static final String EMBEDDED_DIR = "trainlog-data/mongo";

  private SeedQueries() {}

  /** Runs {@code body} with the examples' collection: on {@code MONGO_URI} if set, else the embedded store. */
  static void withCollection(Consumer<MongoCollection<Document>> body) {
    String uri = System.getenv("MONGO_URI");
    if (uri != null && !uri.isBlank() && !uri.startsWith(EmbeddedMongo.SCHEME)) {
      try (MongoClient client = MongoClients.create(uri)) {
        body.accept(client.getDatabase("ai_training_logs").getCollection("experiments"));
      }
      return;
    }
    try (EmbeddedMongo.EmbeddedClient embedded = EmbeddedMongo.openClient(Path.of(EMBEDDED_DIR))) {
      body.accept(embedded.client().getDatabase("ai_training_logs").getCollection("experiments"));
    }
  }

  /** {@code find({"config.model": "SDXL", "config.lora_rank": 64, "metrics.loss": {$lt: 0.04}})}. */
  static List<Document> lowLossSdxlRank64(MongoCollection<Document> c) {
    return c.find(Document.parse("{\"config.model\": \"SDXL\", \"config.lora_rank\": 64, \"metrics.loss\": {$lt: 0.04}}"))
        .into(new ArrayList<>());
  }

  /** The seed's comparison: one curve (steps, losses) per experiment. */
  static List<Document> curves(MongoCollection<Document> c, List<String> runIds, String... experiments) {
    return c.aggregate(Arrays.asList(
        new Document("$match", new Document("exp_name", new Document("$in", Arrays.asList(experiments)))
            .append("run", new Document("$in", runIds))),
        new Document("$sort", new Document("step", 1)),
        new Document("$group", new Document("_id", "$exp_name")
            .append("steps", new Document("$push", "$step"))
            .append("losses", new Document("$push", "$metrics.loss"))))).into(new ArrayList<>());
  }

  /** Per-node resource use across the ranks of one run. */
  static List<Document> perNode(MongoCollection<Document> c, String experiment, String runId) {
    return c.aggregate(Arrays.asList(
        new Document("$match", new Document("exp_name", experiment).append("run", runId)),
        new Document("$group", new Document("_id", "$node")
            .append("ranks", new Document("$addToSet", "$rank"))
            .append("documents", new Document("$sum", 1))
            .append("avg_memory_mb", new Document("$avg", "$metrics.memory_mb"))
            .append("max_loss", new Document("$max", "$metrics.loss"))),
        new Document("$sort", new Document("_id", 1)))).into(new ArrayList<>());
  }

  /** Where to look next: the {@code trainlog} command line, run from the repository root. */
  static void printTrainlogHints(String runId) {
    System.out.println();
    System.out.println("Look at your runs (from the repository root; the first call builds the command, about a minute):");
    System.out.println("  ./trainlog runs                      one line per run: status, duration, last step, last loss");
    if (runId != null) {
      System.out.println("  ./trainlog show " + runId + "   config, tags and a summary of every metric");
    }
    System.out.println("  ./trainlog compare rank32_exp rank64_exp --metric loss --out compare.html"
        + "   an HTML report, open it in a browser");
    System.out.println("  ./trainlog serve                     prints the store's mongodb:// URI, for mongosh, Compass or pandas");
  }
}
