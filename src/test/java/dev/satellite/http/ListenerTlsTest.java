package dev.satellite.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.config.ConfigException;
import dev.satellite.support.NodeHarness;
import dev.satellite.support.TestCerts;
import dev.satellite.support.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS on the public and admin listeners from PEM files, and its reload: a new pair is used by new connections on
 * every event loop without a restart; a pair that does not fit is refused and the old one stays.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ListenerTlsTest {

  private final Path dir = TestConfigs.emptyDir();
  private NodeHarness h;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private static SSLContext trusting(Path ca) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("ca", certificate(ca));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static X509Certificate certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** A GET of {@code path} on a new connection: the serial of the certificate it was shown, and the status line. */
  private record Answer(BigInteger serial, String status) {
  }

  private static Answer get(SSLContext context, int port, String path) throws Exception {
    try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.startHandshake();
      BigInteger serial = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      return new Answer(serial, new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1));
    }
  }

  private double reloads(String listener, String result) {
    return h.node.registry().get("satellite_tls_reloads").tags("listener", listener, "result", result).counter().count();
  }

  @Test
  void bothListenersServeHttpsAndANewPairIsUsedWithoutARestart(Vertx vertx) throws Exception {
    TestCerts ca = TestCerts.authority("listener-ca");
    SSLContext client = trusting(ca.writeCa(dir));
    TestCerts.Issued first = ca.issue("first", dir);
    Path cert = Files.copy(first.cert(), dir.resolve("tls.crt"));
    Path key = Files.copy(first.key(), dir.resolve("tls.key"));
    h = NodeHarness.start(vertx, "http.instances=2", "http.tls.cert=" + cert, "http.tls.key=" + key,
        "admin.tls.cert=" + cert, "admin.tls.key=" + key, "admin.token=tls-1");
    int http = h.node.config().http().port();
    int admin = h.node.config().admin().port();
    BigInteger original = certificate(first.cert()).getSerialNumber();
    assertThat(get(client, http, "/hello")).isEqualTo(new Answer(original, "HTTP/1.1 200"));
    assertThat(get(client, admin, "/health/ready")).isEqualTo(new Answer(original, "HTTP/1.1 200"));

    // signing in to the console over TLS: the session cookie is Secure
    try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", admin)) {
      s.setSoTimeout(5000);
      String body = "{\"token\":\"tls-1\"}";
      s.getOutputStream().write(("POST /admin/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
          .getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 200").containsPattern("(?i)set-cookie: satellite_session=[^\r\n]*; Secure");
    }

    // a connection opened before the change, kept alive across it
    SSLSocket kept = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", http);
    kept.setSoTimeout(5000);
    kept.startHandshake();

    TestCerts.Issued second = ca.issue("second", dir);
    Files.copy(second.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
    BigInteger renewed = certificate(second.cert()).getSerialNumber();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until && (reloads("http", "changed") < 1 || reloads("admin", "changed") < 1)) {
      Thread.sleep(100);
    }
    // connections land on both event loops of the public listener: every one of them shows the new certificate
    Set<Answer> answers = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      answers.add(get(client, http, "/hello"));
    }
    assertThat(answers).containsExactly(new Answer(renewed, "HTTP/1.1 200"));
    assertThat(get(client, admin, "/health/ready")).isEqualTo(new Answer(renewed, "HTTP/1.1 200"));
    assertThat(reloads("http", "changed")).isEqualTo(1);
    try (kept) {
      kept.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(new String(kept.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1))
          .as("a connection open before the change keeps working, on the certificate it agreed on")
          .isEqualTo("HTTP/1.1 200");
      assertThat(((X509Certificate) kept.getSession().getPeerCertificates()[0]).getSerialNumber()).isEqualTo(original);
    }

    // a key that does not belong to the certificate is refused; the pair in force stays
    Files.copy(ca.issue("third", dir).key(), key, StandardCopyOption.REPLACE_EXISTING);
    long failedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < failedBy && reloads("http", "failed") < 1) {
      Thread.sleep(100);
    }
    assertThat(reloads("http", "failed")).isEqualTo(1);
    assertThat(get(client, http, "/hello")).isEqualTo(new Answer(renewed, "HTTP/1.1 200"));
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsTheStartNamingTheListener(Vertx vertx) throws Exception {
    TestCerts ca = TestCerts.authority("mismatch-ca");
    Path cert = ca.issue("one", dir).cert();
    Path otherKey = ca.issue("two", dir).key();
    assertThatThrownBy(() -> NodeHarness.start(vertx, "admin.tls.cert=" + cert, "admin.tls.key=" + otherKey))
        .hasMessageContaining("admin.tls: " + cert).hasMessageContaining("the key is not the certificate's");
  }

  @Test
  void aCertificateWithoutItsKeyOrAFileThatIsNotPemAreConfigErrorsNamingTheKey() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    TestCerts.Issued pair = TestCerts.authority("x").issue("n", dir);
    assertThatThrownBy(() -> TestConfigs.node("http.tls.cert=" + pair.cert()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "http.tls.key: is needed too: TLS on a listener takes a certificate (cert) and its private key (key), both"
                + " PEM files"));
    assertThatThrownBy(() -> TestConfigs.node("admin.tls.cert=" + notPem, "admin.tls.key=" + pair.key()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "admin.tls.cert: " + notPem + " holds no PEM 'CERTIFICATE' block"));
  }
}
