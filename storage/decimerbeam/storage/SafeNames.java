package decimerbeam.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names taken from storage (directory and file names, blob names of a copied model) become
 * paths we write to. A name that could leave its root or that the target cannot hold is refused
 * with a reason, never written: {@code .} and {@code ..} segments, empty segments, NUL, and on a
 * local file system segments over 255 bytes; on Azure, blob names over 1,024 characters.
 */
public final class SafeNames {

  /** The longest file name most local file systems hold (ext4, XFS, NTFS in UTF-16 units). */
  static final int MAX_LOCAL_SEGMENT_BYTES = 255;
  /** Azure Blob Storage's limit on a blob name. */
  static final int MAX_BLOB_NAME_CHARS = 1024;
  /** Room left below a directory's output folder for {@code _staging/<key>/<file>}. */
  private static final int ROOM_BELOW = 200;

  private SafeNames() {}

  /** Why one path segment (a file or directory name) cannot be written, if it cannot. */
  public static Optional<String> segmentProblem(String segment, boolean local) {
    if (segment.isEmpty()) {
      return Optional.of("empty path segment");
    }
    if (segment.equals(".") || segment.equals("..")) {
      return Optional.of("path segment '" + segment + "' is not a name");
    }
    if (segment.indexOf('\0') >= 0) {
      return Optional.of("NUL character in name");
    }
    int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
    if (local && bytes > MAX_LOCAL_SEGMENT_BYTES) {
      return Optional.of("name of " + bytes + " bytes is longer than the "
          + MAX_LOCAL_SEGMENT_BYTES + " a local file system holds");
    }
    return Optional.empty();
  }

  /**
   * Why {@code root}/{@code relative}/ cannot be written, if it cannot: a bad segment, or a path
   * that would not stay under the root.
   */
  public static Optional<String> relativeProblem(Location root, String relative) {
    for (String segment : relative.split("/", -1)) {
      Optional<String> p = segmentProblem(segment, !root.isAzure());
      if (p.isPresent()) {
        return Optional.of(p.get() + " in '" + relative + "'");
      }
    }
    if (root.isAzure()) {
      int length = root.blobPath().length() + relative.length() + 1 + ROOM_BELOW;
      if (length > MAX_BLOB_NAME_CHARS) {
        return Optional.of("blob names under '" + relative + "' would be longer than "
            + MAX_BLOB_NAME_CHARS + " characters");
      }
      return Optional.empty();
    }
    Path base = root.localPath().normalize();
    if (!base.resolve(relative).normalize().startsWith(base)) {
      return Optional.of("'" + relative + "' leaves " + root);
    }
    return Optional.empty();
  }

  /** {@code root} resolved against {@code relative} ("a/b/c"), refused unless it stays under root. */
  public static Path under(Path root, String relative) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    for (String segment : relative.split("/", -1)) {
      Optional<String> p = segmentProblem(segment, true);
      if (p.isPresent()) {
        throw new IOException("refusing to write '" + relative + "' under " + root + ": "
            + p.get());
      }
    }
    Path target = base.resolve(relative).normalize();
    if (!target.startsWith(base) || target.equals(base)) {
      throw new IOException("refusing to write '" + relative + "': it leaves " + root);
    }
    return target;
  }
}
