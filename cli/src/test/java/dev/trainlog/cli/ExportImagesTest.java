package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainlog export --images DIR} against images logged into GridFS over TCP: one file per image, bytes as logged. */
class ExportImagesTest {

  @TempDir Path tmp;
  private TestMongo server;
  private String uri;

  @BeforeEach
  void start() {
    server = new TestMongo();
    uri = server.uri;
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyImageOfAnExperimentIsWrittenUnderRunKeyAndStepWithTheBytesAsLogged() throws Exception {
    ImageRuns runs = ImageRuns.log(new LoggedRuns(uri, tmp));
    Path dir = tmp.resolve("exported");

    Cli.Result r = new Cli(Clock.systemUTC(), List.of("--store", uri)).run("export", "images_exp",
        "--out", tmp.resolve("points.csv").toString(), "--images", dir.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("wrote 12 image(s) of 2 run(s) to " + dir);
    List<String> expected = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : runs.logged.entrySet()) {
      String[] p = e.getKey().split(" ");
      String file = String.format("%s/samples~prompt_0/step-%06d-%s.png", p[0], Long.parseLong(p[1]), p[2]);
      expected.add(file);
      assertThat(dir.resolve(file)).as(file).hasBinaryContent(e.getValue());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()))
          .containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(expected).contains("img-a/samples~prompt_0/step-000500-0.png");
  }
}
