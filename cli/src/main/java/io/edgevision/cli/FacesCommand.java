package io.edgevision.cli;

import picocli.CommandLine.Command;

/**
 * {@code edgevision faces ...}: face verification, enrolment, identification and evaluation with
 * the {@code detectors} module's {@link io.edgevision.detectors.face.FaceRecognizer}.
 *
 * <p>Models default to SCRFD {@code det_500m.onnx} and {@code mobilefacenet_arcface_128d.onnx} in
 * the shared models directory ({@code -Dedgevision.shared.dir}, {@code EDGEVISION_SHARED_DIR},
 * {@code ../shared}); override with {@code --detector} / {@code --embedder}. Exit codes: 0 success,
 * 1 an SDK or I/O error (message on stderr), 2 a usage error.
 */
@Command(
    name = "faces",
    mixinStandardHelpOptions = true,
    description =
        "Face recognition: verify two photos, enrol into / identify against a gallery, evaluate on pairs.",
    subcommands = {
      FacesVerifyCommand.class,
      FacesEnrollCommand.class,
      FacesIdentifyCommand.class,
      FacesEvalCommand.class
    })
public final class FacesCommand {}
