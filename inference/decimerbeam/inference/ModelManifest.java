package decimerbeam.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The checksums written when a model was prepared, checked before the model is loaded. */
final class ModelManifest {

  private ModelManifest() {}

  /** Returns the model id; throws with every mismatching or missing file named. */
  static String verify(Path root) throws IOException {
    Path manifest = root.resolve(PreparedModel.MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      throw new IOException("no " + PreparedModel.MANIFEST + " in " + root
          + ": not a prepared model directory (run `prepare-model`)");
    }
    JsonNode json = new ObjectMapper().readTree(manifest.toFile());
    String modelId = json.path("modelId").asText("");
    JsonNode files = json.path("files");
    if (modelId.isEmpty() || !files.isObject() || files.size() == 0) {
      throw new IOException(manifest + " is incomplete: no modelId or no files");
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Path file = root.resolve(e.getKey()).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        problems.add(e.getKey() + " is missing");
        continue;
      }
      String want = e.getValue().path("sha256").asText();
      String got = sha256(file);
      if (!got.equals(want)) {
        problems.add(e.getKey() + " has sha256 " + got + ", manifest says " + want);
      }
    }
    if (!problems.isEmpty()) {
      throw new IOException("model in " + root + " does not match its manifest: "
          + String.join("; ", problems) + ". Delete the directory and prepare it again.");
    }
    return modelId;
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
