package decimerbeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.Agreement;
import decimerbeam.inference.StructureWarnings;
import decimerbeam.inference.Structures;
import decimerbeam.inference.Warning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

/**
 * Exploration aid for the choice rule: each recorded reading ({@link RealImageReadings}) with
 * what the pipeline derives from it (InChIKeys, each reader's structure warnings, agreement,
 * heavy atoms) and whether each reader matched the reference. One JSON line per image.
 *
 * <pre>ReadingFeatures READINGS.jsonl...</pre>
 */
public final class ReadingFeatures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReadingFeatures() {}

  public static void main(String[] args) throws Exception {
    Structures.requireInchi();
    for (String file : args) {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode r = JSON.readTree(line);
        String truth = r.get("truthInchiKey").asText();
        String d = r.get("decimerSmiles").asText();
        String dKey = Structures.identify(d).map(Structures.Identity::inchiKey).orElse("");
        float[] conf = new float[r.path("tokenConfidences").size()];
        for (int i = 0; i < conf.length; i++) {
          conf[i] = (float) r.get("tokenConfidences").get(i).asDouble();
        }
        double mean = 0;
        double min = conf.length == 0 ? 0 : 1;
        for (float c : conf) {
          mean += c;
          min = Math.min(min, c);
        }
        mean = conf.length == 0 ? 0 : mean / conf.length;
        List<Warning> dw = StructureWarnings.check(d, r.path("truncated").asBoolean(), mean, min);
        String m = r.get("molvecSmiles").asText();
        String mKey = r.get("molvecInchiKey").asText();
        List<Warning> mw = m.isEmpty() ? List.of() : StructureWarnings.check(m, false, 1, 1);
        ObjectNode o = JSON.createObjectNode();
        o.put("set", r.get("set").asText()).put("image", r.get("image").asText())
            .put("truth", !truth.isEmpty())
            .put("dRight", !truth.isEmpty() && truth.equals(dKey))
            .put("mRight", !truth.isEmpty() && truth.equals(mKey))
            .put("dSkelRight", !truth.isEmpty() && Agreement.of(truth, dKey).sameWithoutStereo())
            .put("mSkelRight", !truth.isEmpty() && Agreement.of(truth, mKey).sameWithoutStereo())
            .put("agreement", Agreement.of(dKey, mKey).name())
            .put("dHasKey", !dKey.isEmpty()).put("mHasKey", !mKey.isEmpty())
            .put("mStatus", r.get("molvecWarning").asText())
            .put("mean", mean).put("min", min).put("tokens", conf.length)
            .put("dAtoms", heavyAtoms(d)).put("mAtoms", heavyAtoms(m))
            .put("dStereo", d.contains("@") || d.contains("/") || d.contains("\\"))
            .put("mStereo", m.contains("@") || m.contains("/") || m.contains("\\"));
        o.putPOJO("dWarnings", dw.stream().map(Enum::name).toList());
        o.putPOJO("mWarnings", mw.stream().map(Enum::name).toList());
        System.out.println(JSON.writeValueAsString(o));
      }
    }
  }

  private static int heavyAtoms(String smiles) {
    if (smiles.isBlank()) {
      return 0;
    }
    try {
      IAtomContainer mol = new SmilesParser(SilentChemObjectBuilder.getInstance())
          .parseSmiles(smiles);
      int n = 0;
      for (IAtom a : mol.atoms()) {
        if (a.getAtomicNumber() == null || a.getAtomicNumber() != 1) {
          n++;
        }
      }
      return n;
    } catch (Exception e) {
      return -1;
    }
  }
}
