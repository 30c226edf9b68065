/**
 * The embedded store as a local service: one detached JVM per {@code embedded:<dir>} that owns the
 * directory and serves it on 127.0.0.1, advertised in {@code server.json}, started on demand by any
 * process that needs it and stopping when idle. Internal: no compatibility promise.
 */
package dev.trainlog.mongodb.internal.service;
