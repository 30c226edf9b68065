/**
 * One reader per backend: its gate (sampler), batches, retries, dead letters and the watchdog that times
 * writes out. Internal: public only for use across TrainLog's own packages and modules; not API, with no
 * compatibility promise.
 */
package dev.trainlog.core.internal.pipeline;
