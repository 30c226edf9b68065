package dev.trainlog.tensorboard.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage in the middle of a file: skipped to the next readable record, with one WARN and a count. */
class DamagedFileTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureLog() {
    originalErr = System.err;
    // slf4j-simple writes to whatever System.err is when it logs
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    System.setErr(originalErr);
  }

  private List<String> warnings() {
    return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("WARN")).toList();
  }

  private static Path tbxFile() throws Exception {
    return TensorBoardLogDir.eventFiles(ReadAll.fixtures().resolve("logs/tbx/run")).get(0);
  }

  private record Result(List<TbRecord> records, long crcErrors) {}

  private Result read(byte[] bytes) throws Exception {
    Path file = dir.resolve("events.out.tfevents.1.damaged");
    Files.write(file, bytes);
    List<TbRecord> records = new ArrayList<>();
    try (EventFileReader reader = EventFileReader.open(file)) {
      for (TbRecord r; (r = reader.next()) != null; ) {
        records.add(r);
      }
      assertThat(reader.truncatedTail()).isFalse();
      return new Result(records, reader.crcErrors());
    }
  }

  @Test
  void aBadDataCrcSkipsThatRecordWithOneWarningAndACount() throws Exception {
    byte[] bytes = Files.readAllBytes(tbxFile());
    List<TbRecord> all = ReadAll.file(tbxFile());
    TbRecord bad = all.get(3);
    bytes[(int) bad.offset() + 14] ^= 0x40;

    Result result = read(bytes);

    List<TbRecord> expected = new ArrayList<>(all);
    expected.remove(3);
    assertThat(result.records()).extracting(TbRecord::offset).containsExactlyElementsOf(
        expected.stream().map(TbRecord::offset).toList());
    assertThat(result.records().get(2)).isEqualTo(all.get(2));
    assertThat(result.records().get(3).scalars()).isEqualTo(all.get(4).scalars());
    assertThat(result.records().get(3).crcErrors()).as("the damage just before it").isEqualTo(1);
    assertThat(result.records().get(4).crcErrors()).isZero();
    assertThat(result.crcErrors()).isEqualTo(1);
    assertThat(warnings()).containsExactly("[main] WARN dev.trainlog.tensorboard.read.EventFileReader - "
        + "Skipping damaged data in TensorBoard event file " + dir.resolve("events.out.tfevents.1.damaged")
        + " at byte " + bad.offset() + ": the record's data does not match its CRC; reading on at the next readable record");
  }

  @Test
  void aBadLengthCrcIsSkippedByFindingTheNextRecordThatChecksOut() throws Exception {
    byte[] bytes = Files.readAllBytes(tbxFile());
    List<TbRecord> all = ReadAll.file(tbxFile());
    TbRecord bad = all.get(2);
    bytes[(int) bad.offset()] ^= 0x01;

    Result result = read(bytes);

    assertThat(result.records()).extracting(TbRecord::offset).doesNotContain(bad.offset()).hasSize(all.size() - 1);
    assertThat(result.records().subList(2, all.size() - 1)).extracting(TbRecord::step)
        .containsExactlyElementsOf(all.subList(3, all.size()).stream().map(TbRecord::step).toList());
    assertThat(result.crcErrors()).isEqualTo(1);
    assertThat(warnings()).singleElement().asString()
        .endsWith("at byte " + bad.offset() + ": the record's length does not match its CRC; reading on at the next readable record");
  }

  @Test
  void garbageBetweenRecordsCostsOneWarningAndNoRecord() throws Exception {
    byte[] bytes = Files.readAllBytes(tbxFile());
    List<TbRecord> all = ReadAll.file(tbxFile());
    int at = (int) all.get(5).offset();
    byte[] junk = new byte[300];
    Arrays.fill(junk, (byte) 0x5a);
    byte[] damaged = new byte[bytes.length + junk.length];
    System.arraycopy(bytes, 0, damaged, 0, at);
    System.arraycopy(junk, 0, damaged, at, junk.length);
    System.arraycopy(bytes, at, damaged, at + junk.length, bytes.length - at);

    Result result = read(damaged);

    assertThat(result.records()).hasSize(all.size());
    assertThat(result.records()).extracting(TbRecord::step)
        .containsExactlyElementsOf(all.stream().map(TbRecord::step).toList());
    assertThat(result.records().get(5).offset()).isEqualTo(at + junk.length);
    assertThat(result.crcErrors()).isEqualTo(1);
    assertThat(warnings()).hasSize(1);
  }

  @Test
  void aFileOfGarbageWithAnEventFileNameYieldsNothingAndOneWarning() throws Exception {
    byte[] junk = "this is no TFRecord file, though its name says tfevents\n".repeat(20).getBytes(StandardCharsets.UTF_8);

    Result result = read(junk);

    assertThat(result.records()).isEmpty();
    assertThat(result.crcErrors()).isEqualTo(1);
    assertThat(warnings()).hasSize(1);
  }
}
