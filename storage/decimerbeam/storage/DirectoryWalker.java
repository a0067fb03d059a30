package decimerbeam.storage;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Finds the directories under a root (or a glob of roots) that directly hold files, and their
 * files: one hierarchical listing per directory, several listings in flight at once. Never lists
 * a subtree flat, never lists a directory twice.
 */
public final class DirectoryWalker {

  private final BlobStore store;
  private final int parallelism;

  public DirectoryWalker(BlobStore store, int parallelism) {
    this.store = store;
    this.parallelism = Math.max(1, parallelism);
  }

  /**
   * Expands {@code *} and {@code ?} in directory segments of a pattern ending in '/', into the
   * directories that exist and are not empty. A segment missing under one match leaves that
   * match out; the others stay.
   */
  public List<Location> expandGlob(Location pattern) throws IOException {
    String uri = pattern.isDirectory() ? pattern.uri() : pattern.uri() + "/";
    int wild = indexOfWildcard(uri);
    if (wild < 0) {
      Location only = new Location(uri);
      return isPresent(only) ? List.of(only) : List.of();
    }
    int baseEnd = uri.lastIndexOf('/', wild) + 1;
    List<Location> current = List.of(new Location(uri.substring(0, baseEnd)));
    String[] segments = uri.substring(baseEnd, uri.length() - 1).split("/");
    for (String segment : segments) {
      List<Location> next = new ArrayList<>();
      Pattern match = indexOfWildcard(segment) < 0 ? null : globToRegex(segment);
      for (Location dir : current) {
        if (match == null) {
          next.add(dir.resolve(segment + "/"));
          continue;
        }
        for (Location sub : levelOrEmpty(dir).subdirectories()) {
          if (match.matcher(sub.name()).matches()) {
            next.add(sub);
          }
        }
      }
      current = next;
    }
    List<Location> present = new ArrayList<>();
    for (Location dir : current) {
      if (isPresent(dir)) {
        present.add(dir);
      }
    }
    return present;
  }

  /**
   * The directory above a pattern's first wildcard segment, or for a plain directory its
   * parent: output keys are the path below it, so two matches never share an output folder.
   */
  public static Location fixedBase(Location pattern) {
    String uri = pattern.isDirectory() ? pattern.uri() : pattern.uri() + "/";
    int wild = indexOfWildcard(uri);
    int end = wild >= 0 ? wild : uri.length() - 1;
    int cut = uri.lastIndexOf('/', end - 1) + 1;
    return cut == 0 ? new Location(uri) : new Location(uri.substring(0, cut));
  }

  /** Whether a pattern holds wildcards. */
  public static boolean isGlob(Location pattern) {
    return indexOfWildcard(pattern.uri()) >= 0;
  }

  private boolean isPresent(Location dir) throws IOException {
    BlobStore.Level level = levelOrEmpty(dir);
    return level.hasFiles() || !level.subdirectories().isEmpty();
  }

  /** A directory that is not there (or is a file) holds nothing. */
  private BlobStore.Level levelOrEmpty(Location dir) throws IOException {
    try {
      return store.listLevel(dir);
    } catch (NoSuchFileException | NotDirectoryException absent) {
      return new BlobStore.Level(List.of(), List.of());
    }
  }

  /** A directory that directly holds files, with those files (from the same listing). */
  public record Listing(Location directory, List<FileEntry> files) {}

  /** Receives each directory that holds files; may fail, which ends the walk. */
  public interface ListingSink {
    void accept(Listing listing) throws IOException;

    /**
     * A directory that could not be listed (after the store's retries): neither it nor anything
     * below it is handed on. By default the walk ends with the failure; a sink that records it
     * instead lets the walk go on with the other directories.
     */
    default void unlistable(Location directory, IOException failure) throws IOException {
      throw failure;
    }

    /**
     * Whether to walk into a subdirectory the walk came upon; a sink that refuses one records
     * why, and neither it nor anything below it is listed. By default every one is walked.
     */
    default boolean enter(Location subdirectory) throws IOException {
      return true;
    }
  }

  /**
   * Lists every directory at or below {@code root} (except under {@code exclude}) once, level by
   * level, and hands each one that holds files to {@code sink}, on the calling thread, as soon
   * as its level is listed. Returns how many it handed on. A directory reached a second time
   * (a local symbolic link back up the tree, or to a sibling) is not listed again, nor is one
   * the sink will not {@link ListingSink#enter enter}.
   */
  public long walk(Location root, Location exclude, ListingSink sink) throws IOException {
    long handed = 0;
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "directory-walker");
      t.setDaemon(true);
      return t;
    });
    try {
      Set<String> seen = new HashSet<>();
      seen.add(store.identity(root));
      List<Location> frontier = List.of(root);
      while (!frontier.isEmpty()) {
        List<Future<BlobStore.Level>> levels = new ArrayList<>();
        for (Location dir : frontier) {
          levels.add(pool.submit(() -> store.listLevel(dir)));
        }
        List<Location> next = new ArrayList<>();
        for (int i = 0; i < frontier.size(); i++) {
          BlobStore.Level level;
          try {
            level = get(levels.get(i));
          } catch (IOException e) {
            levels.set(i, null);
            sink.unlistable(frontier.get(i), e);
            continue;
          }
          levels.set(i, null); // let the files go once handed on
          if (level.hasFiles()) {
            sink.accept(new Listing(frontier.get(i), level.files()));
            handed++;
          }
          for (Location sub : level.subdirectories()) {
            if ((exclude == null || !sub.uri().startsWith(exclude.uri()))
                && seen.add(store.identity(sub)) && sink.enter(sub)) {
              next.add(sub);
            }
          }
        }
        frontier = next;
      }
    } finally {
      pool.shutdownNow();
    }
    return handed;
  }

  private static BlobStore.Level get(Future<BlobStore.Level> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }

  private static int indexOfWildcard(String s) {
    int a = s.indexOf('*');
    int b = s.indexOf('?');
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }

  static Pattern globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
