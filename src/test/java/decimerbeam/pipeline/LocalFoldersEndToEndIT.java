package decimerbeam.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** {@link EndToEndContract} on local folders. */
class LocalFoldersEndToEndIT extends EndToEndContract {

  @TempDir static Path tmp;

  private Path input() {
    return tmp.resolve("plates");
  }

  private Path output() {
    return tmp.resolve("results");
  }

  @Override
  void openStorage() throws IOException {
    Files.createDirectories(input());
  }

  @Override
  void stage(String relative, byte[] bytes) throws IOException {
    Path p = input().resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  @Override
  String inputRoot() {
    return input() + "/";
  }

  @Override
  String outputRoot() {
    return output() + "/";
  }

  @Override
  List<String> storageArgs() {
    return List.of();
  }

  @Override
  String rootName() {
    return "plates";
  }

  @Override
  String readOutput(String relative) throws IOException {
    return Files.readString(output().resolve(relative), StandardCharsets.UTF_8);
  }

  @Override
  boolean outputExists(String relative) {
    return Files.exists(output().resolve(relative));
  }

  @Override
  void deleteOutput(String relative) throws IOException {
    Files.delete(output().resolve(relative));
  }
}
