package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.ui.UiServer;
import dev.trainlog.query.TrainlogStore;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code trainlog ui}: the live web view of the store's runs and its JSON API, until Ctrl-C. */
@Command(name = "ui", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serve a live web view of every run (Runs, Run, Compare) and its read-only JSON API.",
        "Binds 127.0.0.1; on any other host every request needs the token (--token, or one printed at start)."})
final class UiCommand implements Callable<Integer> {

  /** How often a page's live chart asks the store for new points when it has no change stream: {@value} ms. */
  static final long POLL_MILLIS = TrainlogStore.DEFAULT_POLL_MILLIS;

  @ParentCommand TrainlogCli root;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}); any other needs a token.")
  String host;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Every request must carry it (Authorization: Bearer TOKEN, or ?token=TOKEN once in a browser).")
  String token;

  @Override
  public Integer call() throws Exception {
    String effective = token;
    if (effective == null && !UiServer.isLoopback(host)) {
      effective = UiServer.generateToken();
      root.err.println("--host " + host + " is reachable from other machines and no --token was given; generated one: "
          + effective);
    }
    StoreSpec spec = storeOptions.spec();
    try (Store store = Store.open(spec);
        TrainlogStore query = store.query(root.clock);
        UiServer server = UiServer.start(query, host, port, effective, Duration.ofMillis(POLL_MILLIS))) {
      String shown = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
      String url = "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + server.port() + "/";
      root.out.println("trainlog ui: serving " + store.description() + " at " + url
          + (effective == null ? "" : "?token=" + effective));
      root.out.println("Ctrl-C stops it.");
      root.out.flush();
      while (!root.stop.await(500)) {
        // serving on Javalin's threads until Ctrl-C or a test's stop signal
      }
      return ExitCodes.OK;
    }
  }
}
