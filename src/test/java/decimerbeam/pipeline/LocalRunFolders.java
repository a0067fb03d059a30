package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** A run's input folder {@code plates/} and output folder under a test's temporary folder. */
final class LocalRunFolders {

  private static final ObjectMapper JSON = new ObjectMapper();

  final Path in;
  final Path out;

  LocalRunFolders(Path tmp) {
    this.in = tmp.resolve("plates");
    this.out = tmp.resolve("results");
  }

  void put(String relative, byte[] bytes) throws IOException {
    Path p = in.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  /** Options of a run over these folders: no progress lines, rows staged every second. */
  DecimerOptions options(String... extra) {
    List<String> args = new ArrayList<>(List.of("--input=" + in + "/", "--output=" + out + "/",
        "--progressInterval=0", "--checkpointInterval=1"));
    args.addAll(List.of(extra));
    PipelineOptionsFactory.register(DecimerOptions.class);
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation()
        .as(DecimerOptions.class);
  }

  /** The rows of {@code plates/<dir>/results.jsonl} by image, asserting one row per image. */
  Map<String, JsonNode> rows(String dir) throws IOException {
    Map<String, JsonNode> rows = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve("plates/" + dir + "/results.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      assertThat("one row per image in " + dir, rows.put(n.get("image").asText(), n) == null,
          equalTo(true));
    }
    return rows;
  }

  JsonNode json(String relative) throws IOException {
    return JSON.readTree(Files.readString(out.resolve(relative)));
  }
}
