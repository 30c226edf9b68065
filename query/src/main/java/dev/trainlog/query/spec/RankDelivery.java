package dev.trainlog.query.spec;

import java.time.Instant;

/**
 * How far one rank of a run has reached the store: the highest step stored and the wall time it was logged
 * at (null when none yet), what the rank's last heartbeat reported ({@code reportedStep}, at {@code heartbeat})
 * and its stored status.
 */
public record RankDelivery(int rank, String status, Long storedStep, Instant storedAt, Long reportedStep,
    Instant heartbeat) {}
