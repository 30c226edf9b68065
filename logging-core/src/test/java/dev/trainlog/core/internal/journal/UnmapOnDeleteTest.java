package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.testkit.SmallTmpfs;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnmapOnDeleteTest {

  private static final int SEGMENT = 256 << 10;

  @TempDir Path dir;
  private SmallTmpfs tmpfs;

  @AfterEach
  void unmount() throws Exception {
    if (tmpfs != null) {
      tmpfs.close();
    }
  }

  @Test
  void segmentsDeliveredAndDeletedGiveTheirSpaceBackAtOnce() throws Exception {
    assertThat(Unmapper.available()).as("sun.misc.Unsafe.invokeCleaner, from jdk.unsupported").isTrue();
    tmpfs = SmallTmpfs.mountOrSkip(dir.resolve("tmpfs"), 8, "UnmapOnDeleteTest");
    long free = Files.getFileStore(tmpfs.dir()).getUsableSpace();
    RunInfo run = TestRecords.run("exp", "run");
    Journal j = Journal.tryOpen(tmpfs.dir().resolve("j"), SEGMENT, Long.MAX_VALUE);
    Cursor c = j.cursor("healthy", j.head());
    j.subscribe(c, true);
    JournalReader r = new JournalReader(j, c, c.position());
    long read = 0;
    // some 4 segments of records a time, 100 segments in all: 25 MiB through an 8 MiB device
    for (long s = 0; s < 100 * SEGMENT / 60; s++) {
      j.append(run, s, -1, s, false, MetricMap.builder(1).put("loss", (double) s).build());
      if (s % 15_000 == 0) {
        for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
          read++;
        }
        c.store(r.position());
        j.release();
      }
    }
    for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
      read++;
    }
    c.store(r.position());
    j.release();

    assertThat(read).isEqualTo(100 * SEGMENT / 60);
    assertThat(Files.getFileStore(tmpfs.dir()).getUsableSpace())
        .as("free space with the current segment and the spare written ahead").isGreaterThanOrEqualTo(free - 3 * SEGMENT);
    r.close();
    j.close();
  }
}
