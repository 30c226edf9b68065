package dev.trainlog.core.internal.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.core.internal.config.KeyGlobs;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyFilterTest {

  @Test
  void starMatchesAnyRunOfCharactersIncludingSlashes() {
    Glob eval = Glob.compile("eval/*");
    assertThat(eval.matches("eval/acc")).isTrue();
    assertThat(eval.matches("eval/a/b")).isTrue();
    assertThat(eval.matches("eval/")).isTrue();
    assertThat(eval.matches("evaluation")).isFalse();
    assertThat(Glob.compile("*").matches("any/thing")).isTrue();
    assertThat(Glob.compile("*loss").matches("train/loss")).isTrue();
    assertThat(Glob.compile("*loss").matches("loss/train")).isFalse();
    assertThat(Glob.compile("a*b*c").matches("a/b/c")).isTrue();
    assertThat(Glob.compile("a*b*c").matches("abc")).isTrue();
    assertThat(Glob.compile("a*b*c").matches("acb")).isFalse();
    assertThat(Glob.compile("ab*ba").matches("aba")).isFalse();
    assertThat(Glob.compile("loss").matches("loss")).isTrue();
    assertThat(Glob.compile("loss").matches("loss2")).isFalse();
    assertThat(Glob.compile("l?ss").matches("loss")).isFalse();
  }

  @Test
  void anEmptyIncludeMeansEveryKeyAndExcludeWins() {
    KeyFilter f = parse("backends.mongo", null, List.of("debug/*"));
    assertThat(f.accepts("loss")).isTrue();
    assertThat(f.accepts("debug/x")).isFalse();
    KeyFilter both = parse("backends.mongo", List.of("eval/*", "loss"), List.of("eval/raw*"));
    assertThat(both.accepts("loss")).isTrue();
    assertThat(both.accepts("eval/acc")).isTrue();
    assertThat(both.accepts("eval/raw/x")).isFalse();
    assertThat(both.accepts("lr")).isFalse();
  }

  @Test
  void aSingleGlobMayBeWrittenWithoutAList() {
    KeyFilter f = parse("backends.tb", "eval/*", null);
    assertThat(f.accepts("eval/acc")).isTrue();
    assertThat(f.accepts("loss")).isFalse();
  }

  @Test
  void noListsMeansTheFilterAcceptsAll() {
    assertThat(parse("backends.tb", null, null).acceptsAll()).isTrue();
    assertThat(parse("backends.tb", List.of(), List.of()).acceptsAll()).isTrue();
    assertThat(KeyFilter.of(List.of("x"), List.of()).acceptsAll()).isFalse();
  }

  @Test
  void badListsReportEveryProblemWithItsKey() {
    assertThatThrownBy(() -> parse("backends.mongo", 5, Arrays.asList("ok", "", 3)))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::message)
            .containsExactly(
                "`backends.mongo.include` was '5' but it must be a list of key globs such as [loss, eval/*]",
                "`backends.mongo.exclude[1]` was '' but it must be a non-empty key glob such as eval/*",
                "`backends.mongo.exclude[2]` was '3' but it must be a non-empty key glob such as eval/*"));
  }

  /** A filter from YAML nodes, as the dispatcher makes one: globs read by config, compiled here. */
  private static KeyFilter parse(String key, Object include, Object exclude) {
    KeyGlobs globs = KeyGlobs.parse(key, include, exclude);
    return KeyFilter.of(globs.include(), globs.exclude());
  }
}
