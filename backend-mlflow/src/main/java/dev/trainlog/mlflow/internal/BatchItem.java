package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainlog.api.LogRecord;

/**
 * One entry of a {@code runs/log-batch} request: a metric, param or tag as its JSON object, its
 * encoded size, and the record it came from ({@code null} for params and tags).
 */
record BatchItem(Kind kind, ObjectNode json, int bytes, LogRecord source, boolean nan) {

  /** The three arrays of a log-batch request. */
  enum Kind { METRIC, PARAM, TAG }
}
