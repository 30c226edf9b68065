package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.EXPERIMENT;
import static dev.trainlog.mongodb.schema.StoreSchema.START_TIME;

import dev.trainlog.query.spec.RunFilter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/** The part of a {@link RunFilter} the server evaluates on the runs collection: experiment, since and conditions. */
public final class RunConditions {

  private RunConditions() {}

  /** The runs-collection query for {@code filter}; status, text and config equality are checked after folding. */
  public static Document query(RunFilter filter) {
    List<Document> all = new ArrayList<>();
    if (filter.experiment() != null) {
      all.add(new Document(EXPERIMENT, filter.experiment()));
    }
    if (filter.since() != null) {
      all.add(new Document(START_TIME, new Document("$gte", Date.from(filter.since()))));
    }
    filter.where().forEach(c -> all.add(condition(c)));
    return all.isEmpty() ? new Document() : all.size() == 1 ? all.get(0) : new Document("$and", all);
  }

  private static Document condition(RunFilter.Condition c) {
    String path = c.field();
    Object value = c.value();
    boolean number = value instanceof Number;
    return switch (c.op()) {
      case "=", "==" -> number ? new Document(path, new Document("$in", List.of(value, value.toString())))
          : new Document(path, value);
      case "!=" -> number ? new Document(path, new Document("$nin", List.of(value, value.toString())))
          : new Document(path, new Document("$ne", value));
      case ">" -> new Document(path, new Document("$gt", value));
      case ">=" -> new Document(path, new Document("$gte", value));
      case "<" -> new Document(path, new Document("$lt", value));
      default -> new Document(path, new Document("$lte", value));
    };
  }
}
