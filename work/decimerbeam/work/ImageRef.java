package decimerbeam.work;

import decimerbeam.storage.FileEntry;

/** A file listed in a directory, on its way to recognition; the bytes are read there. */
public record ImageRef(DirectoryWork work, FileEntry file) {}
