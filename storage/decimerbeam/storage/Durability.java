package decimerbeam.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * What makes a local write survive a power loss: the temp file's bytes reach the disk before the
 * rename publishes it, and the directory's entry after it, so a {@code summary.json} never
 * stands beside an empty or missing {@code results.jsonl}.
 */
interface Durability {

  /** Flushes the file's content (and its metadata) to the disk. */
  void force(FileChannel file) throws IOException;

  /** Flushes the directory's entries, such as a rename into it, to the disk. */
  void forceDirectory(Path directory) throws IOException;
}
