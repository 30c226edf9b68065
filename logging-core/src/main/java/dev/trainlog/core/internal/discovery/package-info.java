/**
 * The backend and sampler providers found by ServiceLoader, and the refusals of those built for another
 * SPI. Internal: public only for use across TrainLog's own packages and modules; not API, with no
 * compatibility promise.
 */
package dev.trainlog.core.internal.discovery;
