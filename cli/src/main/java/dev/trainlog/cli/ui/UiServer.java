package dev.trainlog.cli.ui;

import com.mongodb.MongoException;
import dev.trainlog.api.Secrets;
import dev.trainlog.query.TrainlogStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web view: the pages from the jar and the JSON API over a {@link TrainlogStore}, GET only. With a
 * token every request must carry it (401 otherwise); errors are JSON with a message, never a stack trace.
 */
public final class UiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);

  private final Javalin app;

  private UiServer(Javalin app) {
    this.app = app;
  }

  /** Whether {@code host} names only this machine (a token is then optional). */
  public static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** A random token for a non-loopback bind given none. */
  public static String generateToken() {
    return TokenGuard.generate();
  }

  /** Serves {@code store} on {@code host:port} (0 picks a free port); {@code token} may be null on a loopback host. */
  public static UiServer start(TrainlogStore store, String host, int port, String token, Duration pollInterval) {
    if (token == null && !isLoopback(host)) {
      throw new IllegalArgumentException("--host " + host + " is reachable from other machines; give --token");
    }
    ApiHandlers api = new ApiHandlers(store, pollInterval);
    TokenGuard guard = token == null ? null : new TokenGuard(token);
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.defaultContentType = "application/json";
    });
    if (guard != null) {
      app.before(ctx -> {
        if (!guard.admits(ctx)) {
          ctx.status(401).header("WWW-Authenticate", "Bearer");
          ApiHandlers.json(ctx, Map.of("error", "a token is required: send Authorization: Bearer <token>, "
              + "or open the page once with ?token=<token>"));
          ctx.skipRemainingHandlers();
        }
      });
    }
    Assets.PAGES.forEach((path, page) -> {
      byte[] body = Assets.page(page[0], page[1]);
      app.get(path, ctx -> ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache").result(body));
    });
    Assets.FILES.forEach((path, file) -> {
      byte[] body = Assets.read(file[0].startsWith("/") ? file[0] : "/dev/trainlog/cli/ui/" + file[0]);
      app.get(path, ctx -> ctx.contentType(file[1]).header("Cache-Control", "no-cache").result(body));
    });
    app.get("/api/runs", api::runs);
    app.get("/api/runs/{run}", api::run);
    app.get("/api/runs/{run}/series", api::series);
    app.get("/api/runs/{run}/alerts", api::alerts);
    app.get("/api/query", api::query);
    app.get("/api/diff", api::diff);
    app.get("/api/stream", api::stream);
    ImageHandlers images = new ImageHandlers(store);
    app.get("/api/runs/{run}/images", images::list);
    app.get("/api/runs/{run}/image", images::file);
    app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    app.exception(MongoException.class, (e, ctx) -> error(ctx, 503, "the store is unreachable: "
        + firstLine(Secrets.redactText(String.valueOf(e.getMessage())))));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.warn("request {} failed", ctx.path(), e);
      error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); the server log has the details");
    });
    app.error(404, ctx -> {
      String result = ctx.result();
      if (result == null || !result.startsWith("{\"error\"")) { // Javalin's own "not found" text becomes JSON too
        error(ctx, 404, "no such page or API: " + ctx.method() + " " + ctx.path());
      }
    });
    app.error(405, ctx -> error(ctx, 405, "read-only: only GET is served"));
    app.start(host, port);
    return new UiServer(app);
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status);
    ApiHandlers.json(ctx, Map.of("error", message));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
