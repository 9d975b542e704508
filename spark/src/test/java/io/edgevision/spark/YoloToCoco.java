package io.edgevision.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a COCO file for YOLO-labelled images (one "traffic light" category, the YOLO class name as
 * the annotated state), so that the single-machine evaluator and the Spark job read the same ground
 * truth.
 */
final class YoloToCoco {
  private YoloToCoco() {}

  static Path write(List<Path> images, Path labelsDir, List<String> names, Path out)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ArrayNode imgs = root.putArray("images");
    ArrayNode anns = root.putArray("annotations");
    root.putArray("categories").addObject().put("id", 1).put("name", "traffic light");
    long annId = 1;
    for (int i = 0; i < images.size(); i++) {
      Path image = images.get(i);
      ImageFrame f = ImageFrames.read(image);
      String name = image.getFileName().toString();
      imgs.addObject()
          .put("id", i + 1)
          .put("file_name", name)
          .put("width", f.width())
          .put("height", f.height());
      Path label = labelsDir.resolve(name.substring(0, name.lastIndexOf('.')) + ".txt");
      if (!Files.exists(label)) {
        continue;
      }
      for (String line : Files.readAllLines(label)) {
        String[] v = line.trim().split("\\s+");
        if (v.length < 5) {
          continue;
        }
        double cx = Double.parseDouble(v[1]) * f.width();
        double cy = Double.parseDouble(v[2]) * f.height();
        double w = Double.parseDouble(v[3]) * f.width();
        double h = Double.parseDouble(v[4]) * f.height();
        ObjectNode a =
            anns.addObject()
                .put("id", annId++)
                .put("image_id", i + 1)
                .put("category_id", 1)
                .put("iscrowd", 0)
                .put("state", names.get(Integer.parseInt(v[0])));
        a.putArray("bbox").add(cx - w / 2).add(cy - h / 2).add(w).add(h);
      }
    }
    json.writeValue(out.toFile(), root);
    return out;
  }
}
