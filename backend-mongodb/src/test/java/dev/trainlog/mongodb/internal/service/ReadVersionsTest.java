package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Iterator;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long read of the H2 file while writes and compaction free the chunks its version was read from. */
class ReadVersionsTest {

  private static final int ENTRIES = 100_000;

  @TempDir Path dir;

  /** Reads every key from a version, while each round rewrites the map, commits and compacts the file. */
  private static long readWhileRewritten(MVStore store, MVMap<Long, byte[]> map) {
    Iterator<Long> keys = map.keyIterator(0L);
    long read = 0;
    for (int round = 0; round < 4; round++) {
      for (int k = 0; k < 1000 && keys.hasNext(); k++) {
        keys.next();
        read++;
      }
      for (long i = 0; i < ENTRIES; i++) {
        map.put(i, new byte[100 + round]);
      }
      store.commit();
      store.compactFile(1000);
    }
    while (keys.hasNext()) {
      keys.next();
      read++;
    }
    return read;
  }

  private MVStore filled(String name, MVMap<Long, byte[]>[] map) {
    MVStore store = new MVStore.Builder().fileName(dir.resolve(name).toString()).autoCommitDisabled().open();
    store.setRetentionTime(0); // what 45 s of a long scan amounts to, without waiting for it
    map[0] = store.openMap("steps");
    for (long i = 0; i < ENTRIES; i++) {
      map[0].put(i, new byte[100]);
    }
    store.commit();
    return store;
  }

  @Test
  void aCommandReadsItsVersionToTheEndWhileChunksAreFreedAndCompacted() {
    @SuppressWarnings("unchecked")
    MVMap<Long, byte[]>[] map = new MVMap[1];
    MVStore unguarded = filled("unguarded.mv", map);
    try {
      assertThatThrownBy(() -> readWhileRewritten(unguarded, map[0])).as("the failure seen in B13, without the guard")
          .isInstanceOf(MVStoreException.class).hasMessageContaining("not found");
    } finally {
      unguarded.close();
    }

    MVStore store = filled("guarded.mv", map);
    try {
      assertThat(ReadVersions.during(store, () -> readWhileRewritten(store, map[0]))).isEqualTo(ENTRIES);
      // once the command ends, its version may go: the file is compacted as before
      store.compactFile(1000);
      assertThat(map[0].get(7L)).hasSize(103);
    } finally {
      store.close();
    }
  }

  @Test
  void aClosedFileRunsTheCommandWhichMeetsTheCloseItself() {
    MVStore store = new MVStore.Builder().fileName(dir.resolve("closed.mv").toString()).open();
    store.close();
    assertThat(ReadVersions.during(store, () -> "ran")).isEqualTo("ran");
  }
}
