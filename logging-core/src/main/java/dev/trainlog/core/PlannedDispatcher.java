package dev.trainlog.core;

import dev.trainlog.core.internal.config.DispatcherPlan;
import dev.trainlog.core.internal.config.DispatcherSection;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A dispatcher as the YAML planned it: the plan's settings and backends given to a {@link DispatcherBuilder}. */
final class PlannedDispatcher {

  private static final Logger log = LoggerFactory.getLogger(LogDispatcher.class);

  private PlannedDispatcher() {}

  /** Builds what the YAML planned (its backends made and checked already), and logs each backend's sampling. */
  static LogDispatcher build(DispatcherPlan plan) {
    return build(plan, b -> { });
  }

  /** As {@link #build(DispatcherPlan)}, {@code adjust} changing the builder after the plan set it up. */
  static LogDispatcher build(DispatcherPlan plan, Consumer<DispatcherBuilder> adjust) {
    DispatcherSection d = plan.dispatcher();
    DispatcherBuilder builder = new DispatcherBuilder(plan.run())
        .journalDir(d.journalDir())
        .durability(d.durability(), d.fsyncInterval())
        .journalLimit(d.journalMaxSize(), d.onFull())
        .journalSegmentSize(d.segmentSize())
        .deadLetterDir(d.deadLetterDir())
        .shutdownHook(d.shutdownHook())
        .onStepRegression(d.onStepRegression())
        .closeTimeout(d.closeTimeout())
        .maxImageSize(d.maxImageSize())
        .clock(plan.clock());
    if (plan.system().enabled()) {
      builder.systemMetrics(plan.system().interval());
    }
    for (DispatcherPlan.Backend b : plan.backends()) {
      builder.backend(b.name(), b.backend(), b.sample(), b.channel());
    }
    adjust.accept(builder);
    LogDispatcher dispatcher = builder.build();
    for (DispatcherPlan.Backend b : plan.backends()) {
      log.info("TrainLog backend {} ({}): {}", b.name(), b.type(), b.sampling());
    }
    return dispatcher;
  }
}
