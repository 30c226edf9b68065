package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import dev.trainlog.api.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code trainlog store copy --to mongodb://...}: copies an embedded store's steps and runs into a real
 * MongoDB, run by run, idempotent by {@code _id}: a run the target already holds whole is skipped, so an
 * interrupted copy goes on where it stopped when started again.
 */
@Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Copy an embedded store (steps and runs) into a real MongoDB, run by run; run it again after an"
        + " interruption and it copies only what is missing.")
final class StoreCopyCommand implements Callable<Integer> {

  /** Documents per insert: {@value}. */
  static final int BATCH = 1000;

  @ParentCommand StoreCommand store;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--to", required = true, paramLabel = "URI", description = "The target: a mongodb:// or"
      + " mongodb+srv:// URI (replica set, auth and TLS options as MongoDB takes them).")
  String to;

  @Override
  public Integer call() {
    StoreSpec from = storeOptions.spec();
    StoreStatusCommand.embeddedDir(from, "copy");
    StoreSpec target = new StoreSpec(to, from.database(), from.collection(), from.runsCollection(),
        Duration.ofSeconds(Math.max(10, from.timeout().toSeconds())));
    var out = store.root.out;
    try (Store source = Store.open(from); Store sink = Store.open(target)) {
      List<Document> runs = source.runs().find().into(new ArrayList<>());
      Set<String> runIds = new LinkedHashSet<>();
      runs.forEach(r -> runIds.add(r.getString(RUN)));
      out.println("copying " + runIds.size() + " run(s) of " + from.uri() + " to " + sink.description());
      long copied = 0;
      int done = 0;
      for (String run : runIds) {
        done++;
        long have = source.steps().countDocuments(new Document(RUN, run));
        long there = sink.steps().countDocuments(new Document(RUN, run));
        long added = there >= have ? 0 : copyRun(source.steps(), sink.steps(), run);
        copied += added;
        out.println(bar(done, runIds.size()) + " " + run + ": " + have + " step(s), "
            + (added == 0 && there >= have ? "already there" : added + " copied"));
        out.flush();
      }
      for (Document r : runs) {
        // runs entries change while a run goes on: the newest copy wins
        sink.runs().replaceOne(new Document("_id", r.get("_id")), r, new ReplaceOptions().upsert(true));
      }
      out.println("copied " + copied + " step document(s) and " + runs.size() + " runs entr"
          + (runs.size() == 1 ? "y" : "ies") + "; point the YAML's uri at " + Secrets.redactText(to));
      return ExitCodes.OK;
    }
  }

  private static long copyRun(MongoCollection<Document> from, MongoCollection<Document> to, String run) {
    long inserted = 0;
    List<Document> batch = new ArrayList<>(BATCH);
    for (Document d : from.find(new Document(RUN, run)).batchSize(BATCH)) {
      batch.add(d);
      if (batch.size() == BATCH) {
        inserted += insert(to, batch);
        batch = new ArrayList<>(BATCH);
      }
    }
    if (!batch.isEmpty()) {
      inserted += insert(to, batch);
    }
    return inserted;
  }

  /** Inserts what is missing; a document already there by its {@code _id} is skipped (that is the resume). */
  private static long insert(MongoCollection<Document> to, List<Document> batch) {
    try {
      to.insertMany(batch, new InsertManyOptions().ordered(false));
      return batch.size();
    } catch (MongoBulkWriteException e) {
      long duplicates = e.getWriteErrors().stream().filter(w -> w.getCode() == 11000).count();
      if (duplicates < e.getWriteErrors().size()) {
        throw e;
      }
      return batch.size() - duplicates;
    }
  }

  private static String bar(int done, int total) {
    int width = 20;
    int filled = total == 0 ? width : done * width / total;
    return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total;
  }
}
