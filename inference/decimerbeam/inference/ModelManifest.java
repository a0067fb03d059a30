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
    return verify(root, null);
  }

  /**
   * As {@link #verify(Path)}, and first checks where the model came from: the manifest's model
   * id must be {@code requestedId} (when not null), and a model id this project offers must have
   * been prepared from originals whose checksums are the pinned ones
   * ({@link ModelStore#PINNED_ORIGINALS}) or, for a model without pins, from an archive whose
   * checksum the user gave.
   */
  static String verify(Path root, String requestedId) throws IOException {
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
    checkProvenance(root, json, modelId, requestedId);
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

  private static void checkProvenance(Path root, JsonNode json, String modelId,
      String requestedId) throws IOException {
    String again = " Delete " + root + " and prepare it again.";
    if (requestedId != null && !requestedId.equals(modelId)) {
      throw new IOException("model in " + root + " says it is " + modelId + ", not the requested "
          + requestedId + "." + again);
    }
    Map<String, String> pinned = ModelStore.PINNED_ORIGINALS.get(modelId);
    if (pinned != null) {
      JsonNode originals = json.path("originalSha256");
      List<String> problems = new ArrayList<>();
      for (Map.Entry<String, String> pin : pinned.entrySet()) {
        String recorded = originals.path(pin.getKey()).asText("");
        if (!recorded.equals(pin.getValue())) {
          problems.add(pin.getKey() + " was " + (recorded.isEmpty() ? "not recorded" : recorded)
              + ", pinned " + pin.getValue());
        }
      }
      if (!problems.isEmpty()) {
        throw new IOException("model " + modelId + " in " + root + " was not prepared from the"
            + " originals decimer-beam pins: " + String.join("; ", problems) + "." + again);
      }
    } else if (ModelStore.MODEL_IDS.contains(modelId)) {
      JsonNode source = json.path("source");
      String given = source.path("userSha256").asText("");
      if (given.isEmpty() || !given.equals(source.path("archiveSha256").asText(""))) {
        throw new IOException("model " + modelId + " in " + root + " has no checksums pinned by"
            + " decimer-beam and was not prepared from an archive whose SHA-256 you gave." + again
            + " Pass the archive's SHA-256: prepare-model --model " + modelId
            + " --source <archive> --sha256 <hex>");
      }
    }
  }

  /** Whether the model in {@code root} was prepared with the cached decoder. */
  static boolean hasCachedDecoder(Path root) throws IOException {
    JsonNode json = new ObjectMapper().readTree(root.resolve(PreparedModel.MANIFEST).toFile());
    return json.path("cachedDecoder").isObject();
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
