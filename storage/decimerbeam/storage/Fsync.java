package decimerbeam.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@link Durability} through fsync: of the file, and of the directory opened for reading. */
final class Fsync implements Durability {

  static final Fsync INSTANCE = new Fsync();

  private Fsync() {}

  @Override
  public void force(FileChannel file) throws IOException {
    file.force(true);
  }

  @Override
  public void forceDirectory(Path directory) throws IOException {
    // Linux lets a directory be opened for reading and fsync'ed; that persists its entries.
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
