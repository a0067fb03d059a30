package decimerbeam.work;

import decimerbeam.storage.FileEntry;
import java.util.List;

/**
 * A directory's work with the files its one listing found, on its way to a worker.
 *
 * @param mayHaveStagedRows whether its output folder held a {@code _staging/} folder when it was
 *     discovered; when not, the worker need not list it
 * @param reopened whether it was finished before and its files changed since: the rows of its
 *     unchanged files are kept, the others redone
 * @param markers the listing markers ({@link DirectoryWork#LISTING_MARKER}) its output folder
 *     held when it was discovered
 */
public record DirectoryListing(DirectoryWork work, List<FileEntry> files,
    boolean mayHaveStagedRows, boolean reopened, List<String> markers) {

  public DirectoryListing {
    files = List.copyOf(files);
    markers = List.copyOf(markers);
  }

  /** A directory not finished before, with no listing marker in its output folder. */
  public DirectoryListing(DirectoryWork work, List<FileEntry> files, boolean mayHaveStagedRows) {
    this(work, files, mayHaveStagedRows, false, List.of());
  }
}
