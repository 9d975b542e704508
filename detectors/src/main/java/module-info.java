/**
 * EdgeVision detectors: traffic lights ({@link
 * io.edgevision.detectors.traffic.TrafficLightDetector}, its evaluation in {@code
 * io.edgevision.detectors.traffic.eval}) and faces ({@link
 * io.edgevision.detectors.face.FaceRecognizer}).
 *
 * <p>{@code io.edgevision.detectors.traffic} is also opened: the built-in model and sample scene
 * are resources in that package, read through the class loader ({@code ModelSource.classpath}),
 * which a named module only allows for open packages.
 */
module io.edgevision.detectors {
  requires transitive io.edgevision.core;
  requires transitive io.edgevision.postprocess;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static java.desktop; // eval.YoloDataset reads image sizes from headers with ImageIO

  exports io.edgevision.detectors.traffic;
  exports io.edgevision.detectors.traffic.eval;
  exports io.edgevision.detectors.face;

  opens io.edgevision.detectors.traffic;
}
