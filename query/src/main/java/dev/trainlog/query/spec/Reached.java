package dev.trainlog.query.spec;

import java.time.Instant;

/** A run whose metric first went below the threshold at {@code step} (logged at {@code time}) with {@code value}. */
public record Reached(RunRecord run, String metric, long step, Instant time, double value) {}
