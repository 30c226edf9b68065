package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricKeysTest {

  private final MetricKeys keys = new MetricKeys();

  private static byte[] framed(String prefix, String name) {
    return (prefix + name + "~").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theSameNameAtAnotherPlaceIsTheSameString() {
    byte[] a = framed("", "train/loss");
    byte[] b = framed("xyz", "train/loss");
    String first = keys.decode(ByteBuffer.wrap(a), 0, 10);
    String second = keys.decode(ByteBuffer.allocateDirect(b.length).put(b), 3, 10);
    assertThat(first).isEqualTo("train/loss");
    assertThat(second).isSameAs(first);
  }

  @Test
  void namesThatShareASlotEachDecodeToThemselves() {
    // 5,000 names over 1,024 slots: every slot is shared, so each name must be checked, never trusted by hash
    Map<String, byte[]> names = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      String n = "m" + i;
      names.put(n, n.getBytes(StandardCharsets.US_ASCII));
    }
    for (int round = 0; round < 2; round++) {
      names.forEach((n, bytes) -> assertThat(keys.decode(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(n));
    }
    // two names with the same String hash ("Aa" and "BB") alternate in one slot
    for (int i = 0; i < 3; i++) {
      assertThat(keys.decode(ByteBuffer.wrap("Aa".getBytes(StandardCharsets.US_ASCII)), 0, 2)).isEqualTo("Aa");
      assertThat(keys.decode(ByteBuffer.wrap("BB".getBytes(StandardCharsets.US_ASCII)), 0, 2)).isEqualTo("BB");
    }
  }

  @Test
  void nonAsciiAndLongNamesAreDecodedAsUtf8() {
    byte[] greek = "λ/loss".getBytes(StandardCharsets.UTF_8);
    assertThat(keys.decode(ByteBuffer.allocateDirect(greek.length).put(greek), 0, greek.length)).isEqualTo("λ/loss");
    String longName = "a".repeat(200);
    byte[] bytes = longName.getBytes(StandardCharsets.US_ASCII);
    assertThat(keys.decode(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(longName);
    assertThat(keys.decode(ByteBuffer.allocate(0), 0, 0)).isEmpty();
  }
}
