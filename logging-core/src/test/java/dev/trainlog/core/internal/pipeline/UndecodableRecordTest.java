package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.journal.CapturedLog;
import dev.trainlog.core.internal.journal.Journal;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UndecodableRecordTest {

  @TempDir Path dir;

  @Test
  void anIntactRecordThatDoesNotDecodeIsSkippedCountedWarnedAndItsBytesKeptWithTheDeadLettersNotRetriedForGood() throws Exception {
    RunInfo earlier = TestRecords.run("exp", "earlier");
    Path orphan = dir.resolve("journal").resolve(earlier.runId() + "-rank0");
    Journal j = Journal.tryOpen(orphan, 1 << 16, 1 << 20);
    for (long s = 0; s < 10; s++) {
      j.append(earlier, s, -1, s, false, MetricMap.builder(1).put("loss", (double) s).build());
    }
    j.close();
    Path segment = orphan.resolve("00000000000000000000.seg");
    byte[] file = Files.readAllBytes(segment);
    ByteBuffer b = ByteBuffer.wrap(file);
    int at = 12 + b.getInt(8);
    for (int i = 0; i < 4; i++) {
      at += 8 + b.getInt(at); // to the fifth record, step 4
    }
    int length = b.getInt(at);
    file[at + 8 + 38] = 'Z'; // the type tag of "loss": the frame stays whole, with its CRC made to match
    CRC32C crc = new CRC32C();
    crc.update(file, at + 8, length);
    b.putInt(at + 4, (int) crc.getValue());
    Files.write(segment, file);

    RecordingBackend backend = new RecordingBackend();
    try (CapturedLog log = new CapturedLog()) { // before the worker starts: it reads the record at once
      LogDispatcher d = LogDispatcher.builder(TestRecords.run("exp", "now"))
          .backend("rec", backend, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20)))
          .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
      try {
      assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(backend.steps()).containsExactly(0L, 1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L);
      assertThat(d.stats().backends().get("rec").dropped()).isEqualTo(1);
      assertThat(log.text()).contains("Backend 'rec': record " + earlier.runId() + "/0/4/4 in " + orphan
          + " does not decode (byte " + (at + 8) + " of 00000000000000000000.seg: corrupt journal record: unknown"
          + " value tag 90); it is skipped and its bytes kept in ");
      Path kept = dir.resolve("dead").resolve("rec-rank0").resolve("undecodable")
          .resolve(earlier.runId() + "_0_4_4.bin");
      assertThat(Files.readAllBytes(kept)).hasSize(length);
      assertThat(Files.readString(dir.resolve("dead").resolve("rec-rank0").resolve("reasons.log")))
          .contains("1 record(s) " + earlier.runId() + "/0/4/4: does not decode (byte " + (at + 8)
              + " of 00000000000000000000.seg: corrupt journal record: unknown value tag 90); its bytes are kept in"
              + " undecodable/" + earlier.runId() + "_0_4_4.bin");
      } finally {
        d.close(RunStatus.FINISHED, Duration.ofSeconds(5));
      }
    }
  }
}
