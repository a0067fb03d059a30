package decimerbeam.transforms;

import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One input directory to process and where its results go.
 *
 * @param key the directory's name in the output tree (input root name + relative path)
 * @param retryFailedOnly redo only the images that failed in the previous run's results
 * @param reprocess process again from scratch: earlier results and staged rows are not reused
 * @param fileCount files the directory's listing found (images and others): one row each
 * @param listingFingerprint digest of the listing's names and sizes ({@link #fingerprint})
 * @param stagingKey the folder under {@code _staging/} where this run stages the rows
 */
public record DirectoryWork(Location directory, Location output, String key,
    boolean retryFailedOnly, boolean reprocess, int fileCount, String listingFingerprint,
    String stagingKey) {

  public static final String RESULTS = "results.jsonl";
  public static final String SUMMARY = "summary.json";
  public static final String STAGING = "_staging/";

  public Location resultsFile() {
    return output.resolve(RESULTS);
  }

  public Location summaryFile() {
    return output.resolve(SUMMARY);
  }

  /** Every staged row of this directory, whatever run or model staged it. */
  public Location stagingRoot() {
    return output.resolve(STAGING);
  }

  /** The rows this run may reuse and adds to. */
  public Location stagingFolder() {
    return stagingRoot().resolve(stagingKey + "/");
  }

  /** A digest of the files' names and sizes, independent of listing order. */
  public static String fingerprint(List<FileEntry> files) {
    List<FileEntry> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(FileEntry::name));
    StringBuilder b = new StringBuilder();
    for (FileEntry f : sorted) {
      b.append(f.name()).append('\t').append(f.size()).append('\n');
    }
    return RunIdentity.sha256(b.toString());
  }
}
