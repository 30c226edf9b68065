package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.RunStatus;
import dev.trainlog.testkit.TestRecords;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFramingTest {

  @TempDir
  Path logDir;

  @Test
  void crc32cOfTheCheckStringIsTheKnownAnswer() {
    assertThat(TfRecordReader.crc32c("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283);
  }

  @Test
  void theMaskMatchesTensorBoardsOwnMaskedCrc() {
    // 0xC78AB0E5 is what tensorboard's masked_crc32c(b"123456789") returns
    assertThat(RecordFramer.mask(0xE3069283)).isEqualTo(0xC78AB0E5);
    assertThat(TfRecordReader.masked("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xC78AB0E5);
  }

  /** Frames {@code data} in place after the bytes already in {@code buffer}; returns the framed size. */
  private static int frame(RecordFramer framer, ProtoBuffer buffer, byte[] data) {
    int start = buffer.reserve(RecordFramer.HEADER_BYTES);
    buffer.rawBytes(data, 0, data.length);
    return framer.frameInPlace(buffer, start);
  }

  @Test
  void aRecordIsLengthThenItsMaskedCrcThenDataThenTheDataCrc() {
    byte[] data = new byte[23];
    Arrays.fill(data, (byte) 7);
    ProtoBuffer buffer = new ProtoBuffer(8);

    int framed = frame(new RecordFramer(), buffer, data);

    ByteBuffer b = ByteBuffer.wrap(buffer.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(framed).isEqualTo(16 + 23).isEqualTo(b.capacity());
    assertThat(b.getLong(0)).isEqualTo(23);
    // tensorboard's masked_crc32c(struct.pack('<Q', 23)) is 0x1EF8CEE7
    assertThat(b.getInt(8)).isEqualTo(0x1EF8CEE7);
    assertThat(Arrays.copyOfRange(buffer.toByteArray(), 12, 35)).isEqualTo(data);
    assertThat(b.getInt(35)).isEqualTo(TfRecordReader.masked(data));
  }

  @Test
  void eachHeaderCrcFitsItsOwnLengthWhenLengthsRepeatAndChange() {
    RecordFramer framer = new RecordFramer();
    ProtoBuffer buffer = new ProtoBuffer(8);
    buffer.rawBytes(new byte[] {0x55}, 0, 1); // bytes already pending in front of the records stay as they are
    for (int length : new int[] {5, 5, 300, 0, 5, 300, 300}) {
      int start = buffer.size();
      byte[] data = new byte[length];
      Arrays.fill(data, (byte) length);

      assertThat(frame(framer, buffer, data)).isEqualTo(length + 16);

      byte[] bytes = buffer.toByteArray();
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(b.getLong(start)).isEqualTo(length);
      assertThat(b.getInt(start + 8)).as("header CRC of length %d", length)
          .isEqualTo(TfRecordReader.masked(Arrays.copyOfRange(bytes, start, start + 8)));
      assertThat(Arrays.copyOfRange(bytes, start + 12, start + 12 + length)).isEqualTo(data);
      assertThat(b.getInt(start + 12 + length)).isEqualTo(TfRecordReader.masked(data));
    }
    assertThat(buffer.array()[0]).isEqualTo((byte) 0x55);
  }

  @Test
  void aRecordWhoseEncodingNeverEndedNeverReachesTheFile() throws Exception {
    Path path = logDir.resolve("events.out.tfevents.test");
    EventFile file = EventFile.create(EventFile.CREATE_NEW, path);
    file.beginRecord();
    file.buffer().rawBytes(new byte[] {1, 2, 3}, 0, 3); // encoding threw here: no endRecord
    file.beginRecord();
    file.buffer().rawBytes(new byte[] {4, 5}, 0, 2);
    file.endRecord();
    file.beginRecord();
    file.buffer().rawBytes(new byte[] {6}, 0, 1); // and here, just before the file is closed
    file.close();

    TfRecordReader.Records records = TfRecordReader.read(path);
    assertThat(records.records()).containsExactly(new byte[] {4, 5});
    assertThat(records.truncatedTail()).isFalse();
    assertThat(file.bytes()).isEqualTo(2 + 16).isEqualTo(Files.size(path));
  }

  @Test
  void everyRecordOfAWrittenFileHasValidCrcsAndTheFileEndsCleanly() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(List.of(TestRecords.everyKind(Fixtures.RUN, 0), TestRecords.everyKind(Fixtures.RUN, 1)));
    backend.close(RunStatus.FINISHED);

    List<Path> files = EventFiles.list(backend.runDirectory());
    assertThat(files).hasSize(1);
    TfRecordReader.Records records = TfRecordReader.read(files.get(0));
    // file version, session start, config, two records, session end
    assertThat(records.records()).hasSize(6);
    assertThat(records.truncatedTail()).isFalse();
  }

  @Test
  void aRecordCutOffByACrashLeavesEveryEarlierRecordReadable() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 10));
    backend.flush();
    Path file = EventFiles.list(backend.runDirectory()).get(0);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 7));

    TfRecordReader.Records records = TfRecordReader.read(file);

    assertThat(records.truncatedTail()).isTrue();
    assertThat(Fixtures.recordEvents(backend.runDirectory())).extracting(TbEvent::step)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
  }

  @Test
  void aDamagedRecordFailsItsCrcCheck() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.write(TestRecords.scalarSteps(Fixtures.RUN, 0, 3));
    backend.close(RunStatus.FINISHED);
    Path file = EventFiles.list(backend.runDirectory()).get(0);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 10] ^= 1;
    Files.write(file, bytes);

    assertThatThrownBy(() -> TfRecordReader.read(file)).hasMessageStartingWith("data CRC mismatch in ");
  }
}
