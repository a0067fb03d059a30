package decimerbeam.transforms;

import decimerbeam.storage.FileEntry;
import java.util.List;

/** A directory's work with the files its one listing found, on its way to a worker. */
public record DirectoryListing(DirectoryWork work, List<FileEntry> files) {}
