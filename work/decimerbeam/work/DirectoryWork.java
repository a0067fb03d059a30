package decimerbeam.work;

import decimerbeam.report.DirectorySummary;
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
 * @param reprocess process again from scratch: earlier results are not reused
 * @param fileCount files the directory's listing found (images and others): one row each
 * @param listingFingerprint digest of the listing's names, sizes and versions ({@link
 *     #fingerprint})
 * @param stagingKey the folder under {@code _staging/} where this run stages the rows
 * @param changes how the listing differs from the one the directory was last finished with;
 *     {@link ListingChanges#NONE} when it was not finished before or nothing changed
 */
public record DirectoryWork(Location directory, Location output, String key,
    boolean retryFailedOnly, boolean reprocess, int fileCount, String listingFingerprint,
    String stagingKey, ListingChanges changes) {

  public static final String RESULTS = "results.jsonl";
  public static final String SUMMARY = DirectorySummary.FILE;
  public static final String STAGING = "_staging/";
  /**
   * Beside summary.json, an empty file named after the listing it was written for: the one
   * listing of the output folder that tells whether a directory is finished then also tells
   * whether its files changed since, without reading summary.json.
   */
  public static final String LISTING_MARKER = "_listing-";

  /** A directory not finished before, or whose listing is not compared. */
  public DirectoryWork(Location directory, Location output, String key,
      boolean retryFailedOnly, boolean reprocess, int fileCount, String listingFingerprint,
      String stagingKey) {
    this(directory, output, key, retryFailedOnly, reprocess, fileCount, listingFingerprint,
        stagingKey, ListingChanges.NONE);
  }

  /** This work, for a directory whose files changed since it was finished as {@code c}. */
  public DirectoryWork withChanges(ListingChanges c) {
    return new DirectoryWork(directory, output, key, retryFailedOnly, reprocess, fileCount,
        listingFingerprint, stagingKey, c);
  }

  /** Whether it rewrites a finished directory's files rather than writing them first. */
  public boolean rewritesFinished() {
    return retryFailedOnly || reprocess || changes.any();
  }

  public Location resultsFile() {
    return output.resolve(RESULTS);
  }

  public Location summaryFile() {
    return output.resolve(SUMMARY);
  }

  /** The marker of the listing this work was made from. */
  public Location listingMarker() {
    return output.resolve(markerName(listingFingerprint));
  }

  /** The marker's name for a listing fingerprint. */
  public static String markerName(String listingFingerprint) {
    return LISTING_MARKER + listingFingerprint;
  }

  /** Every staged row of this directory, whatever run or model staged it. */
  public Location stagingRoot() {
    return output.resolve(STAGING);
  }

  /** The rows this run may reuse and adds to. */
  public Location stagingFolder() {
    return stagingRoot().resolve(stagingKey + "/");
  }

  /** A digest of the files' names, sizes and versions, independent of listing order. */
  public static String fingerprint(List<FileEntry> files) {
    List<FileEntry> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(FileEntry::name));
    StringBuilder b = new StringBuilder();
    for (FileEntry f : sorted) {
      b.append(f.name()).append('\t').append(f.size()).append('\t').append(f.version())
          .append('\n');
    }
    return RunIdentity.sha256(b.toString());
  }
}
