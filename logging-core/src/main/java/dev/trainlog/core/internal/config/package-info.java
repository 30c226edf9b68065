/**
 * The YAML configuration: loading, validation with every problem at once, and the assembly of a dispatcher
 * from it. Internal: public only for use across TrainLog's own packages and modules; not API, with no
 * compatibility promise.
 */
package dev.trainlog.core.internal.config;
