/**
 * Internal: helpers for TrainLog's own build (the public-surface check). Public only so that the other
 * modules' tests can call them; not API, with no compatibility promise.
 */
package dev.trainlog.testkit.internal;
