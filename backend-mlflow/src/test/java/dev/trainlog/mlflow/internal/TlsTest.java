package dev.trainlog.mlflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a configured trust store, and a clear permanent error without one. */
class TlsTest {

  @TempDir
  static Path dir;

  private static MlflowRulesServer server;
  private static Path trustStore;

  @BeforeAll
  static void startTlsServer() throws Exception {
    Path keyStore = dir.resolve("server.p12");
    Path cert = dir.resolve("server.crt");
    trustStore = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
        "-storepass", "serverpw");
    keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", "serverpw",
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-keystore", trustStore.toString(),
        "-storetype", "PKCS12", "-storepass", "trustpw");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      ks.load(in, "serverpw".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "serverpw".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = MlflowRulesServer.startTls(tls);
  }

  @AfterAll
  static void stopTlsServer() {
    server.close();
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
  }

  @Test
  void aConfiguredTrustStoreLetsTheBackendTalkHttps() throws Exception {
    MlflowConfig config = Fixtures.config(server.uri());
    config.trustStore = trustStore.toString();
    config.trustStorePassword = "trustpw";
    MlflowBackend backend = Fixtures.backend(config, TestRecords.run("tls", "run-a"));

    backend.open();
    backend.write(TestRecords.scalarSteps(TestRecords.run("tls", "run-a"), 0, 2));
    backend.close(RunStatus.FINISHED);

    assertThat(server.store.run(backend.runId()).points).hasSize(4);
  }

  @Test
  void anUntrustedCertificateIsAPermanentErrorThatNamesTheFix() {
    MlflowBackend backend = Fixtures.backend(Fixtures.config(server.uri()), TestRecords.run("tls", "run-b"));

    BackendException e = catchThrowableOfType(BackendException.class, backend::open);

    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).startsWith("MLflow experiments/get-by-name at " + server.uri()
        + " failed: the server's TLS certificate is not trusted (")
        .endsWith("); set trust-store to a PKCS12 or JKS file holding its CA");
    assertThat(e.retryAfter()).isEmpty();
  }
}
