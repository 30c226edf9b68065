package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobListAppenderTest {

  @TempDir Path dir;

  @Test
  void aListStillBeingAppendedToEndsInNulBytesThatItsReaderSkips() throws Exception {
    Path list = dir.resolve("00000000000000000000.blobs");
    BlobListAppender appender = BlobListAppender.open(list);
    appender.append("0123456789abcdef-b3f45\n".getBytes(StandardCharsets.US_ASCII));
    appender.append("fedcba9876543210-10\nfedcba9876543210-10-1\n".getBytes(StandardCharsets.US_ASCII));

    // what a kill -9 leaves: the lines in the file's pages, the rest of the mapped chunk zeros
    assertThat(Files.size(list)).isEqualTo(BlobListAppender.CHUNK);
    assertThat(BlobLists.idsIn(list))
        .containsExactly("0123456789abcdef-b3f45", "fedcba9876543210-10", "fedcba9876543210-10-1");
    appender.close();
  }

  @Test
  void linesPastOneChunkAreAllKeptAndCloseCutsTheFileToThem() throws Exception {
    Path list = dir.resolve("00000000000000000001.blobs");
    List<String> ids = new ArrayList<>();
    long bytes = 0;
    try (BlobListAppender appender = BlobListAppender.open(list)) {
      for (int i = 0; i < 7_000; i++) { // about 2.5 chunks
        String id = String.format("%016x-%x", i * 7919L, 700_000 + i);
        ids.add(id);
        byte[] line = (id + "\n").getBytes(StandardCharsets.US_ASCII);
        appender.append(line);
        bytes += line.length;
      }
    }
    assertThat(bytes).isGreaterThan(2L * BlobListAppender.CHUNK);
    assertThat(Files.size(list)).isEqualTo(bytes);
    assertThat(BlobLists.idsIn(list)).isEqualTo(ids);
  }

  @Test
  void aListLeftByAKilledProcessIsAppendedToAfterItsLastId() throws Exception {
    Path list = dir.resolve("00000000000000000002.blobs");
    byte[] left = new byte[100];
    byte[] lines = "aaaaaaaaaaaaaaaa-1\nbbbbbbbbbbbbbbbb-2\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(lines, 0, left, 0, lines.length);
    Files.write(list, left);

    try (BlobListAppender appender = BlobListAppender.open(list)) {
      appender.append("cccccccccccccccc-3\n".getBytes(StandardCharsets.US_ASCII));
    }

    assertThat(Files.readString(list, StandardCharsets.US_ASCII))
        .isEqualTo("aaaaaaaaaaaaaaaa-1\nbbbbbbbbbbbbbbbb-2\ncccccccccccccccc-3\n");
  }

  @Test
  void aListWrittenByTheCodeBeforeWithoutANulTailIsReadAsItWas() throws Exception {
    Path list = Files.writeString(dir.resolve("00000000000000000003.blobs"),
        "0123456789abcdef-b3f45\n0123456789abcdef-b3f45-1\n", StandardCharsets.US_ASCII);

    assertThat(BlobLists.idsIn(list)).containsExactly("0123456789abcdef-b3f45", "0123456789abcdef-b3f45-1");
  }
}
