package dev.satellite.edge;

import dev.satellite.config.TokenFiles;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens of one {@code auth.tokenFile}, shared by every route that names the file. It starts with the tokens
 * read when the config was built and re-reads the file (asynchronously, on Vert.x's file system workers) every
 * {@link #CHECK_INTERVAL_MS} ms: a file whose tokens changed replaces them at once (an emptied file refuses
 * everyone); a file that is gone, unreadable, too large or holds a line that is not a token keeps the tokens in
 * force and is logged once until it is right again. Logs name the file and counts, never a token.
 *
 * <p>Thread-safe: the tokens are one volatile list, replaced whole.
 */
public final class TokenFile {

  private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);
  /** How often the file is checked for changes. */
  public static final long CHECK_INTERVAL_MS = 1000;

  private final Path path;
  private final Vertx vertx;
  private final Counter changed;
  private final Counter failed;
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile List<byte[]> digests;

  public TokenFile(Path path, List<String> initial, Vertx vertx, MeterRegistry registry) {
    this.path = path;
    this.vertx = vertx;
    this.digests = BearerTokens.digests(initial);
    this.changed = Counter.builder(MetricNames.EDGE_AUTH_TOKEN_FILE_RELOADS)
        .description("Re-reads of an auth token file: changed (new tokens in force) or failed (old ones kept)")
        .tags("file", path.toString(), "result", "changed").register(registry);
    this.failed = Counter.builder(MetricNames.EDGE_AUTH_TOKEN_FILE_RELOADS)
        .description("Re-reads of an auth token file: changed (new tokens in force) or failed (old ones kept)")
        .tags("file", path.toString(), "result", "failed").register(registry);
  }

  public Path path() {
    return path;
  }

  /** The digests of the tokens in force. */
  public List<byte[]> digests() {
    return digests;
  }

  /** Re-reads the file every {@link #CHECK_INTERVAL_MS} ms on {@code home}, until Vert.x closes. */
  public void watch(Context home) {
    home.runOnContext(v -> vertx.setPeriodic(CHECK_INTERVAL_MS, t -> reload()));
  }

  /** Reads the file once; succeeds with whether the tokens in force changed (never fails). */
  public Future<Boolean> reload() {
    return vertx.fileSystem().readFile(path.toString()).map(content -> {
      if (content.length() > TokenFiles.MAX_BYTES) {
        failure("is larger than " + TokenFiles.MAX_BYTES + " bytes");
        return false;
      }
      TokenFiles.Parsed parsed = TokenFiles.parse(content.toString(StandardCharsets.UTF_8));
      if (!parsed.badLines().isEmpty()) {
        failure("has lines that are not tokens: " + parsed.badLines());
        return false;
      }
      if (failing.compareAndSet(true, false)) {
        LOG.info("auth token file {} is readable again", path);
      }
      List<byte[]> fresh = BearerTokens.digests(parsed.tokens());
      if (same(fresh, digests)) {
        return false;
      }
      digests = fresh;
      changed.increment();
      LOG.info("auth token file {} changed: {} tokens in force now", path, fresh.size());
      return true;
    }).otherwise(e -> {
      failure("cannot be read (" + e.getClass().getSimpleName() + ")");
      return false;
    });
  }

  private void failure(String what) {
    failed.increment();
    if (failing.compareAndSet(false, true)) {
      LOG.warn("auth token file {} {}; the {} tokens read before stay in force", path, what, digests.size());
    }
  }

  private static boolean same(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!MessageDigest.isEqual(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
