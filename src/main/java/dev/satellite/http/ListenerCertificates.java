package dev.satellite.http;

import dev.satellite.config.SatelliteConfig.ListenerTls;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS on a listener from two PEM files, a certificate chain and its key ({@code http.tls} / {@code admin.tls}), and
 * their reloading: the files are re-read every {@link #CHECK_INTERVAL_MS} ms (asynchronously, on Vert.x's file
 * workers) and a pair that changed is handed to the server for the connections that come after — the ones already
 * open keep the certificate they agreed on. A pair the server refuses (a half-written update, a key that does not
 * belong to the certificate) leaves the one in force and is logged once until the files change again.
 * {@code satellite_tls_reloads_total{listener,result}} counts pairs {@code changed} and {@code failed}. Logs name
 * the files, never their content.
 *
 * <p>Not thread-safe: confined to the event loop of the listener instance that watches.
 */
public final class ListenerCertificates {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerCertificates.class);
  /** How often the files are checked for changes. */
  public static final long CHECK_INTERVAL_MS = 1000;

  private final Vertx vertx;
  private final ListenerTls tls;
  private final String listener;
  private final Counter changed;
  private final Counter failed;
  private byte[] seen;

  private ListenerCertificates(Vertx vertx, ListenerTls tls, String listener, MeterRegistry registry) {
    this.vertx = vertx;
    this.tls = tls;
    this.listener = listener;
    String description = "Re-reads of a listener's TLS certificate and key: changed (in force now) or failed (kept)";
    this.changed = Counter.builder(MetricNames.TLS_RELOADS).description(description)
        .tags("listener", listener, "result", "changed").register(registry);
    this.failed = Counter.builder(MetricNames.TLS_RELOADS).description(description)
        .tags("listener", listener, "result", "failed").register(registry);
  }

  /** {@code options} with TLS from the files when {@code tls} is on (unchanged otherwise). */
  public static HttpServerOptions apply(HttpServerOptions options, ListenerTls tls) {
    if (!tls.enabled()) {
      return options;
    }
    return options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(tls.cert().orElseThrow().toString()).setKeyPath(tls.key().orElseThrow().toString()));
  }

  /**
   * Watches the files of {@code tls} (when on) and updates {@code server} when they change, from the calling
   * context until Vert.x closes. {@code listener} names it in logs and metrics: {@code http} or {@code admin}.
   */
  public static void watch(Vertx vertx, HttpServer server, ListenerTls tls, String listener, MeterRegistry registry) {
    if (!tls.enabled()) {
      return;
    }
    ListenerCertificates c = new ListenerCertificates(vertx, tls, listener, registry);
    c.read().onSuccess(pair -> {
      c.seen = pair == null ? null : fingerprint(pair);
      vertx.setPeriodic(CHECK_INTERVAL_MS, t -> c.check(server));
    });
  }

  /**
   * Before a listener with TLS counts as ready: proves its key signs for its certificate, then makes one TLS
   * handshake with it from a worker (a loopback connection that sends nothing), so the JDK's TLS and crypto classes
   * are loaded and compiled while the node is still starting, not on an event loop under the first client's
   * connection (that took 0.7 s, long enough for the load shedder to refuse it). Fails naming {@code keyPrefix}.
   */
  public static Future<Void> warm(Vertx vertx, String host, int port, ListenerTls tls, String keyPrefix) {
    if (!tls.enabled()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      requireMatch(vertx, new PemKeyCertOptions().setCertPath(tls.cert().orElseThrow().toString())
          .setKeyPath(tls.key().orElseThrow().toString()));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AnyServer()}, null);
      String to = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
      try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(to, port)) {
        s.setSoTimeout(10_000);
        s.startHandshake();
      }
      return (Void) null;
    }).recover(e -> Future.failedFuture(new IllegalStateException(keyPrefix + ".tls: " + tls.cert().orElseThrow()
        + " and " + tls.key().orElseThrow() + " cannot serve TLS: " + (e.getMessage() != null ? e.getMessage()
        : e.getClass().getSimpleName()), e)));
  }

  /** Trusts whatever certificate: only for the warm-up connection to the node's own listener, which sends nothing. */
  private static final class AnyServer implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("a client-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // the peer is this node's own listener
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** Both files, or null when either cannot be read now. */
  private Future<Buffer[]> read() {
    var fs = vertx.fileSystem();
    return Future.all(fs.readFile(tls.cert().orElseThrow().toString()), fs.readFile(tls.key().orElseThrow().toString()))
        .map(all -> new Buffer[] {all.resultAt(0), all.resultAt(1)})
        .otherwise((Buffer[]) null);
  }

  private static byte[] fingerprint(Buffer[] pair) {
    return Buffer.buffer().appendInt(pair[0].length()).appendBuffer(pair[0]).appendBuffer(pair[1]).getBytes();
  }

  /** Fails unless the key of {@code pem} signs what the public key of its certificate verifies. */
  static void requireMatch(Vertx vertx, PemKeyCertOptions pem) throws Exception {
    X509KeyManager keys = (X509KeyManager) pem.getKeyManagerFactory(vertx).getKeyManagers()[0];
    X509Certificate leaf = null;
    PrivateKey key = null;
    for (String type : new String[] {"EC", "RSA", "Ed25519", "EdDSA"}) {
      String[] aliases = keys.getServerAliases(type, null);
      if (aliases != null && aliases.length > 0) {
        X509Certificate[] chain = keys.getCertificateChain(aliases[0]);
        leaf = chain == null || chain.length == 0 ? null : chain[0];
        key = keys.getPrivateKey(aliases[0]);
        break;
      }
    }
    if (leaf == null || key == null) {
      throw new GeneralSecurityException("no certificate with an EC, RSA or EdDSA key and its private key");
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> key.getAlgorithm();
    };
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    Signature sign = Signature.getInstance(algorithm);
    sign.initSign(key);
    sign.update(challenge);
    byte[] signature = sign.sign();
    Signature verify = Signature.getInstance(algorithm);
    verify.initVerify(leaf.getPublicKey());
    verify.update(challenge);
    if (!verify.verify(signature)) {
      throw new GeneralSecurityException("the key is not the certificate's");
    }
  }

  private void check(HttpServer server) {
    read().onSuccess(pair -> {
      if (pair == null) {
        return; // mid-swap, or gone for now: what is in force stays
      }
      byte[] now = fingerprint(pair);
      if (Arrays.equals(now, seen)) {
        return;
      }
      seen = now;
      PemKeyCertOptions pem = new PemKeyCertOptions().setCertValue(pair[0]).setKeyValue(pair[1]);
      // the server takes any parseable pair, and a key that is not the certificate's fails every handshake after:
      // prove the key signs for the certificate first (on a worker: parsing and signing are not event-loop work)
      vertx.executeBlocking(() -> {
        requireMatch(vertx, pem);
        return pem;
      }).compose(valid -> server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(valid), true))
          .onComplete(done -> {
            if (done.succeeded()) {
              changed.increment();
              LOG.info("{} listener: TLS certificate {} changed; new connections use it", listener,
                  tls.cert().orElseThrow());
            } else {
              failed.increment();
              LOG.warn("{} listener: TLS certificate {} and key {} changed but cannot be used ({}); the pair read"
                  + " before stays in force", listener, tls.cert().orElseThrow(), tls.key().orElseThrow(),
                  done.cause().getMessage() != null ? done.cause().getMessage() : done.cause().getClass().getSimpleName());
            }
          });
    });
  }
}
