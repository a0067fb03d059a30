package decimerbeam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The PNG and JPEG files directly in the benchmarks' image directories, sorted by path. */
final class BenchImages {

  private BenchImages() {}

  static List<Path> in(List<String> dirs) throws IOException {
    List<Path> images = new ArrayList<>();
    for (String dir : dirs) {
      try (Stream<Path> s = Files.list(Path.of(dir))) {
        s.filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g)$")).forEach(images::add);
      }
    }
    images.sort(null);
    return images;
  }
}
