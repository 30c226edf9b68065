package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.testkit.TestRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventContentTest {

  @TempDir
  Path logDir;

  private List<TbEvent> writeAndRead(TensorBoardConfig config, RunStatus status, Object... keysAndValues) throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN, config);
    backend.open();
    backend.write(List.of(Fixtures.record(Fixtures.RUN, 3, keysAndValues)));
    backend.close(status);
    return EventFiles.allEvents(backend.runDirectory());
  }

  private List<TbEvent> writeAndRead(Object... keysAndValues) throws Exception {
    return writeAndRead(TensorBoardConfig.defaults(), RunStatus.FINISHED, keysAndValues);
  }

  private static TbEvent recordEvent(List<TbEvent> events) {
    return events.stream().filter(TbEvent::isScalarRecord).findFirst().orElseThrow();
  }

  @Test
  void theFirstRecordIsTheFileVersionEventAtTheClocksTime() throws Exception {
    TbEvent first = writeAndRead("loss", 1.0).get(0);

    assertThat(first.fileVersion()).isEqualTo("brain.Event:2");
    assertThat(first.wallTime()).isEqualTo(Fixtures.NOW_MILLIS / 1000.0);
    assertThat(first.step()).isZero();
    assertThat(first.values()).isEmpty();
    assertThat(first.sessionLogStatus()).isNull();
  }

  @Test
  void scalarsKeepTheirKeyAsTagAndAreFloat32SimpleValuesAtTheRecordsTime() throws Exception {
    TbEvent event = recordEvent(writeAndRead("loss", 0.3, "a/b", 0.25, "eval", Map.of("accuracy", 0.75)));

    assertThat(event.step()).isEqualTo(3);
    assertThat(event.wallTime()).isEqualTo((TestRecords.START_MILLIS + 3000) / 1000.0);
    assertThat(event.fileVersion()).isNull();
    assertThat(event.values()).extracting(TbEvent.Value::tag).containsExactly("loss", "a/b", "eval/accuracy");
    assertThat(event.value("loss").simpleValue()).isEqualTo(0.3f);
    assertThat(event.value("a/b").simpleValue()).isEqualTo(0.25f);
    assertThat(event.value("eval/accuracy").simpleValue()).isEqualTo(0.75f);
    assertThat(event.value("loss").pluginName()).as("simple values need no metadata").isNull();
  }

  @Test
  void nonFiniteScalarsAreWrittenAsSuch() throws Exception {
    TbEvent event = recordEvent(writeAndRead(
        "nan", Double.NaN, "inf", Double.POSITIVE_INFINITY, "minus_inf", Double.NEGATIVE_INFINITY));

    assertThat(event.value("nan").simpleValue()).isNaN();
    assertThat(event.value("inf").simpleValue()).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(event.value("minus_inf").simpleValue()).isEqualTo(Float.NEGATIVE_INFINITY);
  }

  @Test
  void aShortVectorBecomesAHistogramWithOneBucketPerElement() throws Exception {
    TbEvent event = recordEvent(writeAndRead("loss", 1.0, "gpu_util", new double[] {78, 82, 76, 80}));

    TbEvent.Histo h = event.value("gpu_util").histo();
    assertThat(h.min()).isEqualTo(76);
    assertThat(h.max()).isEqualTo(82);
    assertThat(h.num()).isEqualTo(4);
    assertThat(h.sum()).isEqualTo(316);
    assertThat(h.sumSquares()).isEqualTo(78 * 78 + 82 * 82 + 76 * 76 + 80 * 80);
    assertThat(h.bucketLimit()).containsExactly(77.5, 79.0, 80.5, 82.0);
    assertThat(h.bucket()).containsExactly(1.0, 1.0, 1.0, 1.0);
    assertThat(event.value("gpu_util").simpleValue()).isNull();
    assertThat(event.value("gpu_util/0")).as("elements are not scalars by default").isNull();
  }

  @Test
  void aLongVectorGetsThirtyEqualBucketsOfItsFiniteElements() throws Exception {
    double[] v = new double[61];
    for (int i = 0; i < 60; i++) {
      v[i] = i;
    }
    v[60] = Double.NaN;
    TbEvent.Histo h = recordEvent(writeAndRead("loss", 1.0, "weights", v)).value("weights").histo();

    assertThat(h.num()).isEqualTo(60);
    assertThat(h.min()).isEqualTo(0);
    assertThat(h.max()).isEqualTo(59);
    assertThat(h.bucketLimit()).hasSize(HistogramEncoder.MAX_BUCKETS).endsWith(59.0);
    assertThat(h.bucketLimit().get(0)).isCloseTo(59.0 / 30, within(1e-12));
    assertThat(h.bucket()).hasSize(30).allMatch(c -> c == 2.0);
  }

  @Test
  void vectorElementsAreAlsoScalarsWhenConfigured() throws Exception {
    TensorBoardConfig config = new TensorBoardConfig(null, null, true, null, null);
    TbEvent event = recordEvent(writeAndRead(config, RunStatus.FINISHED, "gpu_util", new double[] {78, Double.NaN}));

    assertThat(event.values()).extracting(TbEvent.Value::tag).containsExactly("gpu_util", "gpu_util/0", "gpu_util/1");
    assertThat(event.value("gpu_util/0").simpleValue()).isEqualTo(78f);
    assertThat(event.value("gpu_util/1").simpleValue()).isNaN();
  }

  @Test
  void textBecomesARankZeroStringTensorForTheTextPlugin() throws Exception {
    TbEvent event = recordEvent(writeAndRead("loss", 1.0, "sample_caption", "a cat in anime style ✓"));

    TbEvent.Value text = event.value("sample_caption");
    assertThat(text.pluginName()).isEqualTo("text");
    assertThat(text.pluginContent().isEmpty()).as("TextPluginData version 0 encodes as nothing").isTrue();
    assertThat(text.tensor().dtype()).as("DT_STRING").isEqualTo(7);
    assertThat(text.tensor().dims()).isEmpty();
    assertThat(text.tensor().stringVal()).containsExactly("a cat in anime style ✓");
  }

  @Test
  void theConfigBecomesAnHParamsSessionStartAndAMarkdownTableBeforeTheFirstRecord() throws Exception {
    RunInfo run = Fixtures.RUN.toBuilder().config(Map.of("model", "SDXL", "use_ema", true)).build();
    TensorBoardBackend backend = Fixtures.backend(logDir, run);
    backend.open();
    backend.write(List.of(Fixtures.record(run, 3, "loss", 1.0)));
    backend.close(RunStatus.FINISHED);
    List<TbEvent> events = EventFiles.allEvents(backend.runDirectory());

    assertThat(events.get(1).sessionLogStatus()).as("a session START comes first").isEqualTo(1);
    assertThat(events.get(1).step()).isEqualTo(3);
    TbEvent preamble = events.get(2);
    assertThat(preamble.step()).isEqualTo(3);
    TbEvent.Value start = preamble.value(HParamsEncoder.SESSION_START_TAG);
    assertThat(start.pluginName()).isEqualTo("hparams");
    assertThat(start.tensor().dtype()).as("an empty DT_FLOAT tensor").isEqualTo(1);
    assertThat(start.tensor().dims()).containsExactly(0L);
    TbEvent.SessionStart info = TbEvent.sessionStart(start.pluginContent());
    assertThat(info.hparams()).containsOnly(Map.entry("model", "SDXL"), Map.entry("use_ema", true));
    assertThat(info.groupName()).as("the run's folder under the log dir, as the Scalars tab names it")
        .isEqualTo("exp/run-a").isEqualTo(logDir.relativize(backend.runDirectory()).toString());
    assertThat(info.startTimeSecs()).isEqualTo(TestRecords.START_MILLIS / 1000.0);
    TbEvent.Value table = preamble.value(TensorBoardBackend.CONFIG_TAG);
    assertThat(table.pluginName()).isEqualTo("text");
    assertThat(table.tensor().stringVal().get(0)).isIn(
        "| key | value |\n|---|---|\n| model | SDXL |\n| use_ema | true |\n",
        "| key | value |\n|---|---|\n| use_ema | true |\n| model | SDXL |\n");
    assertThat(events.get(3).isScalarRecord()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"0, true, exp/run-a", "2, true, exp/run-a/rank-2", "2, false, exp/run-a"})
  void theHParamsSessionOfARankIsNamedLikeTheRunTensorBoardReadsFromItsFolder(int rank, boolean rankSubdirs,
      String expected) throws Exception {
    RunInfo run = TestRecords.run("exp", "run-a", rank, 4, "node-" + rank);
    TensorBoardConfig config = new TensorBoardConfig(null, rankSubdirs, null, null, null);
    TensorBoardBackend backend = Fixtures.backend(logDir, run, config);
    backend.open();
    backend.write(List.of(Fixtures.record(run, 3, "loss", 1.0)));
    backend.close(RunStatus.FINISHED);

    TbEvent preamble = EventFiles.allEvents(backend.runDirectory()).get(2);
    TbEvent.SessionStart info = TbEvent.sessionStart(preamble.value(HParamsEncoder.SESSION_START_TAG).pluginContent());
    assertThat(info.groupName()).isEqualTo(expected)
        .isEqualTo(logDir.relativize(backend.runDirectory()).toString().replace('\\', '/'));
  }

  @Test
  void secretsInTheRunsConfigReachNeitherTheHParamsNorTheConfigTableNorTheFile() throws Exception {
    String token = "hf_abc123";
    String password = "hunter2-s3cret";
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", "SDXL");
    config.put("hf_token", token);
    config.put("credentials", Map.of("user", "alice", "pass", password));
    config.put("data", Map.of("uri", "mongodb://alice:" + password + "@db:27017/logs"));
    RunInfo run = Fixtures.RUN.toBuilder().tag("api_token", token).config(config).build();
    TensorBoardBackend backend = Fixtures.backend(logDir, run);
    backend.open();
    backend.write(List.of(Fixtures.record(run, 3, "loss", 1.0)));
    backend.close(RunStatus.FINISHED);
    List<TbEvent> events = EventFiles.allEvents(backend.runDirectory());

    TbEvent preamble = events.get(2);
    TbEvent.SessionStart info = TbEvent.sessionStart(preamble.value(HParamsEncoder.SESSION_START_TAG).pluginContent());
    assertThat(info.hparams()).containsOnly(Map.entry("model", "SDXL"), Map.entry("hf_token", "****"),
        Map.entry("credentials", "****"), Map.entry("data/uri", "mongodb://alice:****@db:27017/logs"));
    String table = preamble.value(TensorBoardBackend.CONFIG_TAG).tensor().stringVal().get(0);
    assertThat(table).contains("| hf_token | **** |").doesNotContain(token, password);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(logDir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).isNotEmpty().allSatisfy(file -> assertThat(
        new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(token, password));
  }

  @Test
  void nestedConfigIsFlattenedAndNumbersAreNumberValues() throws Exception {
    List<TbEvent> events = writeAndRead("loss", 1.0);

    TbEvent.SessionStart info = TbEvent.sessionStart(events.get(2).value(HParamsEncoder.SESSION_START_TAG).pluginContent());
    assertThat(info.hparams()).containsOnly(
        Map.entry("model", "SDXL"), Map.entry("lora_rank", 64.0), Map.entry("batch_size", 32.0),
        Map.entry("optimizer/name", "adamw"), Map.entry("optimizer/lr", 1.0e-4));
  }

  @ParameterizedTest
  @CsvSource({"FINISHED, 1", "FAILED, 2", "KILLED, 2"})
  void closeEndsTheSessionWithTheRunsStatus(RunStatus status, int expected) throws Exception {
    List<TbEvent> events = writeAndRead(TensorBoardConfig.defaults(), status, "loss", 1.0);

    TbEvent last = events.get(events.size() - 1);
    assertThat(last.step()).isEqualTo(3);
    TbEvent.SessionEnd end = TbEvent.sessionEnd(last.value(HParamsEncoder.SESSION_END_TAG).pluginContent());
    assertThat(end.status()).isEqualTo(expected);
    assertThat(end.endTimeSecs()).isEqualTo(Fixtures.NOW_MILLIS / 1000.0);
  }

  @Test
  void hparamsAndConfigTextCanBeTurnedOff() throws Exception {
    TensorBoardConfig config = new TensorBoardConfig(null, null, null, false, false);
    List<TbEvent> events = writeAndRead(config, RunStatus.FINISHED, "loss", 1.0);

    assertThat(events).hasSize(3);
    assertThat(events.get(0).fileVersion()).isNotNull();
    assertThat(events.get(1).sessionLogStatus()).isEqualTo(1);
    assertThat(events.get(2).isScalarRecord()).isTrue();
  }

  @Test
  void aRunWithoutRecordsStillGetsItsConfigAndSessionEnd() throws Exception {
    TensorBoardBackend backend = Fixtures.backend(logDir, Fixtures.RUN);
    backend.open();
    backend.close(RunStatus.FINISHED);

    List<TbEvent> events = EventFiles.allEvents(backend.runDirectory());
    assertThat(events).hasSize(3);
    assertThat(events.get(1).value(HParamsEncoder.SESSION_START_TAG)).isNotNull();
    assertThat(events.get(2).value(HParamsEncoder.SESSION_END_TAG)).isNotNull();
  }
}
