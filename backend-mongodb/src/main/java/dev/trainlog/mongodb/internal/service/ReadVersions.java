package dev.trainlog.mongodb.internal.service;

import java.util.function.Supplier;
import org.h2.mvstore.MVStore;

/**
 * Keeps the version of the H2 file a command starts on readable until it ends. H2 frees a chunk once no
 * newer version needs it and its retention time (45 s) has passed, and compaction moves live pages out of
 * such chunks: a scan walking an older version for longer than that (reached-within over 11M documents
 * right after an index build) then failed with "Chunk ... not found". A registered version is never freed.
 */
final class ReadVersions {

  private ReadVersions() {}

  /** What {@code command} returns, run with the file's current version held for it. */
  static <T> T during(MVStore store, Supplier<T> command) {
    if (store.isClosed()) {
      return command.get(); // it fails on its own, with the reason the file closed
    }
    MVStore.TxCounter held = store.registerVersionUsage();
    try {
      return command.get();
    } finally {
      if (!store.isClosed()) {
        store.deregisterVersionUsage(held);
      }
    }
  }
}
