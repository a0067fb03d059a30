package decimerbeam.bench;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import decimerbeam.tools.Azurite;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * The directory tree the at-scale benchmarks (3: ExpansionAtScale, 5: DurableAtScale) run over:
 * DIRS directories of PER_DIR blobs, {@code dir-NNNN/img-NNN.png}, seeded into Azurite before
 * anything is timed.
 */
record ScaleTree(int directories, int perDirectory) {

  /** DIRS and PER_DIR, the first two arguments of both benchmarks. */
  static ScaleTree fromArgs(String[] args) {
    return new ScaleTree(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
  }

  long blobs() {
    return (long) directories * perDirectory;
  }

  /**
   * Uploads {@code prefix}dir-NNNN/img-NNN.png for every directory and image into Azurite's
   * container {@code scale}, 16 at a time, with the content {@code content(directory, image)};
   * returns {@code scale-out}, the container the runs write to. Says on stderr how long that
   * took, the blobs counted as {@code what} ("blobs", "images"); both containers are created
   * inside that time (BENCHMARKS.md quotes it), since the first calls also warm up the storage
   * client.
   */
  BlobContainerClient seed(Azurite azurite, String prefix, String what,
      BiFunction<Integer, Integer, byte[]> content) throws Exception {
    long t0 = System.nanoTime();
    BlobContainerClient container = azurite.container("scale");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> batches = new ArrayList<>();
      for (int d = 0; d < directories; d++) {
        int dir = d;
        String name = prefix + String.format(Locale.ROOT, "dir-%04d/", d);
        batches.add(pool.submit(() -> {
          for (int i = 0; i < perDirectory; i++) {
            container.getBlobClient(name + String.format(Locale.ROOT, "img-%03d.png", i))
                .upload(BinaryData.fromBytes(content.apply(dir, i)), true);
          }
          return null;
        }));
      }
      for (Future<?> b : batches) {
        b.get();
      }
    } finally {
      pool.shutdown();
    }
    BlobContainerClient output = azurite.container("scale-out");
    System.err.printf(Locale.ROOT, "seeded %d %s in %d directories in %.0f s%n", blobs(), what,
        directories, (System.nanoTime() - t0) / 1e9);
    return output;
  }
}
