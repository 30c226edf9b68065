package dev.trainlog.mlflow.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a sequence of log-batch items into requests the server accepts, keeping their order: N
 * metrics cost ⌈N/1000⌉ requests. The 1 MB body limit is not enforced by MLflow 2.17 but is by newer
 * servers, so it is honoured too.
 */
final class BatchSplitter {

  /** Most metrics in one request: {@value}. */
  static final int MAX_METRICS = 1000;

  /** Most params in one request: {@value}. */
  static final int MAX_PARAMS = 100;

  /** Most tags in one request: {@value}. */
  static final int MAX_TAGS = 100;

  /** Most metrics, params and tags together in one request: {@value}. */
  static final int MAX_ITEMS = 1000;

  /** Largest request body the server accepts: {@value} bytes. */
  static final int MAX_BODY_BYTES = 1_000_000;

  /** Room kept for the envelope ({@code run_id} and the array names) around the items. */
  private static final int ENVELOPE_BYTES = 1_000;

  private BatchSplitter() {}

  static List<LogBatchRequest> split(List<BatchItem> items) {
    List<LogBatchRequest> requests = new ArrayList<>();
    LogBatchRequest current = new LogBatchRequest();
    for (BatchItem item : items) {
      if (!fits(current, item)) {
        requests.add(current);
        current = new LogBatchRequest();
      }
      current.add(item);
    }
    if (!current.items.isEmpty()) {
      requests.add(current);
    }
    return requests;
  }

  private static boolean fits(LogBatchRequest r, BatchItem item) {
    if (r.items.isEmpty()) {
      return true;
    }
    if (r.items.size() + 1 > MAX_ITEMS || r.bytes + item.bytes() > MAX_BODY_BYTES - ENVELOPE_BYTES) {
      return false;
    }
    return switch (item.kind()) {
      case METRIC -> r.metrics < MAX_METRICS;
      case PARAM -> r.params < MAX_PARAMS;
      case TAG -> r.tags < MAX_TAGS;
    };
  }
}
