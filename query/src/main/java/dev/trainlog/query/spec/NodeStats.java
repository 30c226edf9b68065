package dev.trainlog.query.spec;

/** One metric of a run on one node: the mean and maximum over its stored points (null when it has none there). */
public record NodeStats(String node, String metric, Double mean, Double max) {}
