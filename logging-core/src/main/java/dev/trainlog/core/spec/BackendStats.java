package dev.trainlog.core.spec;

/**
 * Counters of one backend since the dispatcher started. {@code accepted} records were read from the
 * journal; each is then sampled out or kept; kept ones end up written or failed (dead-lettered), or
 * wait in the batch being written ({@code queued}). {@code behindBytes} and {@code pending} say how
 * far the backend's worker is behind the journal's head; {@code dropped} counts records given up
 * when the journal was full (or logged after close).
 */
public record BackendStats(
    String backend,
    long accepted,
    long sampledOut,
    long written,
    long retried,
    long behindBytes,
    long dropped,
    long failed,
    int queued,
    long pending) {

  @Override
  public String toString() {
    return backend + ": accepted=" + accepted + " sampledOut=" + sampledOut + " written=" + written + " retried="
        + retried + " behindBytes=" + behindBytes + " dropped=" + dropped + " failed=" + failed + " queued=" + queued
        + " pending=" + pending;
  }
}
