package decimerbeam.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A local folder tree with blob-store semantics; writes go to a temp file, forced to the disk,
 * then a rename, and the directory is forced after it ({@link Durability}).
 */
final class LocalStore implements BlobStore {

  static final LocalStore INSTANCE = new LocalStore(Fsync.INSTANCE);

  private final Durability durability;

  LocalStore(Durability durability) {
    this.durability = durability;
  }

  @Override
  public Level listLevel(Location directory) throws IOException {
    List<Location> dirs = new ArrayList<>();
    List<FileEntry> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(directory.localPath())) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p)) {
          dirs.add(directory.resolve(name + "/"));
        } else if (Files.isRegularFile(p) && !isTemp(name)) {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          files.add(new FileEntry(name, directory.resolve(name), a.size(),
              a.lastModifiedTime().toInstant().toString()));
        }
      }
    }
    dirs.sort((a, b) -> a.uri().compareTo(b.uri()));
    return new Level(dirs, files);
  }

  @Override
  public String identity(Location directory) throws IOException {
    return directory.localPath().toRealPath().toString();
  }

  @Override
  public byte[] read(Location file) throws IOException {
    return Files.readAllBytes(file.localPath());
  }

  @Override
  public Optional<byte[]> readIfExists(Location file) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file.localPath()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean exists(Location file) {
    return Files.isRegularFile(file.localPath());
  }

  @Override
  public void writeAtomically(Location file, byte[] content) throws IOException {
    Path target = file.localPath();
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        durability.force(out);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + target + " cannot rename atomically", e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    durability.forceDirectory(target.getParent());
  }

  @Override
  public void deleteIfExists(Location file) throws IOException {
    Files.deleteIfExists(file.localPath());
  }

  @Override
  public void deleteAll(Location directory) throws IOException {
    Path root = directory.localPath();
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(root)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException | DirectoryNotEmptyException raced) {
      // Another worker deleted (or wrote) under the same folder at the same time: what is left
      // is theirs to finish.
    }
  }

  /** Temp files of an interrupted write are never listed. */
  private static boolean isTemp(String name) {
    return name.startsWith(".") && name.contains(".tmp-");
  }
}
