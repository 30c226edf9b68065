/**
 * The built-in backends: {@code console} and {@code jsonl}. Internal: public only for use across TrainLog's
 * own packages and modules; not API, with no compatibility promise.
 */
package dev.trainlog.core.internal.backends;
