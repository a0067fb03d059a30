package decimerbeam.work;

import decimerbeam.storage.FileEntry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a directory's files differ from the listing it was last finished with: files added,
 * files changed (another size or version), files removed.
 */
public record ListingChanges(int added, int changed, int removed) {

  /** Nothing changed, or nothing was compared. */
  public static final ListingChanges NONE = new ListingChanges(0, 0, 0);

  public boolean any() {
    return added + changed + removed > 0;
  }

  /** The changes from {@code earlier} to {@code now}. */
  public static ListingChanges between(List<FileEntry> earlier, List<FileEntry> now) {
    Map<String, FileEntry> before = byName(earlier);
    int added = 0;
    int changed = 0;
    for (FileEntry f : now) {
      FileEntry was = before.remove(f.name());
      if (was == null) {
        added++;
      } else if (!same(was, f)) {
        changed++;
      }
    }
    return new ListingChanges(added, changed, before.size());
  }

  /** The files of {@code now} that {@code earlier} lists with the same size and version. */
  public static Set<String> unchanged(List<FileEntry> earlier, List<FileEntry> now) {
    Map<String, FileEntry> before = byName(earlier);
    Set<String> names = new HashSet<>();
    for (FileEntry f : now) {
      FileEntry was = before.get(f.name());
      if (was != null && same(was, f)) {
        names.add(f.name());
      }
    }
    return names;
  }

  private static boolean same(FileEntry a, FileEntry b) {
    return a.size() == b.size() && Objects.equals(a.version(), b.version());
  }

  private static Map<String, FileEntry> byName(List<FileEntry> files) {
    Map<String, FileEntry> map = new HashMap<>();
    files.forEach(f -> map.put(f.name(), f));
    return map;
  }
}
