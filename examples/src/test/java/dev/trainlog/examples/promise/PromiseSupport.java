package dev.trainlog.examples.promise;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBuckets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonValue;
import org.bson.Document;

final class PromiseSupport {

  private PromiseSupport() {}

  static Process child(Path dir, String tag, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(dir.resolve("child-" + tag + ".err").toFile()).start();
  }

  /** "stats <backend> k=v ..." lines to backend -> (k -> v). */
  static Map<String, Map<String, Long>> stats(String out) {
    Map<String, Map<String, Long>> m = new HashMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("stats ")) {
        String[] parts = line.trim().split(" ");
        Map<String, Long> v = new HashMap<>();
        for (int i = 2; i < parts.length; i++) {
          int eq = parts[i].indexOf('=');
          v.put(parts[i].substring(0, eq), Long.parseLong(parts[i].substring(eq + 1)));
        }
        m.put(parts[1], v);
      }
    }
    return m;
  }

  /** step -> list of the bytes of each fs.files entry of (run, key) at that step. */
  static Map<Long, List<byte[]>> gridFsImages(int port, String runId, String key) {
    Map<Long, List<byte[]>> out = new HashMap<>();
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
      MongoDatabase db = client.getDatabase("ai_training_logs");
      var bucket = GridFSBuckets.create(db);
      for (Document f : db.getCollection("fs.files").find(new Document("metadata.run", runId).append("metadata.key", key))) {
        long step = ((Number) f.get("metadata", Document.class).get("step")).longValue();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Object id = f.get("_id");
        bucket.downloadToStream(new org.bson.BsonString(id.toString()), bytes);
        out.computeIfAbsent(step, s -> new ArrayList<>()).add(bytes.toByteArray());
      }
    }
    return out;
  }

  /** step -> number of step documents with a loss for run. */
  static Map<Long, Integer> stepDocs(int port, String runId) {
    Map<Long, Integer> out = new HashMap<>();
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
      for (Document d : client.getDatabase("ai_training_logs").getCollection("experiments")
          .find(new Document("run", runId))) {
        if (((Document) d.get("metrics")).containsKey("loss")) {
          out.merge(((Number) d.get("step")).longValue(), 1, Integer::sum);
        }
      }
    }
    return out;
  }

  static BsonValue unused() {
    return null;
  }
}
