package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainlog.api.LogRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One {@code runs/log-batch} request within the server's limits, and the records it carries. */
final class LogBatchRequest {

  final List<BatchItem> items = new ArrayList<>();
  int metrics;
  int params;
  int tags;
  int bytes;

  void add(BatchItem item) {
    items.add(item);
    bytes += item.bytes();
    switch (item.kind()) {
      case METRIC -> metrics++;
      case PARAM -> params++;
      case TAG -> tags++;
    }
  }

  /** The records with at least one metric in this request, in order. */
  Set<LogRecord> records() {
    Set<LogRecord> out = new LinkedHashSet<>();
    for (BatchItem item : items) {
      if (item.source() != null) {
        out.add(item.source());
      }
    }
    return out;
  }

  boolean hasNan() {
    return items.stream().anyMatch(BatchItem::nan);
  }

  ObjectNode toJson(ObjectMapper json, String runId) {
    ObjectNode body = json.createObjectNode();
    body.put("run_id", runId);
    ArrayNode m = body.putArray("metrics");
    ArrayNode p = body.putArray("params");
    ArrayNode t = body.putArray("tags");
    for (BatchItem item : items) {
      switch (item.kind()) {
        case METRIC -> m.add(item.json());
        case PARAM -> p.add(item.json());
        case TAG -> t.add(item.json());
      }
    }
    return body;
  }
}
