package dev.trainlog.tensorboard.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file whose writer is still writing: its cut-off last record ends it quietly and is read once complete. */
class TruncatedFileTest {

  @TempDir
  Path dir;

  private static Path torchFile() throws Exception {
    return TensorBoardLogDir.eventFiles(ReadAll.fixtures().resolve("logs/torch/run")).get(0);
  }

  @Test
  void aFileCutAtEveryByteOfItsLastRecordYieldsEveryCompleteRecordAndResumesAtTheCutOne() throws Exception {
    byte[] whole = Files.readAllBytes(torchFile());
    List<TbRecord> all = ReadAll.file(torchFile());
    TbRecord last = all.get(all.size() - 1);
    assertThat(last.endOffset()).isEqualTo(whole.length);
    Path file = dir.resolve("events.out.tfevents.1.cut");
    for (int cut = (int) last.offset(); cut < whole.length; cut++) {
      Files.write(file, Arrays.copyOf(whole, cut));
      long resumeAt;
      try (EventFileReader reader = EventFileReader.open(file)) {
        for (int i = 0; i < all.size() - 1; i++) {
          assertThat(reader.next()).as("cut at %d, record %d", cut, i).isEqualTo(all.get(i));
        }
        assertThat(reader.next()).as("cut at %d", cut).isNull();
        assertThat(reader.truncatedTail()).as("cut at %d", cut).isEqualTo(cut > last.offset());
        assertThat(reader.crcErrors()).isZero();
        resumeAt = reader.position();
      }
      assertThat(resumeAt).isEqualTo(last.offset());
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
        out.write(whole, cut, whole.length - cut);
      }
      try (EventFileReader reader = EventFileReader.open(file, resumeAt)) {
        assertThat(reader.next()).as("resumed after a cut at %d", cut).isEqualTo(last);
        assertThat(reader.next()).isNull();
        assertThat(reader.truncatedTail()).isFalse();
        assertThat(reader.position()).isEqualTo(whole.length);
      }
    }
  }

  @Test
  void theSameReaderReadsWhatIsAppendedAfterItReturnedNull() throws Exception {
    byte[] whole = Files.readAllBytes(torchFile());
    List<TbRecord> all = ReadAll.file(torchFile());
    Path file = dir.resolve("events.out.tfevents.1.growing");
    int firstCut = (int) all.get(3).offset() + 5;
    Files.write(file, Arrays.copyOf(whole, firstCut));
    try (EventFileReader reader = EventFileReader.open(file)) {
      assertThat(List.of(reader.next(), reader.next(), reader.next())).isEqualTo(all.subList(0, 3));
      assertThat(reader.next()).isNull();
      assertThat(reader.truncatedTail()).isTrue();

      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
        out.write(whole, firstCut, whole.length - firstCut);
      }
      for (int i = 3; i < all.size(); i++) {
        assertThat(reader.next()).isEqualTo(all.get(i));
      }
      assertThat(reader.next()).isNull();
      assertThat(reader.truncatedTail()).isFalse();
    }
  }

  @Test
  void openingAtAnyRecordsOffsetReadsFromThatRecordOn() throws Exception {
    List<TbRecord> all = ReadAll.file(torchFile());
    for (int i = 0; i < all.size(); i++) {
      try (EventFileReader reader = EventFileReader.open(torchFile(), all.get(i).offset())) {
        TbRecord r = reader.next();
        // the plugin metadata of new-style scalars is on every event PyTorch writes, so nothing is lost by starting late
        assertThat(r).isEqualTo(all.get(i));
      }
    }
  }

  @Test
  void anEmptyEventFileHasNoRecords() throws Exception {
    Path file = Files.createFile(dir.resolve("events.out.tfevents.1.profile-empty"));
    try (EventFileReader reader = EventFileReader.open(file)) {
      assertThat(reader.next()).isNull();
      assertThat(reader.truncatedTail()).isFalse();
      assertThat(reader.crcErrors()).isZero();
    }
  }

  @Test
  void aNegativeStartOffsetIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventFileReader.open(dir.resolve("x"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("startOffset was -1 but it must be 0 or more");
  }
}
