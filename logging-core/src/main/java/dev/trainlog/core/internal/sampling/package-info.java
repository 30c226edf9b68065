/**
 * Per-backend sampling: which steps a backend keeps, which metric keys it sees, and how skipped steps are
 * folded into the next kept one; {@link dev.trainlog.core.internal.sampling.RecordSampler} applies a {@link
 * dev.trainlog.core.spec.SampleSpec} to one backend's worker. Internal: public only for use across TrainLog's
 * own packages and modules; not API, with no compatibility promise.
 */
package dev.trainlog.core.internal.sampling;
