package io.edgevision.detectors.traffic.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.core.testing.SharedResources;
import io.edgevision.postprocess.Colour;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YoloDatasetTest {
  @TempDir Path root;

  /** root/data.yaml + root/valid/{images,labels}: one 200x100 image with the given label lines. */
  Path split(String yaml, boolean yamlInSplit, String... labelLines) throws Exception {
    Path split = root.resolve("valid");
    Files.createDirectories(split.resolve("images"));
    Files.createDirectories(split.resolve("labels"));
    ImageIO.write(
        new BufferedImage(200, 100, BufferedImage.TYPE_3BYTE_BGR),
        "png",
        split.resolve("images/a.png").toFile());
    ImageIO.write(
        new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR),
        "jpg",
        split.resolve("images/b.jpg").toFile()); // no label file: an image without lights
    Files.writeString(split.resolve("labels/a.txt"), String.join("\n", labelLines));
    Files.writeString((yamlInSplit ? split : root).resolve("data.yaml"), yaml);
    return split;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        // Roboflow's layout: data.yaml one level up, block list
        "block list, parent;  names:\\n- green\\n- red\\n- yellow\\nnc: 3\\n; false",
        // data.yaml inside the split, inline list with quotes
        "inline list;         nc: 3\\nnames: ['green', \"red\", yellow]\\n;   true",
        // Ultralytics map form
        "map;                 names:\\n  0: green\\n  1: red\\n  2: yellow\\ntrain: x\\n; true",
      })
  void readsBoxesAndMapsClassNamesToColours(String name, String yaml, boolean inSplit)
      throws Exception {
    Path split =
        split(
            yaml.replace("\\n", "\n"),
            inSplit,
            "1 0.5 0.5 0.1 0.4", // red, centre form: (100 +- 10, 50 +- 20)
            "0 0.1 0.1 0.2 0.1 0.2 0.3 0.1 0.3"); // green, polygon: bbox x 0.1..0.2, y 0.1..0.3
    CocoDataset d = YoloDataset.read(split);
    assertThat(d.images())
        .extracting(CocoDataset.Image::fileName)
        .containsExactly("a.png", "b.jpg");
    assertThat(d.images().get(0).width()).isEqualTo(200);
    assertThat(d.images().get(1).height()).isEqualTo(30);
    assertThat(d.categoryId(YoloDataset.CATEGORY)).hasValue(YoloDataset.CATEGORY_ID);
    List<CocoDataset.Annotation> a = d.annotations();
    assertThat(a).hasSize(2);
    assertThat(a.get(0).state()).isEqualTo(Colour.RED);
    assertThat(a.get(0).stateName()).isEqualTo("red");
    assertThat(a.get(0).box().x1()).isCloseTo(90f, within(1e-3f));
    assertThat(a.get(0).box().y2()).isCloseTo(70f, within(1e-3f));
    assertThat(a.get(1).state()).isEqualTo(Colour.GREEN);
    assertThat(a.get(1).box().x2()).isCloseTo(40f, within(1e-3f));
    assertThat(a.get(1).box().y2()).isCloseTo(30f, within(1e-3f));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "green, GREEN",
    "Red, RED",
    "yellow, YELLOW",
    "amber, YELLOW",
    "off, OFF",
    "red_left, RED",
    "green-arrow, GREEN",
    "RedLeft, RED",
    // not a colour, or a word that merely starts like one
    "pedestrian, UNKNOWN",
    "reddish, UNKNOWN"
  })
  void mapsClassNames(String name, Colour colour) {
    assertThat(YoloDataset.colour(name)).isEqualTo(colour);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "class out of range;  5 0.5 0.5 0.1 0.1;   class 5 is not in data.yaml's names",
        "too few values;      1 0.5 0.5 0.1;       expected 'class cx cy w h'",
        "not a number;        1 0.5 x 0.1 0.1;     a.txt:1",
        "zero width;          1 0.5 0.5 0 0.1;     positive width and height",
      })
  void rejectsMalformedLabels(String name, String line, String message) throws Exception {
    Path split = split("names: [green, red]\n", true, line);
    assertThatThrownBy(() -> YoloDataset.read(split))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void needsDataYaml() throws Exception {
    Path split = split("names: [green]\n", true, "0 0.5 0.5 0.1 0.1");
    Files.delete(split.resolve("data.yaml"));
    assertThatThrownBy(() -> YoloDataset.read(split))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected data.yaml in");
  }

  @Test
  void readsTheSharedCintaValidSplit() throws Exception {
    Path valid = SharedResources.data("traffic_lights/cinta_v2/valid");
    CocoDataset d = YoloDataset.read(valid);
    assertThat(d.images()).hasSize(200);
    assertThat(d.annotations()).hasSize(272); // one label line each, counted with awk
    assertThat(d.annotations())
        .allSatisfy(a -> assertThat(a.state()).isIn(Colour.RED, Colour.YELLOW, Colour.GREEN));
  }
}
