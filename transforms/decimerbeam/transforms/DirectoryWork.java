package decimerbeam.transforms;

import decimerbeam.storage.Location;
import java.io.Serializable;

/**
 * One input directory to process and where its results go.
 *
 * @param key the directory's name in the output tree (input root name + relative path)
 * @param retryFailedOnly redo only the images that failed in the previous run's results
 */
public record DirectoryWork(Location directory, Location output, String key,
    boolean retryFailedOnly) implements Serializable {

  public static final String RESULTS = "results.jsonl";
  public static final String SUMMARY = "summary.json";

  public Location resultsFile() {
    return output.resolve(RESULTS);
  }

  public Location summaryFile() {
    return output.resolve(SUMMARY);
  }
}
