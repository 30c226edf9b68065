package dev.trainlog.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricMapTest {

  @Test
  void keepsTheOrderKeysWerePutInAndReplacesARepeatedKeyInPlace() {
    MetricMap m = MetricMap.builder(2).put("loss", 0.5).put("lr", 1e-4).put("loss", 0.25).put("epoch", 1.0).build();

    assertThat(m.keySet()).containsExactly("loss", "lr", "epoch");
    assertThat(m.values()).containsExactly(0.25, 1e-4, 1.0);
    assertThat(m).hasToString("{loss=0.25, lr=1.0E-4, epoch=1.0}");
  }

  @Test
  void equalsAndHashesLikeAnyMapWithTheSameEntries() {
    Map<String, Object> same = new LinkedHashMap<>();
    same.put("lr", 1e-4);
    same.put("loss", 0.5);
    MetricMap m = MetricMap.builder(4).put("loss", 0.5).put("lr", 1e-4).build();

    assertThat(m).isEqualTo(same);
    assertThat(same).isEqualTo(m);
    assertThat(m.hashCode()).isEqualTo(same.hashCode());
    assertThat(MetricMap.copyOf(same)).isEqualTo(m);
  }

  @Test
  void findsKeysInSmallAndLargeMaps() {
    MetricMap.Builder b = MetricMap.builder(0);
    for (int i = 0; i < 100; i++) {
      b.put("k" + i, (double) i);
      assertThat(b.get("k" + i)).isEqualTo((double) i);
    }
    b.put("k50", -1.0);
    MetricMap large = b.build();
    MetricMap small = MetricMap.copyOf(Map.of("a", 1.0));

    assertThat(large).hasSize(100);
    assertThat(large.get("k50")).isEqualTo(-1.0);
    assertThat(large.indexOf("k99")).isEqualTo(99);
    assertThat(large.containsKey("k100")).isFalse();
    assertThat(small.get("a")).isEqualTo(1.0);
    assertThat(small.get("b")).isNull();
    assertThat(small.containsKey(null)).isFalse();
  }

  @Test
  void cannotBeChangedNorBuiltOnAfterwards() {
    MetricMap.Builder b = MetricMap.builder(1).put("loss", 1.0);
    MetricMap m = b.build();

    assertThatThrownBy(() -> m.put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.remove("loss")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(m::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.entrySet().iterator().next().setValue(2.0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> b.put("lr", 1.0)).isInstanceOf(IllegalStateException.class)
        .hasMessage("this MetricMap.Builder has already built its map");
    assertThat(m).containsOnlyKeys("loss");
  }

  @Test
  void walksByPositionWithinItsSizeOnly() {
    MetricMap m = MetricMap.builder(8).put("loss", 1.0).build();

    assertThat(MetricMap.of()).isEmpty();
    assertThat(MetricMap.copyOf(m)).isSameAs(m);
    assertThat(List.copyOf(m.entrySet())).extracting(Map.Entry::getKey).containsExactly("loss");
  }
}
