package decimerbeam.transforms;

import decimerbeam.storage.Location;

/**
 * A directory's work as a plain string, so it can key the per-directory grouping (Beam needs a
 * deterministic key coder; a string is one).
 */
final class GroupKey {

  private static final char SEP = '\u0000'; // cannot occur in a path or blob name

  private GroupKey() {}

  static String of(DirectoryWork w) {
    return w.directory().uri() + SEP + w.output().uri() + SEP + w.key() + SEP
        + w.retryFailedOnly();
  }

  static DirectoryWork parse(String key) {
    String[] f = key.split(String.valueOf(SEP), -1);
    if (f.length != 4) {
      throw new IllegalArgumentException("not a directory group key: " + key);
    }
    return new DirectoryWork(new Location(f[0]), new Location(f[1]), f[2],
        Boolean.parseBoolean(f[3]));
  }
}
