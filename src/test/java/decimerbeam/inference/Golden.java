package decimerbeam.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Rows of the Python DECIMER 2.8.1 golden file and the images they were made from. */
record Golden(String image, JsonNode row) {

  static final Path IMAGES = Path.of("src/test/resources/images");
  static final Path FILE = Path.of("src/test/resources/parity/python-decimer-2.8.1.jsonl");

  static List<Golden> rows() {
    try {
      ObjectMapper mapper = new ObjectMapper();
      List<Golden> rows = new ArrayList<>();
      for (String line : Files.readAllLines(FILE)) {
        if (!line.isBlank()) {
          JsonNode n = mapper.readTree(line);
          rows.add(new Golden(n.get("image").asText(), n));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path() {
    return IMAGES.resolve(image);
  }

  byte[] bytes() {
    try {
      return Files.readAllBytes(path());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean failedInPython() {
    return row.has("error");
  }

  String smiles() {
    return row.path("smiles").asText();
  }
}
