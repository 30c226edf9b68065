package dev.trainlog.tensorboard.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EventFileNameTest {

  @Test
  void theHostIsWhatLiesBetweenTheTimeAndTheProcessIdOfEachWritersNames() {
    assertThat(EventFileName.host(Path.of("run/events.out.tfevents.1796475924.gpu-node-3.16921.0")))
        .contains("gpu-node-3"); // PyTorch
    assertThat(EventFileName.host(Path.of("events.out.tfevents.1796475924.node7.cluster.local.16921.4.v2")))
        .contains("node7.cluster.local"); // TensorFlow 2, a dotted host
    assertThat(EventFileName.host(Path.of("events.out.tfevents.1796475924.host.16921.5.b")))
        .contains("host"); // a filename_suffix after the counter
    assertThat(EventFileName.host(Path.of("events.out.tfevents.1796475924.trainer-a")))
        .contains("trainer-a"); // tensorboardX and TensorFlow 1 add nothing
  }

  @Test
  void aNameOutsideTheWritersPatternHasNoHost() {
    assertThat(EventFileName.host(Path.of("notes.txt"))).isEmpty();
    assertThat(EventFileName.host(Path.of("events.out.tfevents.1796475924"))).isEmpty();
    assertThat(EventFileName.host(Path.of("x.tfevents.notatime.host.1.0"))).isEmpty();
  }
}
