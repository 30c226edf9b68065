/**
 * The embedded store's service as its clients see it: the {@code server.json} it advertises itself in,
 * and the one-line failure a client gets when it cannot be reached or started. No dependency on the
 * module's internals, so both the public {@code EmbeddedMongo} and the service itself use it.
 */
package dev.trainlog.mongodb.store;
