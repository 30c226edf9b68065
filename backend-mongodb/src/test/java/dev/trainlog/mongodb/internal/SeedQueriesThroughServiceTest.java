package dev.trainlog.mongodb.internal;

import dev.trainlog.mongodb.internal.service.ServiceLauncher;
import dev.trainlog.mongodb.internal.service.Services;
import org.junit.jupiter.api.AfterEach;

/**
 * The seed's queries through the embedded store service, which narrows the aggregate to the fields it reads
 * and answers per-run filters from its index: the same answers as a plain server.
 */
class SeedQueriesThroughServiceTest extends SeedQueriesTest {

  private final Services services = new Services();

  @Override
  String backendUri() {
    return "embedded:" + services.dir(dir.resolve("store"));
  }

  @Override
  String readerUri(String backendUri) {
    return ServiceLauncher.ensureRunning(dir.resolve("store")).uri();
  }

  @AfterEach
  void stopService() {
    services.stopAll();
  }
}
