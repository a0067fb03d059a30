package decimerbeam.tools;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.openscience.cdk.depict.DepictionGenerator;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.geometry.GeometryUtil;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.layout.StructureDiagramGenerator;
import org.openscience.cdk.renderer.generators.standard.StandardGenerator;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;

/**
 * Draws chemical structures from SMILES into PNG and JPEG images with varied size, rotation,
 * line width, JPEG quality and speckle noise, and writes a ground-truth CSV
 * ({@code image,smiles,format,width,height,rotation,stroke,jpegQuality,noise}). Seeded, so the
 * same inputs give the same set of drawings.
 */
public final class StructureImageGenerator {

  private final Random random;
  private final SmilesParser parser = new SmilesParser(SilentChemObjectBuilder.getInstance());

  public StructureImageGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** One drawn image and how it was drawn. */
  public record Drawing(String name, String smiles, String format, int width, int height,
      int rotation, double stroke, int jpegQuality, double noise) {}

  /**
   * Reads SMILES (first whitespace-separated field that parses, per line; '#' comments) and draws
   * {@code count} images into {@code outDir}, cycling through the molecules.
   */
  public List<Drawing> generate(List<String> smiles, int count, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    List<Drawing> drawings = new ArrayList<>();
    for (int i = 0; drawings.size() < count && i < count * 3; i++) {
      String smi = smiles.get(i % smiles.size());
      try {
        drawings.add(draw(smi, drawings.size(), outDir));
      } catch (CDKException e) {
        // A SMILES CDK cannot lay out is skipped; the next molecule takes its slot.
      }
    }
    writeTruth(drawings, outDir.resolve("truth.csv"));
    return drawings;
  }

  private Drawing draw(String smiles, int index, Path outDir) throws CDKException, IOException {
    IAtomContainer mol = parser.parseSmiles(smiles);
    StructureDiagramGenerator sdg = new StructureDiagramGenerator();
    sdg.generateCoordinates(mol);
    int rotation = random.nextInt(8) == 0 ? 0 : random.nextInt(61) - 30;
    GeometryUtil.rotate(mol, GeometryUtil.get2DCenter(mol), Math.toRadians(rotation));

    int width = 250 + random.nextInt(700);
    int height = (int) (width * (0.6 + random.nextDouble() * 0.7));
    double stroke = 0.09 + random.nextDouble() * 0.14;
    DepictionGenerator depiction = new DepictionGenerator()
        .withSize(width, height)
        .withFillToFit()
        .withMargin(10 + random.nextInt(40))
        .withBackgroundColor(Color.WHITE)
        .withParam(StandardGenerator.StrokeRatio.class, stroke / 0.14);
    BufferedImage rendered = depiction.depict(mol).toImg();
    BufferedImage image = new BufferedImage(rendered.getWidth(), rendered.getHeight(),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.drawImage(rendered, 0, 0, null);
    g.dispose();

    double noise = random.nextInt(3) == 0 ? random.nextDouble() * 0.004 : 0.0;
    addSpeckles(image, noise);

    boolean jpeg = random.nextInt(3) == 0;
    int quality = jpeg ? 60 + random.nextInt(36) : 0;
    String name = String.format(Locale.ROOT, "gen-%03d.%s", index, jpeg ? "jpg" : "png");
    Path file = outDir.resolve(name);
    if (jpeg) {
      writeJpeg(image, quality, file);
    } else {
      ImageIO.write(image, "png", file.toFile());
    }
    return new Drawing(name, smiles, jpeg ? "jpeg" : "png", image.getWidth(), image.getHeight(),
        rotation, stroke, quality, noise);
  }

  /** Scanner-like dust: a fraction of pixels set to random dark or light gray. */
  private void addSpeckles(BufferedImage image, double fraction) {
    int n = (int) (image.getWidth() * image.getHeight() * fraction);
    for (int i = 0; i < n; i++) {
      int x = random.nextInt(image.getWidth());
      int y = random.nextInt(image.getHeight());
      int v = random.nextBoolean() ? random.nextInt(90) : 160 + random.nextInt(96);
      image.setRGB(x, y, (v << 16) | (v << 8) | v);
    }
  }

  private static void writeJpeg(BufferedImage image, int quality, Path file) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality / 100f);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  private static void writeTruth(List<Drawing> drawings, Path csv) throws IOException {
    try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("image,smiles,format,width,height,rotation,stroke,jpegQuality,noise\n");
      for (Drawing d : drawings) {
        w.write(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%.3f,%d,%.4f%n", d.name(),
            d.smiles(), d.format(), d.width(), d.height(), d.rotation(), d.stroke(),
            d.jpegQuality(), d.noise()));
      }
    }
  }

  /** Reads SMILES files: per line, the first field that looks like SMILES (ids are skipped). */
  public static List<String> readSmiles(Path file) throws IOException {
    SmilesParser p = new SmilesParser(SilentChemObjectBuilder.getInstance());
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      for (String field : line.split("\\s+")) {
        try {
          p.parseSmiles(field);
          out.add(field);
          break;
        } catch (CDKException e) {
          // An id column; try the next field.
        }
      }
    }
    return out;
  }
}
