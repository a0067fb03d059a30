package decimerbeam.pipeline;

import decimerbeam.report.RunReport;
import decimerbeam.report.RunSummary;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.BlobStore;
import decimerbeam.storage.Location;
import decimerbeam.storage.Stores;
import decimerbeam.transforms.SummarizeRun;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The few lines a run ends with: what became of the directories and images, and where the
 * results, the run summary and the report are. Read back from this run's
 * {@code _run-summary.json}, so it says what was written, not what was meant to be.
 */
final class ClosingTable {

  static final String REPORT = RunReport.FILE;
  private static final int FAILED_SHOWN = 5;

  private ClosingTable() {}

  /** The closing lines and the exit code they stand for. */
  record Closing(String text, ExitCode exitCode) {}

  /** The table for this run, or a line saying why there is none. */
  static String of(Location output, AzureAccess access, long startMillis) {
    return close(output, access, startMillis).text();
  }

  /**
   * The table for this run and its exit code; without this run's summary, a line saying why
   * and {@link ExitCode#RUN_FAILED}: nothing says the directories finished.
   */
  static Closing close(Location output, AzureAccess access, long startMillis) {
    try {
      BlobStore store = Stores.forLocation(output, access);
      Optional<byte[]> bytes = store.readIfExists(output.resolve(SummarizeRun.RUN_SUMMARY));
      RunSummary summary = bytes.isEmpty() ? null : RunSummary.read(bytes.get());
      if (summary == null || !Instant.ofEpochMilli(startMillis).toString()
          .equals(summary.startedAt())) {
        return new Closing("No run summary was written by this run under " + output.uri()
            + " (see the log above).\n", ExitCode.RUN_FAILED);
      }
      return new Closing(render(summary, output.uri(), store.exists(output.resolve(REPORT))),
          ExitCode.of(summary));
    } catch (IOException | RuntimeException e) {
      return new Closing("Could not read the run summary under " + output.uri() + ": "
          + e.getMessage() + "\n", ExitCode.RUN_FAILED);
    }
  }

  static String render(RunSummary s, String outputUri, boolean reportWritten) {
    RunSummary.Directories d = s.directories();
    RunSummary.Images i = s.images();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"directories", String.format(Locale.ROOT,
        "%d done, %d already done before, %d failed, %d unfinished", d.done(), d.alreadyDone(),
        d.failed(), d.unfinished())});
    rows.add(new String[] {"images", String.format(Locale.ROOT,
        "%d recognised, %d failed, %d with warnings, %d reused from an interrupted run",
        i.recognized(), i.failed(), i.withWarnings(), i.reused())});
    String codes = warningCodes(s.warningsByCode());
    if (!codes.isEmpty()) {
      rows.add(new String[] {"warnings", codes});
    }
    if (i.skippedFiles() > 0) {
      rows.add(new String[] {"skipped", i.skippedFiles()
          + " files that are no images (named in each directory's summary.json)"});
    }
    rows.add(new String[] {"time", String.format(Locale.ROOT, "%.1f s, %.2f img/s overall",
        s.wallSeconds(), s.imagesPerSecond())});
    rows.add(new String[] {"results", outputUri + "<directory>/results.jsonl"});
    rows.add(new String[] {"run summary", outputUri + SummarizeRun.RUN_SUMMARY});
    if (reportWritten) {
      rows.add(new String[] {"report", outputUri + REPORT});
    }
    listDirectories(rows, "FAILED", s.failedDirectories());
    listDirectories(rows, "UNFINISHED", s.unfinishedDirectories());
    ExitCode code = ExitCode.of(s);
    rows.add(new String[] {"exit code", code.code() + ": " + code.meaning()});
    StringBuilder out = new StringBuilder(code == ExitCode.COMPLETE ? "Run finished\n"
        : "Run finished, not complete\n");
    for (String[] r : rows) {
      out.append(String.format(Locale.ROOT, "  %-12s %s%n", r[0], r[1]));
    }
    return out.toString();
  }

  private static void listDirectories(List<String[]> rows, String label,
      List<RunSummary.NotFinished> list) {
    int shown = 0;
    for (RunSummary.NotFinished f : list) {
      if (shown++ == FAILED_SHOWN) {
        rows.add(new String[] {"", "... and " + (list.size() - FAILED_SHOWN) + " more in "
            + SummarizeRun.RUN_SUMMARY});
        break;
      }
      rows.add(new String[] {label, f.directory() + ": " + f.error()});
    }
  }

  private static String warningCodes(Map<String, Integer> byCode) {
    List<String> parts = new ArrayList<>();
    byCode.forEach((code, n) -> parts.add(code + " " + n));
    return String.join(", ", parts);
  }
}
