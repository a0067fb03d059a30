package decimerbeam.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code _run-summary.json} at the output root: its directories by outcome, its images,
 * and each directory that did not finish with the reason. This record is the file's only
 * reader and writer; fields are written in the order declared here.
 *
 * @param complete every directory of the input finished, by this run or an earlier one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunSummary(String output, String startedAt, String finishedAt, double wallSeconds,
    boolean complete, Directories directories, Images images,
    Map<String, Integer> warningsByCode, double imagesPerSecond,
    List<NotFinished> failedDirectories, List<NotFinished> unfinishedDirectories) {

  public static final String FILE = "_run-summary.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
      .enable(SerializationFeature.INDENT_OUTPUT);

  public RunSummary {
    directories = directories == null ? new Directories(0, 0, 0, 0) : directories;
    images = images == null ? new Images(0, 0, 0, 0, 0, 0) : images;
    warningsByCode = warningsByCode == null ? Map.of() : warningsByCode;
    failedDirectories = failedDirectories == null ? List.of() : failedDirectories;
    unfinishedDirectories = unfinishedDirectories == null ? List.of() : unfinishedDirectories;
  }

  /** Directories by outcome; already done = finished by an earlier run. */
  public record Directories(int done, int alreadyDone, int failed, int unfinished) {}

  /**
   * Images this run recognised or failed, files skipped as no images, rows reused from an
   * interrupted run (in the results, not recognised again), and rows with a warning.
   */
  public record Images(int total, int recognized, int failed, int skippedFiles, int reused,
      int withWarnings) {}

  /** A FAILED or UNFINISHED directory and why. */
  public record NotFinished(String directory, String error) {}

  public static RunSummary read(byte[] json) throws IOException {
    return JSON.readValue(json, RunSummary.class);
  }

  public byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(this);
  }
}
