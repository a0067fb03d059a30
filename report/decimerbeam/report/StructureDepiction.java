package decimerbeam.report;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.openscience.cdk.depict.Depiction;
import org.openscience.cdk.depict.DepictionGenerator;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

/**
 * SMILES → a CDK drawing as an SVG {@code data:} URI for review pages. A SMILES CDK cannot read,
 * one with more than {@value #MAX_ATOMS} atoms, or a drawing over {@value #MAX_SVG_BYTES} bytes
 * gets none (the page shows a placeholder). Not thread-safe (the SMILES parser is not): one per
 * page being written. Directories repeat structures, so drawings are remembered per SMILES.
 */
public final class StructureDepiction {

  public static final int MAX_ATOMS = 150;
  public static final int MAX_SVG_BYTES = 24 * 1024;
  private static final int REMEMBERED = 512;

  private final SmilesParser parser = new SmilesParser(SilentChemObjectBuilder.getInstance());
  private final DepictionGenerator generator = new DepictionGenerator()
      .withSize(200, 150).withFillToFit().withAtomColors();
  private final Map<String, Optional<String>> drawn =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** The drawing of {@code smiles}, or empty when there is none to show. */
  public Optional<String> of(String smiles) {
    if (smiles == null || smiles.isBlank()) {
      return Optional.empty();
    }
    return drawn.computeIfAbsent(smiles, this::draw);
  }

  private Optional<String> draw(String smiles) {
    try {
      IAtomContainer mol = parser.parseSmiles(smiles);
      if (mol.getAtomCount() == 0 || mol.getAtomCount() > MAX_ATOMS) {
        return Optional.empty();
      }
      String svg = generator.depict(mol).toSvgStr(Depiction.UNITS_PX);
      byte[] bytes = svg.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > MAX_SVG_BYTES) {
        return Optional.empty();
      }
      return Optional.of("data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(bytes));
    } catch (Exception | LinkageError e) {
      // Invalid SMILES, a layout CDK gives up on, missing fonts: the page says "no drawing".
      return Optional.empty();
    }
  }
}
