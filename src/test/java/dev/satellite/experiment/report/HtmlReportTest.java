package dev.satellite.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  private static final Pattern JOURNAL_BLOCK =
      Pattern.compile("<script type=\"application/json\" id=\"journal\">(.*?)</script>", Pattern.DOTALL);

  @Test
  void embedsTheJournalSoThatNoStringCanCloseTheScriptElement() {
    JsonObject journal = ReportJournals.known();

    String html = HtmlReport.render(journal);

    Matcher m = JOURNAL_BLOCK.matcher(html);
    assertThat(m.find()).isTrue();
    String embedded = m.group(1);
    assertThat(embedded).doesNotContainIgnoringCase("</script").doesNotContain("<!--").doesNotContain("<");
    assertThat(new JsonObject(embedded)).isEqualTo(journal);
  }

  @Test
  void needsNoNetworkToOpen() {
    String html = HtmlReport.render(ReportJournals.known());

    assertThat(html).doesNotContainPattern("<script[^>]+src=").doesNotContainPattern("<link[^>]+href=")
        .doesNotContain("@import");
    assertThat(html).contains("uPlot").contains("window.satelliteReport");
  }

  @Test
  void escapesTheTitleInTheDocumentHead() {
    String html = HtmlReport.render(ReportJournals.known());

    assertThat(html).contains("<title>A node dies &lt;/script&gt;&lt;script&gt;window.pwned=true");
  }

  @Test
  void rendersAJournalWithoutSatelliteAdditions() {
    String html = HtmlReport.render(new JsonObject().put("status", "completed"));

    assertThat(html).contains("<title>Chaos experiment — Satellite chaos report</title>");
  }

  @Test
  void writesTheFileCreatingItsDirectory(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("runs/one/report.html");

    HtmlReport.write(ReportJournals.known(), file);

    assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>");
  }
}
