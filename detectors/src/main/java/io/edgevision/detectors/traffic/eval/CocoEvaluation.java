package io.edgevision.detectors.traffic.eval;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightResult;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Frame;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.GroundTruth;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.JointStateAp;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Prediction;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Report;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LabelSchema;
import io.edgevision.postprocess.LabelScore;
import io.edgevision.postprocess.LightState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a {@link TrafficLightDetector} over the images of a {@link CocoDataset} and turns its lights
 * into {@link TrafficLightEvaluator} frames, in one of two modes:
 *
 * <ul>
 *   <li><b>One category</b> ({@link #frames}): the annotations of one category (e.g. COCO "traffic
 *       light") are the ground truth, each with its annotated colour; each light is a prediction
 *       with its decoded colour.
 *   <li><b>Joint states</b> ({@link #jointStateFrames}, {@link #evaluateJointStates}): every
 *       category is a joint state of the detector's label schema, matched <b>by name</b> (the
 *       EdgeVision validation set: {@code red}, {@code yellow}, …, {@code off}); each light is a
 *       prediction of its label's category with its score, its alternatives carried along for the
 *       top-k joint-state AP. The colour is not compared separately (the category already holds
 *       it).
 * </ul>
 *
 * <p>Frames run one after the other, without budget. The detector's own thresholds decide what is
 * predicted: build it with a low score threshold (e.g. 0.05) so the AP ranking sees low-scoring
 * lights.
 *
 * <p>Example (the CI regression gate, {@code BuiltinModelRegressionTest}):
 *
 * <pre>{@code
 * try (InferenceSession s = ModelCatalog.sessionBuilder(ModelCatalog.BUILTIN, Path.of(".")).build()) {
 *   TrafficLightDetector d = TrafficLightDetector.builder(s).scoreThreshold(0.05f).candidateThreshold(0.05f).build();
 *   CocoEvaluation.JointStateEvaluation e = CocoEvaluation.evaluateJointStates(d, coco, imagesDir, 0.5f);
 *   e.report().ap50();   // class-agnostic AP50
 *   e.jointState().ap50();   // joint-state AP50 (one label per light)
 * }
 * }</pre>
 *
 * <p>Threading: stateless static functions; safe from any thread (the detector is thread-safe).
 */
public final class CocoEvaluation {
  private CocoEvaluation() {}

  /**
   * A joint-state evaluation.
   *
   * @param report class-agnostic AP, P/R at the threshold and the strict frame pass rate with joint
   *     states
   * @param jointState joint-state AP@0.5, one label per light and top-k
   * @param categoryNames the name of each joint-state category (the label schema's classes, index
   *     order)
   * @param frames the evaluated frames (ground truth and predictions)
   */
  public record JointStateEvaluation(
      Report report, JointStateAp jointState, List<String> categoryNames, List<Frame> frames) {
    /** Copies. */
    public JointStateEvaluation {
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(jointState, "jointState");
      categoryNames = List.copyOf(categoryNames);
      frames = List.copyOf(frames);
    }
  }

  /**
   * One-category mode: ground truth = the annotations of {@code categoryId} with their colours.
   *
   * @param detector the detector (its thresholds decide what is predicted)
   * @param coco the annotations
   * @param imagesDir where the annotation file names are
   * @param categoryId the COCO category id evaluated
   * @return one frame per image, file order
   * @throws io.edgevision.core.EdgeVisionException when an image cannot be read or the model fails
   */
  public static List<Frame> frames(
      TrafficLightDetector detector, CocoDataset coco, Path imagesDir, int categoryId) {
    List<Frame> frames = new ArrayList<>();
    for (CocoDataset.Image image : coco.images()) {
      TrafficLightResult r = detector.detect(read(imagesDir, image), Budget.unlimited());
      List<Prediction> preds = new ArrayList<>();
      for (TrafficLight l : r.lights()) {
        preds.add(
            new Prediction(
                l.box(), l.score(), l.state().map(LightState::colour).orElse(Colour.UNKNOWN)));
      }
      List<GroundTruth> truths =
          coco.annotations(image.id(), categoryId).stream()
              .map(a -> new GroundTruth(a.box(), a.crowd(), a.state()))
              .toList();
      frames.add(new Frame(image.fileName(), truths, preds));
    }
    return frames;
  }

  /**
   * Maps the dataset's categories onto the detector's joint states by name.
   *
   * @param coco the annotations
   * @param schema the detector's label schema
   * @return COCO category id → schema class index
   * @throws IllegalArgumentException when a category name is not a class of the schema
   */
  public static Map<Integer, Integer> categoryToState(CocoDataset coco, LabelSchema schema) {
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < schema.size(); i++) {
      byName.put(schema.stateClass(i).name(), i);
    }
    Map<Integer, Integer> out = new HashMap<>();
    for (Map.Entry<Integer, String> e : coco.categories().entrySet()) {
      Integer state = byName.get(e.getValue());
      if (state == null) {
        throw new IllegalArgumentException(
            "expected every category to be a joint state of the model's label schema '"
                + schema.name()
                + "' "
                + byName.keySet()
                + ", got category "
                + e.getKey()
                + " '"
                + e.getValue()
                + "'");
      }
      out.put(e.getKey(), state);
    }
    return Map.copyOf(out);
  }

  /**
   * Whether every category of the dataset is a joint state of the schema (the joint-state mode
   * applies).
   *
   * @param coco the annotations
   * @param schema a label schema
   * @return true when {@link #categoryToState} would succeed and there is at least one category
   */
  public static boolean isJointStateDataset(CocoDataset coco, LabelSchema schema) {
    if (coco.categories().isEmpty()) {
      return false;
    }
    for (String name : coco.categories().values()) {
      boolean found = false;
      for (int i = 0; i < schema.size() && !found; i++) {
        found = schema.stateClass(i).name().equals(name);
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /**
   * Joint-state mode: every annotation is ground truth of its category's joint state.
   *
   * @param detector a detector whose primary model has a label schema
   * @param coco the annotations, categories named as the schema's classes
   * @param imagesDir where the annotation file names are
   * @return one frame per image, file order
   * @throws IllegalArgumentException when the model has no label schema or a category is not one of
   *     its classes
   * @throws io.edgevision.core.EdgeVisionException when an image cannot be read or the model fails
   */
  public static List<Frame> jointStateFrames(
      TrafficLightDetector detector, CocoDataset coco, Path imagesDir) {
    LabelSchema schema = schema(detector);
    Map<Integer, Integer> toState = categoryToState(coco, schema);
    List<Frame> frames = new ArrayList<>();
    for (CocoDataset.Image image : coco.images()) {
      TrafficLightResult r = detector.detect(read(imagesDir, image), Budget.unlimited());
      List<Prediction> preds = new ArrayList<>();
      for (TrafficLight l : r.lights()) {
        if (l.classId() >= schema.size()) {
          continue; // not a joint state (cannot happen for a schema model, whose classes are all
          // states)
        }
        List<LabelScore> alternatives =
            l.alternatives().stream().filter(a -> a.classId() < schema.size()).toList();
        preds.add(new Prediction(l.box(), l.score(), Colour.UNKNOWN, l.classId(), alternatives));
      }
      List<GroundTruth> truths =
          coco.annotations(image.id()).stream()
              .map(
                  a ->
                      new GroundTruth(
                          a.box(), a.crowd(), Colour.UNKNOWN, toState.get(a.categoryId())))
              .toList();
      frames.add(new Frame(image.fileName(), truths, preds));
    }
    return frames;
  }

  /**
   * Joint-state mode, evaluated: class-agnostic AP, P/R and strict pass with joint states at {@code
   * threshold}, and the joint-state AP@0.5.
   *
   * @param detector a detector whose primary model has a label schema
   * @param coco the annotations, categories named as the schema's classes
   * @param imagesDir where the annotation file names are
   * @param threshold the score threshold of P/R and the strict pass, in {@code [0, 1]}
   * @return the evaluation
   * @throws IllegalArgumentException when the model has no label schema, a category is not one of
   *     its classes or the threshold is out of range
   * @throws io.edgevision.core.EdgeVisionException when an image cannot be read or the model fails
   */
  public static JointStateEvaluation evaluateJointStates(
      TrafficLightDetector detector, CocoDataset coco, Path imagesDir, float threshold) {
    LabelSchema schema = schema(detector);
    List<Frame> frames = jointStateFrames(detector, coco, imagesDir);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      names.add(schema.stateClass(i).name());
    }
    return new JointStateEvaluation(
        TrafficLightEvaluator.evaluate(frames, threshold),
        TrafficLightEvaluator.jointStateAp(frames, schema.size()),
        names,
        frames);
  }

  private static LabelSchema schema(TrafficLightDetector detector) {
    return detector
        .labelSchema(InferenceSession.PRIMARY)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "expected a model with a label schema (edgevision.label_schema) for the joint-state evaluation, got "
                        + detector.session().model(InferenceSession.PRIMARY).name()
                        + " without one"));
  }

  /**
   * Reads one image of a dataset.
   *
   * @param imagesDir the directory the dataset's file names are relative to
   * @param image the image
   * @return the decoded frame
   * @throws io.edgevision.core.EdgeVisionException {@link io.edgevision.core.ErrorCode#BAD_INPUT}
   *     when the file is missing or cannot be decoded
   */
  public static ImageFrame read(Path imagesDir, CocoDataset.Image image) {
    return ImageFrames.read(imagesDir.resolve(image.fileName()));
  }
}
