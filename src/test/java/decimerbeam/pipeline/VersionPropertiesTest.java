package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Beam, Flink, TensorFlow and protobuf versions are defined once, in the root pom.xml. The side
 * POMs (the Flink cluster's jars, benchmark 3's FileIO.match() classpath) declare none of their
 * own: tools/flink-cluster.sh and bench/expansion-at-scale.sh pass the root's as -D properties.
 * The Flink version is the one Beam's Flink runner is built on.
 */
class VersionPropertiesTest {

  private static final Path ROOT_POM = Path.of("pom.xml");

  /** The property that gives the version of every dependency of the group, in all three POMs. */
  private static final Map<String, String> PROPERTY_BY_GROUP = Map.of(
      "org.apache.beam", "beam.version",
      "org.apache.flink", "flink.version",
      "org.tensorflow", "tensorflow.version",
      "com.google.protobuf", "protobuf.version");

  @Test
  void rootPomDefinesEachVersion() throws Exception {
    Map<String, String> properties = properties(parse(ROOT_POM));
    for (String name : PROPERTY_BY_GROUP.values()) {
      assertThat(name, properties.get(name), matchesPattern("\\d+(\\.\\d+)+"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pom.xml", "runner-configs/flink/cluster-lib/pom.xml",
      "bench/fileio-match/pom.xml"})
  void dependenciesTakeTheirVersionsFromTheProperties(String pom) throws Exception {
    Document doc = parse(Path.of(pom));
    for (Element dependency : elements(doc.getElementsByTagName("dependency"))) {
      String property = PROPERTY_BY_GROUP.get(childText(dependency, "groupId"));
      if (property != null) {
        assertThat(pom + ": " + childText(dependency, "artifactId"),
            childText(dependency, "version"), equalTo("${" + property + "}"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"runner-configs/flink/cluster-lib/pom.xml",
      "bench/fileio-match/pom.xml"})
  void sidePomsDeclareNoVersionOfTheirOwn(String pom) throws Exception {
    Map<String, String> properties = properties(parse(Path.of(pom)));
    for (String name : PROPERTY_BY_GROUP.values()) {
      assertThat(pom, properties.keySet(), not(hasItem(name)));
    }
  }

  @Test
  void flinkVersionIsTheOneBeamsFlinkRunnerIsBuiltOn() throws Exception {
    Document root = parse(ROOT_POM);
    String flink = properties(root).get("flink.version");
    // Flink on this classpath came with beam-runners-flink-<minor>; the cluster runs flink.version.
    assertThat(EnvironmentInformation.getVersion(), equalTo(flink));
    for (Element dependency : elements(root.getElementsByTagName("dependency"))) {
      String artifact = childText(dependency, "artifactId");
      if (artifact.startsWith("beam-runners-flink-")) {
        assertThat(flink, startsWith(artifact.substring("beam-runners-flink-".length()) + "."));
      }
    }
  }

  private static Document parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  /** The project's own {@code <properties>}, not those of profiles. */
  private static Map<String, String> properties(Document pom) {
    Map<String, String> properties = new HashMap<>();
    for (Node section = pom.getDocumentElement().getFirstChild(); section != null;
        section = section.getNextSibling()) {
      if (section instanceof Element && section.getNodeName().equals("properties")) {
        for (Node p = section.getFirstChild(); p != null; p = p.getNextSibling()) {
          if (p instanceof Element) {
            properties.put(p.getNodeName(), p.getTextContent().trim());
          }
        }
      }
    }
    return properties;
  }

  private static List<Element> elements(NodeList nodes) {
    List<Element> elements = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      elements.add((Element) nodes.item(i));
    }
    return elements;
  }

  /** The text of the direct child element {@code name}; empty when there is none. */
  private static String childText(Element parent, String name) {
    for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element && c.getNodeName().equals(name)) {
        return c.getTextContent().trim();
      }
    }
    return "";
  }
}
