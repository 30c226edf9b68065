/**
 * The journal: memory-mapped segments every record is appended to once, and the cursors each backend reads
 * them from. Internal: public only for use across TrainLog's own packages and modules; not API, with no
 * compatibility promise.
 */
package dev.trainlog.core.internal.journal;
