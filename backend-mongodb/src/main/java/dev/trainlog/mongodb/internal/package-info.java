/**
 * The MongoDB backend behind {@code type: mongodb}: provider, settings, document mapping, the runs collection
 * and the embedded server. Internal: public only for use across TrainLog's own packages and modules; not API,
 * with no compatibility promise.
 */
package dev.trainlog.mongodb.internal;
