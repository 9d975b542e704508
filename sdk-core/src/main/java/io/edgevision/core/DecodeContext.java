package io.edgevision.core;

import java.util.List;
import java.util.Objects;

/**
 * What a decoder needs besides the raw outputs: one {@link PreprocessTransform} per frame of the
 * batch, the model that ran (its labels and descriptor) and the variant name.
 *
 * @param transforms per-frame geometry, batch order
 * @param model the model that ran
 * @param variant variant name ({@code "primary"} or a registered variant)
 */
public record DecodeContext(List<PreprocessTransform> transforms, ModelInfo model, String variant) {
  public DecodeContext {
    transforms = List.copyOf(transforms);
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(variant, "variant");
  }

  /**
   * @return the transform of the first (often only) frame
   */
  public PreprocessTransform transform() {
    return transforms.get(0);
  }
}
