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

  /**
   * Puts this part's current state into {@code state} under a key of its own, for the console's stream (called on
   * the admin listener's event loop, once a second while a console watches). Nothing by default.
   */
  default void snapshot(io.vertx.core.json.JsonObject state) {
  }
}
