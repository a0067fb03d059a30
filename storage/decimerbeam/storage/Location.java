package decimerbeam.storage;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file or directory in blob storage ({@code azfs://account/container/path}) or on the local
 * file system (a path or {@code file://} URI). Directories end with {@code /}.
 */
public record Location(String uri) implements Serializable {

  private static final Pattern AZFS =
      Pattern.compile("azfs://(?<account>[^/]+)/(?<container>[^/]+)(?:/(?<path>.*))?");

  public Location {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("empty location");
    }
  }

  /** Parses user input; local paths become absolute. */
  public static Location parse(String text) {
    String t = text.strip();
    if (t.startsWith("azfs://")) {
      Matcher m = AZFS.matcher(t);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "Azure location must look like azfs://<account>/<container>/<path>, got " + t);
      }
      return new Location(t);
    }
    if (t.contains("://") && !t.startsWith("file://")) {
      throw new IllegalArgumentException("unsupported location " + t
          + ": use azfs://<account>/<container>/<path> or a local path");
    }
    boolean dir = t.endsWith("/");
    String path = Path.of(t.startsWith("file://") ? t.substring(7) : t).toAbsolutePath()
        .normalize().toString();
    return new Location(dir && !path.endsWith("/") ? path + "/" : path);
  }

  public static Location directory(String text) {
    Location l = parse(text);
    return l.isDirectory() ? l : new Location(l.uri + "/");
  }

  public boolean isAzure() {
    return uri.startsWith("azfs://");
  }

  public boolean isDirectory() {
    return uri.endsWith("/");
  }

  public String account() {
    return azure().group("account");
  }

  public String container() {
    return azure().group("container");
  }

  /** The blob name (Azure) without the container; "" for the container root. */
  public String blobPath() {
    String p = azure().group("path");
    return p == null ? "" : p;
  }

  public Path localPath() {
    if (isAzure()) {
      throw new IllegalStateException(uri + " is not a local path");
    }
    return Path.of(uri);
  }

  private Matcher azure() {
    Matcher m = AZFS.matcher(uri);
    if (!m.matches()) {
      throw new IllegalStateException(uri + " is not an azfs:// location");
    }
    return m;
  }

  /** A child file ({@code name}) or directory ({@code name/}) of this directory. */
  public Location resolve(String name) {
    if (!isDirectory()) {
      throw new IllegalStateException(uri + " is not a directory");
    }
    return new Location(uri + name);
  }

  /** The last path segment, without a trailing slash. */
  public String name() {
    String u = isDirectory() ? uri.substring(0, uri.length() - 1) : uri;
    if (isAzure() && blobPath().isEmpty()) {
      return container();
    }
    return u.substring(u.lastIndexOf('/') + 1);
  }

  /** The path of {@code child} below this directory, e.g. "a/b/" for a nested directory. */
  public String relativize(Location child) {
    if (!isDirectory() || !child.uri.startsWith(uri)) {
      throw new IllegalArgumentException(child.uri + " is not below " + uri);
    }
    return child.uri.substring(uri.length());
  }

  @Override
  public String toString() {
    return uri;
  }
}
