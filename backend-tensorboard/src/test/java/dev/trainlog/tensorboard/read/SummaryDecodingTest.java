package dev.trainlog.tensorboard.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryDecodingTest {

  @TempDir
  Path dir;

  @Test
  void scalarTensorsWithoutThePluginMetadataOfTheirTagsFirstEventAreStillScalars() throws Exception {
    // TensorFlow 2 and the fixture's EventFileWriter put the plugin metadata on a tag's first event only
    Path file = TensorBoardLogDir.eventFiles(ReadAll.fixtures().resolve("logs/tb/run")).get(0);
    List<TbRecord> all = ReadAll.file(file);

    try (EventFileReader reader = EventFileReader.open(file, all.get(2).offset())) {
      TbRecord r = reader.next();
      assertThat(r.step()).isEqualTo(1);
      assertThat(r.scalars()).containsOnlyKeys("acc_f32", "acc_f64");
      assertThat(r.scalars().get("acc_f32")).isNaN();
      assertThat(reader.skippedKinds()).isEmpty();
    }
  }

  @Test
  void aRecordWhoseCrcsMatchButThatIsNoEventIsSkippedWithOneWarningAndCounted() throws Exception {
    Path source = TensorBoardLogDir.eventFiles(ReadAll.fixtures().resolve("logs/tbx/run/pair/train")).get(0);
    byte[] good = Files.readAllBytes(source);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(frame(new byte[] {(byte) 0x09, 1, 2}));  // a double field cut after two of its eight bytes
    bytes.write(good);
    Path file = dir.resolve("events.out.tfevents.1.odd");
    Files.write(file, bytes.toByteArray());

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    List<TbRecord> read;
    long errors;
    try (EventFileReader reader = EventFileReader.open(file)) {
      read = new java.util.ArrayList<>();
      for (TbRecord r; (r = reader.next()) != null; ) {
        read.add(r);
      }
      errors = reader.crcErrors();
    } finally {
      System.setErr(err);
    }

    assertThat(read).hasSize(4);
    assertThat(read.get(0).fileVersion()).isEqualTo("brain.Event:2");
    assertThat(read.get(0).crcErrors()).isEqualTo(1);
    assertThat(errors).isEqualTo(1);
    assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("WARN")))
        .singleElement().asString()
        .endsWith("at byte 0: the record is not a readable Event (a field of 8 bytes runs past its message); "
            + "reading on at the next readable record");
  }

  /** Frames {@code data} as a TFRecord, from the format description. */
  private static byte[] frame(byte[] data) {
    byte[] out = new byte[data.length + 16];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) ((long) data.length >>> (8 * i));
    }
    putInt(out, 8, masked(out, 0, 8));
    System.arraycopy(data, 0, out, 12, data.length);
    putInt(out, 12 + data.length, masked(data, 0, data.length));
    return out;
  }

  private static int masked(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return Integer.rotateRight((int) crc.getValue(), 15) + 0xa282ead8;
  }

  private static void putInt(byte[] b, int off, int v) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }
}
