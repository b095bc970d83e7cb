package dev.satellite.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import java.net.BindException;

/** Starting a listener with an error message that names the config keys to change. Thread-safe: stateless. */
public final class Listen {

  private Listen() {
  }

  /**
   * Listens on the server's configured address; a bind failure becomes a {@link BindException} whose
   * message says which address and which config key.
   */
  public static Future<HttpServer> on(HttpServer server, String host, int port, String keyPrefix) {
    return server.listen(port, host).recover(t -> Future.failedFuture(t instanceof BindException
        ? new BindException("cannot listen on " + host + ":" + port + " (" + keyPrefix + ".host/" + keyPrefix
            + ".port): " + t.getMessage())
        : t));
  }
}
