package dev.satellite.experiment;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs an {@code http} provider as Chaos Toolkit does (with {@code requests}): GET sends {@code arguments} as query
 * parameters; other methods send them as a JSON body when the {@code Content-Type} header is
 * {@code application/json}, else form-encoded (a string as is). The output is {@code {status, headers, body}},
 * the body parsed when the response's {@code Content-Type} is exactly {@code application/json}, else text. An
 * error status is output, not a failure; a refused connection or a timeout fails the activity. Satellite's
 * differences: without a {@code timeout} a call is bounded by {@link #DEFAULT_TIMEOUT} (Chaos Toolkit waits forever),
 * and {@code expected_status} (a code or a list) fails the activity on any other status.
 *
 * <p>Thread-safe: the clients are; a call blocks its thread until the answer (never call it on an event loop).
 */
public final class HttpProviderRunner {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final Map<Duration, HttpClient> verified = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Duration, HttpClient> unverified = new java.util.concurrent.ConcurrentHashMap<>();

  public Map<String, Object> run(Provider.Http provider, Bindings bindings) throws ActivityFailed, InterruptedException {
    String url = String.valueOf(bindings.substitute(provider.url()));
    Map<String, Object> headers = castMap(bindings.substitute(provider.headers()));
    Object timeout = bindings.substitute(provider.timeout());
    Object arguments = bindings.substitute(provider.arguments());
    Duration connect;
    Duration read;
    if (timeout instanceof Number n) {
      connect = seconds(n);
      read = connect;
    } else if (timeout instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number c && l.get(1) instanceof Number r) {
      connect = seconds(c);
      read = seconds(r);
    } else {
      connect = DEFAULT_TIMEOUT;
      read = DEFAULT_TIMEOUT;
    }
    URI uri;
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    String contentType = null;
    try {
      if (provider.method().equals("GET")) {
        uri = URI.create(withQuery(url, arguments));
      } else {
        uri = URI.create(url);
        if (arguments != null) {
          if ("application/json".equals(header(headers, "Content-Type"))) {
            body = HttpRequest.BodyPublishers.ofString(io.vertx.core.json.Json.encode(Json.toVertx(arguments)));
          } else if (arguments instanceof Map<?, ?> m) {
            body = HttpRequest.BodyPublishers.ofString(form(m));
            contentType = "application/x-www-form-urlencoded";
          } else {
            body = HttpRequest.BodyPublishers.ofString(String.valueOf(arguments));
          }
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ActivityFailed("invalid URL " + url + ": " + e.getMessage());
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(read).method(provider.method(), body);
    headers.forEach((k, v) -> request.header(k, ProcessProviderRunner.pythonStr(v)));
    if (contentType != null && header(headers, "Content-Type") == null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> response;
    try {
      response = client(connect, provider.verifyTls()).send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw new ActivityFailed("failed to connect to " + url + ": connect timed out");
    } catch (HttpTimeoutException e) {
      throw new ActivityFailed("activity took too long to complete");
    } catch (IOException e) {
      throw new ActivityFailed("failed to connect to " + url + ": " + e);
    }
    Map<String, Object> responseHeaders = new LinkedHashMap<>();
    response.headers().map().forEach((k, v) -> responseHeaders.put(k, String.join(", ", v)));
    Object responseBody = response.body();
    if ("application/json".equals(response.headers().firstValue("Content-Type").orElse(null))) {
      try {
        responseBody = Json.parse(response.body());
      } catch (IllegalArgumentException e) {
        throw new ActivityFailed("the response claims application/json but does not parse: " + e.getMessage());
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", response.statusCode());
    out.put("headers", responseHeaders);
    out.put("body", responseBody);
    Object expected = provider.expectedStatus();
    if (expected != null) {
      List<?> codes = expected instanceof List<?> l ? l : List.of(expected);
      if (codes.stream().noneMatch(c -> ToleranceCheck.same(c, response.statusCode()))) {
        throw new ActivityFailed("status " + response.statusCode() + ", expected " + expected);
      }
    }
    return out;
  }

  private HttpClient client(Duration connect, boolean verifyTls) {
    return (verifyTls ? verified : unverified).computeIfAbsent(connect, c -> {
      HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(c)
          .followRedirects(HttpClient.Redirect.NORMAL);
      if (!verifyTls) {
        b.sslContext(trustAll());
      }
      return b.build();
    });
  }

  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Duration seconds(Number n) {
    return Duration.ofMillis(Math.max(1, (long) (n.doubleValue() * 1000)));
  }

  private static String header(Map<String, Object> headers, String name) {
    return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> String.valueOf(e.getValue())).findFirst().orElse(null);
  }

  private static String withQuery(String url, Object arguments) {
    if (arguments == null || arguments instanceof Map<?, ?> m && m.isEmpty()) {
      return url;
    }
    String query = arguments instanceof Map<?, ?> m ? form(m) : String.valueOf(arguments);
    return url + (url.contains("?") ? "&" : "?") + query;
  }

  private static String form(Map<?, ?> m) {
    List<String> pairs = new ArrayList<>();
    m.forEach((k, v) -> {
      List<?> values = v instanceof List<?> l ? l : java.util.Collections.singletonList(v);
      for (Object x : values) {
        if (x != null) {
          pairs.add(enc(String.valueOf(k)) + "=" + enc(ProcessProviderRunner.pythonStr(x)));
        }
      }
    });
    return pairs.stream().collect(Collectors.joining("&"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
