package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.EXP_META;
import static dev.trainlog.mongodb.schema.StoreSchema.NODE;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;

import com.mongodb.client.MongoCollection;
import dev.trainlog.query.spec.NodeStats;
import dev.trainlog.query.spec.RunRecord;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * Per node, the mean and max of some metrics of a run, computed by the server in one {@code $group} by
 * node (the seed's "compare resource utilisation" query). Regular step collections keep run and node at
 * the top of a document, time-series ones under the meta field.
 */
public final class NodeAggregate {

  private NodeAggregate() {}

  /** Nodes in name order, within a node the metrics in the given order; a metric absent on a node is left out. */
  public static List<NodeStats> run(MongoCollection<Document> steps, RunRecord run, List<String> metrics) {
    if (metrics.isEmpty()) {
      return List.of();
    }
    Document group = new Document("_id", new Document("$ifNull", List.of("$" + NODE, "$" + EXP_META + "." + NODE)));
    for (int i = 0; i < metrics.size(); i++) {
      String path = "$" + run.pathOf(metrics.get(i));
      group.append("mean" + i, new Document("$avg", path)).append("max" + i, new Document("$max", path));
    }
    List<Document> pipeline = List.of(
        new Document("$match", new Document("$or", List.of(new Document(RUN, run.run()),
            new Document(EXP_META + "." + RUN, run.run())))),
        new Document("$group", group),
        new Document("$sort", new Document("_id", 1)));
    List<NodeStats> out = new ArrayList<>();
    for (Document d : steps.aggregate(pipeline)) {
      for (int i = 0; i < metrics.size(); i++) {
        Number mean = (Number) d.get("mean" + i);
        Number max = (Number) d.get("max" + i);
        if (mean != null || max != null) {
          out.add(new NodeStats(String.valueOf(d.get("_id")), metrics.get(i), mean == null ? null : mean.doubleValue(),
              max == null ? null : max.doubleValue()));
        }
      }
    }
    return out;
  }
}
