package decimerbeam.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** {@link CrashAndRerunContract} on local folders. */
class CrashAndRerunLocalIT extends CrashAndRerunContract {

  @TempDir Path tmp;

  @Override
  void openStorage() throws IOException {
    Files.createDirectories(tmp.resolve("plates"));
  }

  @Override
  void stage(String relative, byte[] bytes) throws IOException {
    Path p = tmp.resolve("plates").resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  @Override
  String inputRoot() {
    return tmp.resolve("plates") + "/";
  }

  @Override
  String outputRoot() {
    return tmp.resolve("results") + "/";
  }

  @Override
  Map<String, String> environment() {
    return Map.of();
  }

  @Override
  List<String> outputFiles() throws IOException {
    Path out = tmp.resolve("results");
    if (!Files.exists(out)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(out)) {
      return files.filter(Files::isRegularFile).map(p -> out.relativize(p).toString())
          .filter(p -> !p.contains(".tmp-")).toList();
    }
  }

  @Override
  String readOutput(String relative) throws IOException {
    return Files.readString(tmp.resolve("results").resolve(relative));
  }
}
