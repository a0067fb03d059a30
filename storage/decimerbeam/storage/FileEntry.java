package decimerbeam.storage;

import java.io.Serializable;

/** A file found by listing a directory: its name in the directory, location and size. */
public record FileEntry(String name, Location location, long size) implements Serializable {}
