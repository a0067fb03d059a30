package decimerbeam.transforms;

import decimerbeam.storage.FileEntry;
import java.util.List;

/**
 * A directory's work with the files its one listing found, on its way to a worker.
 *
 * @param mayHaveStagedRows whether its output folder held a {@code _staging/} folder when it was
 *     discovered; when not, the worker need not list it
 */
public record DirectoryListing(DirectoryWork work, List<FileEntry> files,
    boolean mayHaveStagedRows) {}
