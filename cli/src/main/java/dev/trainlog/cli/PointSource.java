package dev.trainlog.cli;

import static dev.trainlog.mongodb.StoreSchema.STEP;

import dev.trainlog.mongodb.StoreSchema;
import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * New step documents of one run and rank: from a change stream where the server has one (a replica
 * set, Atlas, the embedded store), else by polling for steps above the last one seen.
 */
interface PointSource extends AutoCloseable {

  /** The documents that arrived since the last call, in order; may be empty. */
  List<Document> next();

  /** {@code change stream} or {@code polling}, for the header line. */
  String how();

  @Override
  void close();

  /** The value at a dotted path of a step document's nested documents, or null. */
  static Object at(Document d, String path) {
    Object v = d;
    for (String part : path.split("\\.")) {
      if (!(v instanceof Document doc)) {
        return null;
      }
      v = doc.get(part);
    }
    return v;
  }

  /** A change stream if the server offers one, else polling from {@code afterStep}. */
  static PointSource open(MongoCollection<Document> steps, Document runFilter, long afterStep) {
    Document match = new Document("operationType", "insert");
    runFilter.forEach((k, v) -> match.append("fullDocument." + k, v));
    try {
      MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor = steps.watch(List.of(new Document("$match", match)))
          .maxAwaitTime(200, TimeUnit.MILLISECONDS).cursor();
      return new ChangeStream(cursor, new Polling(steps, runFilter, afterStep));
    } catch (MongoException e) {
      return new Polling(steps, runFilter, afterStep);
    }
  }

  /** Reads the change stream; once at start it also polls, for points written between the first read and the stream's start. */
  final class ChangeStream implements PointSource {
    private final MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor;
    private Polling catchUp;
    private long lastStep;

    ChangeStream(MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor, Polling catchUp) {
      this.cursor = cursor;
      this.catchUp = catchUp;
      this.lastStep = catchUp.lastStep;
    }

    @Override
    public List<Document> next() {
      List<Document> out = new ArrayList<>();
      if (catchUp != null) {
        out.addAll(catchUp.next());
        lastStep = catchUp.lastStep;
        catchUp = null;
      }
      ChangeStreamDocument<Document> change;
      while ((change = cursor.tryNext()) != null) {
        Document d = change.getFullDocument();
        if (d != null && d.get(STEP) instanceof Number && ((Number) d.get(STEP)).longValue() > lastStep) {
          out.add(d);
        }
      }
      return out;
    }

    @Override
    public String how() {
      return "change stream";
    }

    @Override
    public void close() {
      cursor.close();
    }
  }

  /** Asks for steps above the last one seen. */
  final class Polling implements PointSource {
    private final MongoCollection<Document> steps;
    private final Document runFilter;
    long lastStep;

    Polling(MongoCollection<Document> steps, Document runFilter, long afterStep) {
      this.steps = steps;
      this.runFilter = runFilter;
      this.lastStep = afterStep;
    }

    @Override
    public List<Document> next() {
      Document filter = new Document(runFilter).append(STEP, new Document("$gt", lastStep));
      List<Document> out = steps.find(filter).sort(new Document(STEP, 1)).into(new ArrayList<>());
      if (!out.isEmpty()) {
        lastStep = ((Number) out.get(out.size() - 1).get(STEP)).longValue();
      }
      return out;
    }

    @Override
    public String how() {
      return "polling";
    }

    @Override
    public void close() {}
  }
}
