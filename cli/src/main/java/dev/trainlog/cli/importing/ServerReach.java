package dev.trainlog.cli.importing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Whether the server a backend writes to answers at all: a TCP connect to the first host of its URI,
 * which says "connection refused" where a driver says a page. Null when it answers, or when the
 * backend has no server (files, the embedded store) or one this cannot tell (a DNS seed list).
 */
final class ServerReach {

  /** How long a connect may take: {@value} ms. */
  static final int CONNECT_TIMEOUT_MILLIS = 2000;

  private ServerReach() {}

  /** The problem reaching the server of a backend of {@code type} with {@code settings}, or null. */
  static String problem(String type, Map<String, Object> settings) {
    String uri = switch (type) {
      case "mongodb" -> String.valueOf(settings.getOrDefault("uri", "embedded:"));
      case "mlflow" -> String.valueOf(settings.get("tracking-uri"));
      default -> null;
    };
    if (uri == null || !(uri.startsWith("mongodb://") || uri.startsWith("http://") || uri.startsWith("https://"))) {
      return null;
    }
    String authority = uri.replaceFirst("^[a-z]+://", "").replaceFirst("[/?].*$", "").replaceFirst("^.*@", "")
        .split(",")[0];
    int colon = authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    int port = colon < 0 ? defaultPort(uri) : Integer.parseInt(authority.substring(colon + 1));
    return connect(host, port);
  }

  private static int defaultPort(String uri) {
    return uri.startsWith("mongodb") ? 27017 : URI.create(uri).getScheme().equals("https") ? 443 : 80;
  }

  private static String connect(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      return null;
    } catch (ConnectException e) {
      return host + ":" + port + " refuses connections (is the server running?)";
    } catch (SocketTimeoutException e) {
      return host + ":" + port + " does not answer within " + CONNECT_TIMEOUT_MILLIS + " ms";
    } catch (UnknownHostException e) {
      return "unknown host " + host;
    } catch (IOException | IllegalArgumentException e) {
      return host + ":" + port + ": " + e.getMessage();
    }
  }
}
