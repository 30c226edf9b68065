package dev.trainlog.query.spec;

/**
 * What the runs collection keeps about one scalar metric of a run: where its values are stored, how
 * many points, first and last step, the last value, the finite minimum and maximum (null when none)
 * and how many values were NaN or infinite.
 */
public record MetricStats(String name, String path, long count, Long firstStep, Long lastStep, Double last,
    Double min, Double max, long nonFinite) {}
