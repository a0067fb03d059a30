package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import decimerbeam.report.RunSummary;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table a run ends with, read back from what the run wrote. */
class ClosingTableTest {

  @TempDir Path out;

  private static final long START = 1_795_000_000_000L;

  private String summary(long startMillis) {
    return "{\"startedAt\":\"" + Instant.ofEpochMilli(startMillis) + "\",\"wallSeconds\":47.5,"
        + "\"directories\":{\"done\":2,\"alreadyDone\":1,\"failed\":1},"
        + "\"images\":{\"total\":15,\"recognized\":13,\"failed\":2,\"skippedFiles\":1,"
        + "\"reused\":4,\"withWarnings\":3},"
        + "\"warningsByCode\":{\"UNUSUAL_ELEMENT\":3,\"SECOND_OPINION_DIFFERS\":2},"
        + "\"imagesPerSecond\":0.32,"
        + "\"failedDirectories\":[{\"directory\":\"/in/b/\",\"error\":\"listing failed: 503\"}]}";
  }

  @Test
  void saysWhatBecameOfDirectoriesAndImagesAndWhereTheResultsAre() throws Exception {
    Files.writeString(out.resolve("_run-summary.json"), summary(START));
    Files.writeString(out.resolve("report.html"), "<html></html>");
    String table = ClosingTable.of(Location.directory(out + "/"), AzureAccess.none(), START);
    assertThat(table, containsString("2 done, 1 already done before, 1 failed, 0 unfinished"));
    assertThat(table, containsString("Run finished, not complete"));
    assertThat(table, containsString("exit code    3:"));
    assertThat(table, containsString("13 recognised, 2 failed, 3 with warnings, 4 reused"));
    assertThat(table, containsString("UNUSUAL_ELEMENT 3, SECOND_OPINION_DIFFERS 2"));
    assertThat(table, containsString("FAILED       /in/b/: listing failed: 503"));
    assertThat(table, containsString(out + "/_run-summary.json"));
    assertThat(table, containsString(out + "/report.html"));
  }

  @Test
  void namesNoReportThatWasNotWritten() throws Exception {
    String table = ClosingTable.render(RunSummary.read(summary(START).getBytes(StandardCharsets.UTF_8)), "/o/",
        false);
    assertThat(table, not(containsString("report.html")));
  }

  @Test
  void anOlderRunsSummaryIsNotTakenForThisRuns() throws Exception {
    Files.writeString(out.resolve("_run-summary.json"), summary(START - 60_000));
    String table = ClosingTable.of(Location.directory(out + "/"), AzureAccess.none(), START);
    assertThat(table, containsString("No run summary was written by this run"));
    assertThat("no summary of this run: nothing says it finished",
        ClosingTable.close(Location.directory(out + "/"), AzureAccess.none(), START).exitCode(),
        equalTo(ExitCode.RUN_FAILED));
  }
}
