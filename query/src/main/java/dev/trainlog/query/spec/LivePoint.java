package dev.trainlog.query.spec;

/** One new point of a run as it reached the store: metric name (nested keys joined by '/'), step, wall time and value. */
public record LivePoint(String run, String metric, long step, long timeMillis, double value) {}
