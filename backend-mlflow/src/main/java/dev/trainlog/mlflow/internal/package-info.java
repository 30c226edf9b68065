/**
 * The MLflow backend behind {@code type: mlflow}: settings, the REST calls, runs, and metrics mapped to
 * {@code log-batch} requests. Internal: public only for use across TrainLog's own packages and modules; not
 * API, with no compatibility promise.
 */
package dev.trainlog.mlflow.internal;
