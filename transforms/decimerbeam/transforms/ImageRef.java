package decimerbeam.transforms;

import decimerbeam.storage.FileEntry;
import java.io.Serializable;

/** A file listed in a directory, on its way to recognition; the bytes are read there. */
public record ImageRef(DirectoryWork work, FileEntry file) implements Serializable {}
