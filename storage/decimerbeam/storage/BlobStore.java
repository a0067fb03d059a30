package decimerbeam.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

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

  /**
   * What a directory is, however it is reached: the same for two locations that are one
   * directory (a local symbolic link and its target), so a walk lists each directory once.
   */
  default String identity(Location directory) throws IOException {
    return directory.uri();
  }

  byte[] read(Location file) throws IOException;

  /** The file's content, or empty when it does not exist (e.g. another worker removed it). */
  Optional<byte[]> readIfExists(Location file) throws IOException;

  boolean exists(Location file) throws IOException;

  /**
   * Replaces the file's content in one step: readers see the old content or the new, never a
   * part. Parent directories are created as needed.
   */
  void writeAtomically(Location file, byte[] content) throws IOException;

  /** Deletes one file; a missing file is nothing to delete. */
  void deleteIfExists(Location file) throws IOException;

  /**
   * Deletes every file at or below {@code directory} (and, locally, the emptied folders); a
   * missing directory is nothing to delete.
   */
  void deleteAll(Location directory) throws IOException;
}
