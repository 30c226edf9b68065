package dev.trainlog.mlflow.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Posts a body exactly as given, to show what the rules server does with requests the backend never sends. */
final class RawPost {

  private RawPost() {}

  /** The answer's body; throws with "status body" for anything but 200. */
  static String post(String uri, String endpoint, String body, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/" + endpoint))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length == 0) {
      b.header("Content-Type", "application/json");
    } else {
      b.headers(headers);
    }
    HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
