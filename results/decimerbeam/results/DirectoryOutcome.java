package decimerbeam.results;

import decimerbeam.report.ReviewDigest;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to one directory in this run; the run summary adds them up.
 *
 * @param images rows this run produced (recognized + failed), skipped files not included
 * @param reused rows an earlier, interrupted run had staged and this run did not redo
 * @param withWarnings rows this run produced that carry at least one warning
 * @param warningsByCode how many of this run's rows carry each warning code
 * @param review what report.html shows of this run's rows of the directory
 */
public record DirectoryOutcome(String directory, String output, State state, int images,
    int recognized, int failed, int skippedFiles, long recognitionMillis, String message,
    int reused, int withWarnings, Map<String, Integer> warningsByCode, ReviewDigest review) {

  public DirectoryOutcome {
    warningsByCode = Map.copyOf(warningsByCode);
  }

  /** An outcome with nothing for the run report beyond its counts. */
  public DirectoryOutcome(String directory, String output, State state, int images,
      int recognized, int failed, int skippedFiles, long recognitionMillis, String message,
      int reused, int withWarnings, Map<String, Integer> warningsByCode) {
    this(directory, output, state, images, recognized, failed, skippedFiles, recognitionMillis,
        message, reused, withWarnings, warningsByCode, ReviewDigest.empty());
  }

  /** An outcome whose rows carry no warnings. */
  public DirectoryOutcome(String directory, String output, State state, int images,
      int recognized, int failed, int skippedFiles, long recognitionMillis, String message,
      int reused) {
    this(directory, output, state, images, recognized, failed, skippedFiles, recognitionMillis,
        message, reused, 0, Map.of());
  }

  /** The warning counts in code order, for summaries. */
  public Map<String, Integer> sortedWarnings() {
    return new TreeMap<>(warningsByCode);
  }

  public enum State {
    /** Results and summary written. */
    DONE,
    /** A previous run finished it (its summary.json exists); left alone. */
    ALREADY_DONE,
    /**
     * Could not be listed, prepared or named safely; it has no summary and runs again next
     * time.
     */
    FAILED,
    /**
     * Some of its images could not be read, or its results could not be written: no summary,
     * its rows kept staged, and a rerun goes on from them.
     */
    UNFINISHED
  }

  public static DirectoryOutcome alreadyDone(String directory, String output) {
    return new DirectoryOutcome(directory, output, State.ALREADY_DONE, 0, 0, 0, 0, 0, "", 0);
  }

  public static DirectoryOutcome failed(String directory, String output, String message) {
    return new DirectoryOutcome(directory, output, State.FAILED, 0, 0, 0, 0, 0, message, 0);
  }

  public static DirectoryOutcome unfinished(String directory, String output, String message) {
    return new DirectoryOutcome(directory, output, State.UNFINISHED, 0, 0, 0, 0, 0, message, 0);
  }
}
