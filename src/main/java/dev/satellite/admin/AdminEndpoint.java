package dev.satellite.admin;

import io.vertx.ext.web.Router;

/**
 * A part of the admin API ({@code /admin/...}) contributed by another layer. Mounted behind the bearer
 * token check, once per admin listener.
 */
@FunctionalInterface
public interface AdminEndpoint {

  /** Adds routes under {@code /admin/} to the admin router. */
  void mount(Router router);
}
