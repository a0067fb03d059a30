package decimerbeam.storage;

import java.io.Serializable;

/**
 * A file found by listing a directory: its name in the directory, location and size, and its
 * version: what storage changes whenever the file is written (the ETag on Azure, the
 * last-modified time locally), so a file replaced by another of the same size is told apart.
 * Empty where storage gave none.
 */
public record FileEntry(String name, Location location, long size, String version)
    implements Serializable {

  /** A file whose version is not known. */
  public FileEntry(String name, Location location, long size) {
    this(name, location, size, "");
  }
}
