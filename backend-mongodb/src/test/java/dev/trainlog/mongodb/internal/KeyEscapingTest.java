package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyEscapingTest {

  @ParameterizedTest
  @CsvSource({
      "loss, loss",
      "train.loss, train%2Eloss",
      "$lr, %24lr",
      "a$b, a$b",
      "100%, 100%25",
      "%2E, %252E",
      "$a.b%c, %24a%2Eb%25c"})
  void keysAreEscapedAsDocumentedAndComeBackExactly(String key, String stored) {
    assertThat(KeyEscaping.escape(key)).isEqualTo(stored);
    assertThat(KeyEscaping.unescape(stored)).isEqualTo(key);
  }
}
