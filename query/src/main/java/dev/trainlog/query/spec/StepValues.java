package dev.trainlog.query.spec;

import java.time.Instant;
import java.util.Map;

/**
 * One stored step of one rank of a run: its metrics by name (keys unescaped; a vector is a list, a nested
 * metric a map, values as stored, non-scalars included), the step and the wall time it was logged at.
 */
public record StepValues(String run, int rank, long step, Instant time, Map<String, Object> metrics) {}
