package dev.satellite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** What the reverse proxy passes on from one hop to the next (RFC 9110 §7.6.1). */
class UpstreamHeadersTest {

  @Test
  void hopByHopHeadersAndTheOnesConnectionNamesStayOnTheirHop() {
    MultiMap from = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "keep-alive, X-Hop-Secret")
        .add("Keep-Alive", "timeout=5")
        .add("X-Hop-Secret", "1")
        .add("Transfer-Encoding", "chunked")
        .add("TE", "trailers")
        .add("Trailer", "Expires")
        .add("Upgrade", "websocket")
        .add("Proxy-Authorization", "Basic eA==")
        .add("Proxy-Connection", "keep-alive")
        .add("Host", "public.example")
        .add("Content-Type", "text/plain")
        .add("Content-Length", "5")
        .add("X-Custom", "a")
        .add("X-Custom", "b");
    MultiMap to = MultiMap.caseInsensitiveMultiMap();
    UpstreamTarget.copyEndToEnd(from, to);
    assertThat(to.names()).containsExactlyInAnyOrder("Content-Type", "Content-Length", "X-Custom");
    assertThat(to.getAll("X-Custom")).containsExactly("a", "b");
  }

  @Test
  void headerNamesAreMatchedWhateverTheirCase() {
    assertThat(UpstreamTarget.hopByHop("TRANSFER-ENCODING")).isTrue();
    assertThat(UpstreamTarget.hopByHop("keep-alive")).isTrue();
    assertThat(UpstreamTarget.hopByHop("Proxy-Authenticate")).isTrue();
    assertThat(UpstreamTarget.hopByHop("X-Request-Id")).isFalse();
    assertThat(UpstreamTarget.hopByHop("Accept")).isFalse();
  }
}
