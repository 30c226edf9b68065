package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * a plugin backend refusing for good every record with an image or artifact; those records become dead
 * letters with their files; resent to a working backend, the images and artifacts arrive byte for byte, each record
 * once, and the dead-letter directory is gone.
 */
class DeadLetterImagesResendTest {

  @TempDir Path dir;

  private static boolean hasFiles(LogRecord r) {
    return r.metrics().values().stream().anyMatch(v -> v instanceof Images || v instanceof Artifact);
  }

  @Test
  void deadLettersWithImagesResendByteForByte() throws Exception {
    RunInfo run = TestRecords.run("exp", "dead-images");
    LogBackend refusing = new LogBackend() {
      @Override
      public void write(List<LogRecord> batch) throws BackendException {
        List<LogRecord> bad = batch.stream().filter(DeadLetterImagesResendTest::hasFiles).toList();
        if (!bad.isEmpty()) {
          throw new BackendException("no files here", null, false, bad);
        }
      }
    };
    Path art = Files.write(dir.resolve("ckpt.bin"), "checkpoint-bytes".repeat(1000).getBytes());
    Path artDir = Files.createDirectories(dir.resolve("samples-dir"));
    Files.writeString(artDir.resolve("a.txt"), "alpha");
    Files.writeString(Files.createDirectories(artDir.resolve("sub")).resolve("b.txt"), "beta");
    try (LogDispatcher d = LogDispatcher.builder(run)
        .backend("files", refusing, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(50)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build()) {
      for (long s = 0; s < 60; s++) {
        var b = d.step(s).scalar("loss", 1.0 / (s + 1));
        if (s % 2 == 0) {
          b.image("samples/step", PromiseImageChild.png(s));
        }
        if (s % 5 == 0) {
          b.image("samples/shared", PromiseImageChild.png(1000));
        }
        b.log();
      }
      d.artifact(art, "checkpoints/ckpt.bin");
      d.artifact(artDir, "samples");
      Files.delete(art); // deleting the original after artifact() returned is safe
      Files.delete(artDir.resolve("a.txt"));
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
    }
    Path dead = dir.resolve("dead").resolve("files-rank0");
    assertThat(dead).exists();

    List<LogRecord> got = Collections.synchronizedList(new ArrayList<>());
    Map<String, byte[]> bytes = Collections.synchronizedMap(new HashMap<>());
    LogBackend working = new LogBackend() {
      @Override
      public void write(List<LogRecord> batch) throws BackendException {
        for (LogRecord r : batch) {
          for (Map.Entry<String, Object> e : r.metrics().entrySet()) {
            if (e.getValue() instanceof Images images) {
              int i = 0;
              for (Image im : images) {
                bytes.put(r.step() + "/" + e.getKey() + "/" + i++, im.bytes());
              }
            } else if (e.getValue() instanceof Artifact a) {
              try {
                bytes.put("artifact/" + a.name(), Files.readAllBytes(a.file()));
              } catch (java.io.IOException x) {
                throw new BackendException("cannot read " + a.file(), x, false);
              }
            }
          }
          got.add(r);
        }
      }
    };
    RunInfo resender = TestRecords.run("exp", "resender");
    try (LogDispatcher d = LogDispatcher.builder(resender)
        .backend("files", working, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(50)))
        .journalDir(dir.resolve("journal2")).deadLetterDir(dir.resolve("dead2")).shutdownHook(false)
        .resend(dead, "files").build()) {
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(d.stats().backends().get("files").failed()).isZero();
    }
    long withFiles = got.stream().filter(r -> r.run().runId().equals(run.runId())).count();
    assertThat(got).extracting(LogRecord::id).doesNotHaveDuplicates();
    assertThat(withFiles).as("36 image steps, the file artifact, the directory artifact (one record)").isEqualTo(36 + 1 + 1);
    for (long s = 0; s < 60; s++) {
      if (s % 2 == 0) {
        assertThat(bytes.get(s + "/samples/step/0")).as("step %d", s).isEqualTo(PromiseImageChild.png(s));
      }
      if (s % 5 == 0) {
        assertThat(bytes.get(s + "/samples/shared/0")).as("shared %d", s).isEqualTo(PromiseImageChild.png(1000));
      }
    }
    assertThat(bytes.get("artifact/checkpoints/ckpt.bin")).isEqualTo("checkpoint-bytes".repeat(1000).getBytes());
    assertThat(bytes.get("artifact/samples/a.txt")).isEqualTo("alpha".getBytes());
    assertThat(bytes.get("artifact/samples/sub/b.txt")).isEqualTo("beta".getBytes());
    assertThat(dead).as("the dead-letter directory is gone").doesNotExist();
    try (Stream<Path> left = Files.walk(dir)) {
    }
  }
}
