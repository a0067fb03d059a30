package decimerbeam.storage;

import java.io.IOException;
import java.util.List;

/**
 * The storage operations the pipeline needs, with the same meaning on Azure Blob Storage and on
 * a local file system. A "directory" is a prefix ending in {@code /}.
 */
public interface BlobStore {

  /** One level of a directory: its immediate subdirectories and the files directly in it. */
  record Level(List<Location> subdirectories, List<FileEntry> files) {

    public boolean hasFiles() {
      return !files.isEmpty();
    }
  }

  /** Lists one level (hierarchically, never the whole subtree). */
  Level listLevel(Location directory) throws IOException;

  byte[] read(Location file) throws IOException;

  boolean exists(Location file) throws IOException;

  /**
   * Replaces the file's content in one step: readers see the old content or the new, never a
   * part. Parent directories are created as needed.
   */
  void writeAtomically(Location file, byte[] content) throws IOException;
}
